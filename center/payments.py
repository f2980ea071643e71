"""Payments at the center: create (once per Idempotency-Key), query, reverse, close; the
write-off of what a payment covers, its e-invoice and its receipt facts.

Every state change is committed before it is answered. The wallet is another system: it is
called between the center's own transactions, never while the center holds its write lock,
and what it says is applied afterwards under a guard, so a payment is written off exactly once
however many queries race, and a reverse that overtakes a create is never undone by it.

A bill period is claimed by at most one open payment (bill_claims, whose primary key is the
period): a payment naming a claimed period is refused at once with 409 bill_in_payment, and the
claim goes when its payment settles. A payment its kiosk abandoned (open far beyond any kiosk's
wait) is settled by the center itself when another payment asks for its bills.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, Update, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from center.database import (
    AccountRow,
    BillClaimRow,
    BillerRow,
    BillRow,
    IdempotencyKeyRow,
    PaymentRow,
    PaymentTombstoneRow,
    as_utc,
    write_lock,
)
from center.errors import Refusal, error_body
from center.invoices import add_red_letter_note, invoice_of, issue_invoice
from center.reference_data import published_settings
from center.tariffs import tariff_of
from center.wallets.ledger import NATIVE_VALID_FOR, hash_code
from center.wallets.merchant import Merchant, WalletVerdict
from rules.late_fee import late_fee
from rules.masking import mask_digits, mask_name
from rules.money import ZERO, total, yuan
from sync.protocol import (
    PaymentAnswer,
    PaymentMethod,
    PaymentPurpose,
    PaymentRequest,
    PaymentStatus,
    ReceiptFacts,
    ReceiptPeriod,
    TierCharge,
    Utility,
    Wallet,
)

log = logging.getLogger(__name__)


class KeyState(StrEnum):
    """Where an Idempotency-Key stands (IdempotencyKeyRow.state)."""

    PROCESSING = "processing"  # a request is working on it
    DONE = "done"  # its answer is kept, to be given again


SUBMITTING = "submitting"  # stored only: the wallet is being asked for the first time
SETTLED = {PaymentStatus.PAID, PaymentStatus.FAILED, PaymentStatus.REVERSED, PaymentStatus.CLOSED}
NOT_FOUND = "not_found"
# A key left `processing` this long belongs to a request that died: a retry may take it over
# (the wallet's own out_trade_no makes the second call safe).
STALE_KEY = dt.timedelta(seconds=60)
# A code payment still open this long after it was made has been abandoned by its kiosk (which
# reverses after at most 10 minutes of asking): the center may settle it to free its bills.
CLAIM_LIFETIME = dt.timedelta(minutes=15)
BILL_IN_PAYMENT = (
    "a payment for these bills is under way: wait until it ends (at most a few minutes) and "
    "look the bill up again"
)
# Each utility's biller at the center (joint utility payment): the merchant the wallets pay.
BILLERS = {
    Utility.ELECTRICITY: ("1900000101", "国网江苏省电力有限公司南京供电分公司"),
    Utility.WATER: ("1900000102", "南京水务集团有限公司"),
    Utility.GAS: ("1900000103", "南京港华燃气有限公司"),
}


@dataclass(frozen=True)
class KeptAnswer:
    """An HTTP answer as stored for an Idempotency-Key: replayed as it was."""

    status: int
    body: dict[str, Any]


def seed_billers(session: Session) -> None:
    for utility, (merchant_id, name) in BILLERS.items():
        if session.get(BillerRow, utility.value) is None:
            session.add(BillerRow(utility=utility.value, merchant_id=merchant_id, name=name))


def request_hash(request: PaymentRequest) -> str:
    """Of the canonical request, payment code included: the code itself is never kept."""
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Cashier:
    """The center's payment desk: one per app, shared by the request threads.

    Every public method takes the kiosk that asks, as its signature established it. A payment
    belongs to the kiosk that created it: for any other kiosk it does not exist (query answers
    404, reverse and close leave that kiosk's own tombstone), and Idempotency-Keys are kept per
    kiosk, so no kiosk can read, replay, reverse or close another's payment."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        merchants: dict[Wallet, Merchant],
        today: Callable[[], dt.date],
        now: Callable[[], dt.datetime],
    ) -> None:
        self._sessions = sessions
        self._merchants = merchants
        self._today = today
        self._now = now

    # -- create, once per key ---------------------------------------------------------------

    def pay_once(self, kiosk_id: str, payment_id: str, request: PaymentRequest) -> KeptAnswer:
        """Stripe's model: the first answer for a key, refusals included, is the answer."""
        kept = self._claim_key(kiosk_id, payment_id, request_hash(request))
        if kept is not None:
            return kept
        try:
            answer = self.create(kiosk_id, payment_id, request)
            kept = KeptAnswer(200, answer.model_dump(mode="json"))
        except Refusal as refusal:
            kept = KeptAnswer(refusal.status, error_body(refusal.code, refusal.message))
        except BaseException:
            self._release_key(kiosk_id, payment_id)  # no answer given: a retry starts afresh
            raise
        with self._sessions.begin() as session:
            write_lock(session)
            key = session.get(IdempotencyKeyRow, (kiosk_id, payment_id))
            if key is not None:
                key.state = KeyState.DONE
                key.answer_status, key.answer_body = kept.status, kept.body
        return kept

    def _claim_key(self, kiosk_id: str, key: str, digest: str) -> KeptAnswer | None:
        """None when this request may work on the key now (its row committed first)."""
        now = self._now()
        try:
            with self._sessions.begin() as session:
                write_lock(session)
                row = session.get(IdempotencyKeyRow, (kiosk_id, key))
                if row is None:
                    session.add(
                        IdempotencyKeyRow(
                            kiosk_id=kiosk_id,
                            key=key,
                            request_hash=digest,
                            state=KeyState.PROCESSING,
                            locked_at=now,
                        )
                    )
                    return None
                if row.request_hash != digest:
                    raise Refusal(
                        422, "idempotency_key_reused", "this key was used with another request"
                    )
                if row.state == KeyState.DONE and row.answer_status is not None:
                    return KeptAnswer(row.answer_status, row.answer_body or {})
                if now - as_utc(row.locked_at) < STALE_KEY:
                    raise Refusal(
                        409, "idempotency_key_in_use", "this payment is being worked on: retry"
                    )
                row.locked_at = now
                return None
        except IntegrityError:
            raise Refusal(
                409, "idempotency_key_in_use", "this payment is being worked on: retry"
            ) from None

    def _release_key(self, kiosk_id: str, key: str) -> None:
        with self._sessions.begin() as session:
            write_lock(session)
            row = session.get(IdempotencyKeyRow, (kiosk_id, key))
            if row is not None and row.state == KeyState.PROCESSING:
                session.delete(row)

    def create(self, kiosk_id: str, payment_id: str, request: PaymentRequest) -> PaymentAnswer:
        _check_method(request, self._merchants)
        now = self._now()
        try:
            opened = self._open(kiosk_id, payment_id, request, now)
        except _AbandonedClaims as abandoned:
            for holder in abandoned.payment_ids:
                self._end_abandoned(holder)
            # Once more; bills still held now are refused as any held bill is (bill_in_payment).
            opened = self._open(kiosk_id, payment_id, request, now)
        if isinstance(opened, PaymentAnswer):
            return opened
        merchant_id, amount = opened
        merchant = self._merchants[request.wallet]
        if request.method is PaymentMethod.CODE:
            assert request.payment_code is not None
            verdict = merchant.pay(payment_id, amount, request.payment_code, merchant_id, now)
        else:
            verdict = merchant.open_native(payment_id, amount, merchant_id, now)
        return self._settle(payment_id, verdict, now)

    def _open(
        self, kiosk_id: str, payment_id: str, request: PaymentRequest, now: dt.datetime
    ) -> PaymentAnswer | tuple[str, Decimal]:
        """The answer when there is one already; else the payment recorded (or found still
        being submitted) and what its wallet is to be asked for: (merchant id, amount)."""
        with self._sessions.begin() as session:
            write_lock(session)
            tombstone = session.get(PaymentTombstoneRow, (kiosk_id, payment_id))
            if tombstone is not None:
                # Reversed before it was ever seen: it must never charge.
                tombstone.amount = request.amount
                tombstone.wallet, tombstone.method = request.wallet, request.method
                return _tombstone_answer(tombstone)
            row = session.get(PaymentRow, payment_id)
            if row is None:
                row = self._new_payment(session, kiosk_id, payment_id, request, now)
            elif row.kiosk_id != kiosk_id:
                raise Refusal(
                    409, "payment_id_taken", "another payment has this id: make a new payment id"
                )
            elif row.status != SUBMITTING:
                return _answer(session, row)
            return row.merchant_id or "", yuan(row.amount)

    def _new_payment(
        self,
        session: Session,
        kiosk_id: str,
        payment_id: str,
        request: PaymentRequest,
        now: dt.datetime,
    ) -> PaymentRow:
        account = session.get(AccountRow, request.account_number)
        if account is None:
            raise Refusal(404, "account_not_found", f"no account {request.account_number}")
        biller = session.get(BillerRow, account.utility)
        if request.purpose is PaymentPurpose.ARREARS:
            lines = self._arrears_lines(session, account, request, now)
        elif request.periods:
            raise Refusal(422, "invalid_request", "a prepayment names no periods")
        else:
            _check_prepay_limits(session, yuan(request.amount))
            lines = []
        row = PaymentRow(
            id=payment_id,
            kiosk_id=kiosk_id,
            account_number=account.number,
            utility=account.utility,
            merchant_id=biller.merchant_id if biller else None,
            purpose=request.purpose.value,
            method=request.method.value,
            wallet=request.wallet.value,
            amount=yuan(request.amount),
            periods=lines,
            code_hash=hash_code(request.payment_code) if request.payment_code else None,
            status=SUBMITTING,
            refunded=False,
            written_off=False,
            written_off_periods=[],
            credited=ZERO,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        if lines:
            # Flushed after the payment they name; their primary key refuses a second claim of
            # a period, whatever raced past the checks.
            claims = [
                {"account_number": account.number, "period": line["period"],
                 "payment_id": payment_id, "claimed_at": now}
                for line in lines
            ]  # fmt: skip
            session.execute(insert(BillClaimRow), claims)
        return row

    def _arrears_lines(
        self,
        session: Session,
        account: AccountRow,
        request: PaymentRequest,
        now: dt.datetime,
    ) -> list[dict[str, str]]:
        periods = list(request.periods)
        if not periods or len(set(periods)) != len(periods):
            raise Refusal(422, "invalid_request", "arrears name each unpaid period once")
        bills = list(
            session.scalars(
                select(BillRow).where(
                    BillRow.account_number == account.number, BillRow.period.in_(periods)
                )
            )
        )
        if any(bill.paid for bill in bills):
            raise Refusal(409, "already_paid", "a bill of these periods is paid already")
        if len(bills) != len(periods):
            raise Refusal(409, "amount_changed", "these periods are not all bills owed")
        holders = set(
            session.scalars(
                select(BillClaimRow.payment_id).where(
                    BillClaimRow.account_number == account.number,
                    BillClaimRow.period.in_(periods),
                )
            )
        )
        if holders:
            if all(_abandoned(self._existing(session, h), now) for h in holders):
                raise _AbandonedClaims(sorted(holders))
            raise Refusal(409, "bill_in_payment", BILL_IN_PAYMENT)
        today = self._today()
        lines = [
            {
                "period": bill.period,
                "amount": str(bill.amount),
                "late_fee": str(late_fee(bill.amount, bill.due_date, today, account.category)),
            }
            for bill in sorted(bills, key=lambda b: b.period)
        ]
        due = total([Decimal(line["amount"]) + Decimal(line["late_fee"]) for line in lines])
        if due != yuan(request.amount):
            raise Refusal(409, "amount_changed", f"these bills now come to {due} yuan")
        return lines

    def _end_abandoned(self, payment_id: str) -> None:
        """A payment holding bills long past its life (its kiosk gone): settle it as its kiosk
        would have (ask the wallet, then reverse what is not settled), which frees its bills."""
        now = self._now()
        with self._sessions() as session:
            row = self._existing(session, payment_id)
            if PaymentStatus(_status(row)) in SETTLED:
                return  # settled meanwhile: its claims went with it
            wallet, native = Wallet(row.wallet), row.method == PaymentMethod.NATIVE
        merchant = self._merchants.get(wallet)
        if merchant is None:
            return
        log.warning("payment %s abandoned with bills claimed: the center settles it", payment_id)
        answer = self._settle(payment_id, merchant.query(payment_id, native, now), now)
        if answer.status not in SETTLED:
            self._reverse(payment_id)  # a QR is closed

    # -- query, reverse, close ----------------------------------------------------------------

    def query(self, kiosk_id: str, payment_id: str) -> PaymentAnswer:
        """The payment as it stands; an unsettled one is first asked of its wallet."""
        now = self._now()
        with self._sessions() as session:
            row = _owned(session, kiosk_id, payment_id)
            if row is None:
                tombstone = session.get(PaymentTombstoneRow, (kiosk_id, payment_id))
                if tombstone is None:
                    raise Refusal(404, "payment_not_found", "the center has no such payment")
                return _tombstone_answer(tombstone)
            if PaymentStatus(_status(row)) in SETTLED:
                return _answer(session, row)
            wallet, native = Wallet(row.wallet), row.method == PaymentMethod.NATIVE
        verdict = self._merchants[wallet].query(payment_id, native, now)
        return self._settle(payment_id, verdict, now)

    def reverse(self, kiosk_id: str, payment_id: str) -> PaymentAnswer:
        """Undo a payment: closed if it was never paid, refunded (and its write-off undone) if
        it was. A reverse of a payment never seen from this kiosk leaves its tombstone: a late
        create of it is answered closed and never charges."""
        if (tombstone := self._tombstone_unless_owned(kiosk_id, payment_id)) is not None:
            return tombstone
        return self._reverse(payment_id)

    def close(self, kiosk_id: str, payment_id: str) -> PaymentAnswer:
        """Close a QR order the resident left: an order paid meanwhile stands, and is answered
        paid (written off like any other)."""
        if (tombstone := self._tombstone_unless_owned(kiosk_id, payment_id)) is not None:
            return tombstone
        return self._close(payment_id)

    def _tombstone_unless_owned(self, kiosk_id: str, payment_id: str) -> PaymentAnswer | None:
        """None for the kiosk's own payment; otherwise its tombstone's answer (made now unless
        it has one), exactly as for an id the center never saw."""
        with self._sessions.begin() as session:
            write_lock(session)
            if _owned(session, kiosk_id, payment_id) is not None:
                return None
            tombstone = session.get(PaymentTombstoneRow, (kiosk_id, payment_id))
            if tombstone is None:
                tombstone = PaymentTombstoneRow(
                    kiosk_id=kiosk_id,
                    payment_id=payment_id,
                    amount=ZERO,
                    wallet=Wallet.WECHAT.value,
                    method=PaymentMethod.CODE.value,
                    created_at=self._now(),
                )
                session.add(tombstone)
            return _tombstone_answer(tombstone)

    def _reverse(self, payment_id: str) -> PaymentAnswer:
        now = self._now()
        with self._sessions.begin() as session:
            write_lock(session)
            row = self._existing(session, payment_id)
            if row.status in (PaymentStatus.REVERSED, PaymentStatus.CLOSED, PaymentStatus.FAILED):
                return _answer(session, row)
            native, wallet = row.method == PaymentMethod.NATIVE, Wallet(row.wallet)
        if native:
            return self._close(payment_id)
        verdict = self._merchants[wallet].reverse(payment_id, now)
        with self._sessions.begin() as session:
            write_lock(session)
            row = self._existing(session, payment_id)
            if verdict.recall:
                if verdict.status is not PaymentStatus.PAID:
                    self._apply(session, row, verdict, now)
                return _answer(session, row).model_copy(update={"recall": True})
            if row.status == PaymentStatus.PAID or verdict.refunded:
                self._refund(session, row, now)
            elif row.status not in SETTLED:
                _set_status(session, row, PaymentStatus.CLOSED.value, None)
                row.updated_at = now
            return _answer(session, row)

    def _close(self, payment_id: str) -> PaymentAnswer:
        now = self._now()
        with self._sessions.begin() as session:
            write_lock(session)
            row = self._existing(session, payment_id)
            if PaymentStatus(_status(row)) in SETTLED:
                return _answer(session, row)
            code, wallet = row.method == PaymentMethod.CODE, Wallet(row.wallet)
        if code:
            return self._reverse(payment_id)
        verdict = self._merchants[wallet].close(payment_id, now)
        return self._settle(payment_id, verdict, now)

    # -- applying what a wallet said ------------------------------------------------------------

    def _existing(self, session: Session, payment_id: str) -> PaymentRow:
        row = session.get(PaymentRow, payment_id)
        if row is None:
            raise Refusal(404, "payment_not_found", "the center has no such payment")
        return row

    def _settle(self, payment_id: str, verdict: WalletVerdict, now: dt.datetime) -> PaymentAnswer:
        with self._sessions.begin() as session:
            write_lock(session)
            row = self._existing(session, payment_id)
            self._apply(session, row, verdict, now)
            return _answer(session, row)

    def _apply(
        self, session: Session, row: PaymentRow, verdict: WalletVerdict, now: dt.datetime
    ) -> None:
        if verdict.code_url and not row.code_url:
            row.code_url, row.expires_at = verdict.code_url, now + NATIVE_VALID_FOR
        if verdict.trade_no:
            row.wallet_trade_no = verdict.trade_no
        if PaymentStatus(_status(row)) in SETTLED:
            return  # settled first by another request: a reverse is never undone by a create
        if verdict.status is PaymentStatus.PAID:
            self._mark_paid(session, row, now)
        elif verdict.status is PaymentStatus.UNKNOWN and row.status == SUBMITTING:
            row.reason = verdict.reason  # still the first ask: a takeover may ask again
        else:
            _set_status(session, row, verdict.status.value, verdict.reason)
            row.refunded = verdict.refunded
        row.updated_at = now

    def _mark_paid(self, session: Session, row: PaymentRow, now: dt.datetime) -> None:
        """Paid: write off what it covers (exactly once: the guarded update below), then the
        invoice and the receipt facts, all in the transaction that records `paid`."""
        won = _changed(
            session,
            update(PaymentRow)
            .where(PaymentRow.id == row.id, PaymentRow.written_off.is_(False))
            .values(written_off=True),
        )
        account = session.get(AccountRow, row.account_number)
        assert account is not None
        if won == 1:
            written: list[str] = []
            credited = ZERO
            if row.purpose == PaymentPurpose.ARREARS:
                for line in row.periods:
                    if self._pay_bill(session, account.number, line["period"]):
                        written.append(line["period"])
                    else:
                        # Paid meanwhile another way: the money stays the resident's.
                        credited += Decimal(line["amount"]) + Decimal(line["late_fee"])
            else:
                credited = yuan(row.amount)
            account.balance = yuan(account.balance + credited)
            row.written_off_periods, row.credited = written, yuan(credited)
        _set_status(session, row, PaymentStatus.PAID.value, None)
        row.paid_at = row.paid_at or now
        row.transaction_id = row.transaction_id or _transaction_number(row.id, now)
        issue_invoice(session, row, now)
        row.receipt = _receipt(session, row, account).model_dump(mode="json")

    def _pay_bill(self, session: Session, account_number: str, period: str) -> bool:
        return (
            _changed(
                session,
                update(BillRow)
                .where(
                    BillRow.account_number == account_number,
                    BillRow.period == period,
                    BillRow.paid.is_(False),
                )
                .values(paid=True),
            )
            == 1
        )

    def _refund(self, session: Session, row: PaymentRow, now: dt.datetime) -> None:
        """The money went back: so does the write-off, once, in this same transaction."""
        undone = _changed(
            session,
            update(PaymentRow)
            .where(PaymentRow.id == row.id, PaymentRow.written_off.is_(True))
            .values(written_off=False),
        )
        if undone == 1:
            for period in row.written_off_periods:
                session.execute(
                    update(BillRow)
                    .where(BillRow.account_number == row.account_number, BillRow.period == period)
                    .values(paid=False)
                )
            account = session.get(AccountRow, row.account_number)
            if account is not None:
                account.balance = yuan(account.balance - row.credited)
            add_red_letter_note(session, row.id, now)
        _set_status(session, row, PaymentStatus.REVERSED.value, None)
        row.refunded = True
        row.updated_at = now


class _AbandonedClaims(Refusal):
    """Every payment holding the asked-for bills is long past its life: refused as any held bill
    is, unless the center settles those payments first (Cashier.create)."""

    def __init__(self, payment_ids: list[str]) -> None:
        super().__init__(409, "bill_in_payment", BILL_IN_PAYMENT)
        self.payment_ids = payment_ids


def _abandoned(row: PaymentRow, now: dt.datetime) -> bool:
    """Whether a payment holding bills is open beyond anything its kiosk would wait: a code
    payment CLAIM_LIFETIME after it was made, a QR once its wallet no longer takes it."""
    ends = as_utc(row.created_at) + CLAIM_LIFETIME
    if row.method == PaymentMethod.NATIVE and row.expires_at is not None:
        ends = max(ends, as_utc(row.expires_at))
    return now >= ends


def _owned(session: Session, kiosk_id: str, payment_id: str) -> PaymentRow | None:
    """The payment if this kiosk made it; None for an unknown id and for another kiosk's."""
    row = session.get(PaymentRow, payment_id)
    return row if row is not None and row.kiosk_id == kiosk_id else None


def _changed(session: Session, statement: Update) -> int:
    """How many rows an UPDATE changed (its result is a cursor's, which counts them)."""
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount


def _set_status(session: Session, row: PaymentRow, status: str, reason: str | None) -> None:
    """The one way a payment's status changes: once settled, it holds no bill any more."""
    row.status, row.reason = status, reason
    if PaymentStatus(_status(row)) in SETTLED:
        _release_claims(session, row.id)


def _release_claims(session: Session, payment_id: str) -> None:
    session.execute(delete(BillClaimRow).where(BillClaimRow.payment_id == payment_id))


def _check_prepay_limits(session: Session, amount: Decimal) -> None:
    """The utility's limits for one prepayment, as published to the kiosks."""
    settings = published_settings(session)
    if not settings.prepay_min <= amount <= settings.prepay_max:
        raise Refusal(
            422,
            "amount_out_of_range",
            f"a prepayment is from {settings.prepay_min} to {settings.prepay_max} yuan",
        )


def _check_method(request: PaymentRequest, merchants: dict[Wallet, Merchant]) -> None:
    if request.method is PaymentMethod.CODE and request.payment_code is None:
        raise Refusal(422, "invalid_request", "a code payment needs the payment code")
    if request.method is PaymentMethod.NATIVE and request.payment_code is not None:
        raise Refusal(422, "invalid_request", "a QR payment carries no payment code")
    if request.wallet not in merchants:
        raise Refusal(422, "wallet_unavailable", f"no {request.wallet.value} at this center")


def _status(row: PaymentRow) -> str:
    return PaymentStatus.UNKNOWN.value if row.status == SUBMITTING else row.status


def _transaction_number(payment_id: str, now: dt.datetime) -> str:
    return f"{now:%Y%m%d%H%M%S}{int(payment_id[:12], 16) % 10**8:08d}"


def _tombstone_answer(tombstone: PaymentTombstoneRow) -> PaymentAnswer:
    return PaymentAnswer(
        payment_id=tombstone.payment_id,
        status=PaymentStatus.CLOSED,
        reason=NOT_FOUND,
        wallet=Wallet(tombstone.wallet),
        method=PaymentMethod(tombstone.method),
        amount=yuan(tombstone.amount),
    )


def _answer(session: Session, row: PaymentRow) -> PaymentAnswer:
    status = PaymentStatus(_status(row))
    paid = status is PaymentStatus.PAID
    return PaymentAnswer(
        payment_id=row.id,
        status=status,
        reason=row.reason,
        refunded=row.refunded if status is PaymentStatus.REVERSED else False,
        wallet=Wallet(row.wallet),
        method=PaymentMethod(row.method),
        amount=yuan(row.amount),
        transaction_id=row.transaction_id,
        paid_at=as_utc(row.paid_at) if row.paid_at else None,
        code_url=row.code_url,
        expires_at=as_utc(row.expires_at) if row.expires_at else None,
        invoice=invoice_of(session, row.id) if paid else None,
        receipt=ReceiptFacts.model_validate(row.receipt) if paid and row.receipt else None,
    )


def _receipt(session: Session, row: PaymentRow, account: AccountRow) -> ReceiptFacts:
    """What this payment did, and only that: the bills it wrote off, and what went to the
    balance instead (a prepayment, or bills found paid another way when it was paid)."""
    written = set(row.written_off_periods)
    lines = [line for line in row.periods if line["period"] in written]
    bills = {
        bill.period: bill
        for bill in session.scalars(
            select(BillRow).where(
                BillRow.account_number == account.number,
                BillRow.period.in_([line["period"] for line in lines]),
            )
        )
    }
    periods = [
        ReceiptPeriod(
            period=line["period"],
            quantity=bills[line["period"]].quantity,
            tiers=[TierCharge(**tier) for tier in bills[line["period"]].tiers],
            amount=Decimal(line["amount"]),
            late_fee=Decimal(line["late_fee"]),
        )
        for line in lines
    ]
    prepay = row.purpose == PaymentPurpose.PREPAY
    return ReceiptFacts(
        account_number_masked=mask_digits(account.number),
        holder_name_masked=mask_name(account.holder.name),
        utility=Utility(account.utility),
        unit=tariff_of(account.tariff).unit,
        purpose=PaymentPurpose(row.purpose),
        periods=periods,
        amount=yuan(row.amount) if prepay else total([p.amount for p in periods]),
        late_fee=total([p.late_fee for p in periods]),
        to_balance=yuan(row.credited),
        total=yuan(row.amount),
        balance_after=yuan(account.balance),
    )
