"""The simulated wallets' shared ledger: every order, what was charged and what went back.

Both wallets keep their orders here in neutral terms; center/wallets/wechat.py and alipay.py
word them in each wallet's own vocabulary. Rows live in the center's database (survive a
restart, shared across processes); every operation is one transaction under the write lock.
Time passes only through the `now` each call brings: there is no background thread.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import threading
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from center.database import WalletCodeRow, WalletOrderRow, as_utc, write_lock
from center.wallets.behaviour import Behaviour, Drawn, draw_behaviour
from rules.codes import CodeKind, classify_code
from rules.money import yuan

PASSWORD_ABOVE = Decimal("1000.00")  # above this the resident must type the password
NATIVE_VALID_FOR = dt.timedelta(hours=2)
# Failures a refused micropay leaves on its order, so a retry is answered the same.
CODE_USED = "code_used"
CODE_INVALID = "code_invalid"
TOMBSTONE = "none"  # an order the wallet first heard of when asked to reverse or close it


class OrderState(StrEnum):
    PAYING = "paying"  # the resident is confirming on the phone
    NOTPAY = "notpay"  # open, nothing taken
    PAID = "paid"
    PAYERROR = "payerror"  # the wallet says it failed; `charged` tells the truth
    FAILED = "failed"  # definitely refused, nothing taken
    CLOSED = "closed"
    REVOKED = "revoked"  # reversed: `refunded` says whether money went back


class Opening(StrEnum):
    """How a micropay is first answered, before a wallet words it."""

    SUCCESS = "success"
    USERPAYING = "userpaying"
    SYSTEMERROR = "systemerror"
    BANKERROR = "bankerror"
    NOT_ENOUGH = "not_enough"
    CODE_EXPIRED = "code_expired"
    CODE_USED = "code_used"
    CODE_INVALID = "code_invalid"
    PARAMS_DIFFER = "params_differ"  # same order number, other parameters
    ORDER_CLOSED = "order_closed"
    ORDER_REVOKED = "order_revoked"


class Reversal(StrEnum):
    CLOSED = "closed"  # nothing had been taken
    REFUNDED = "refunded"  # it had been taken and went back
    RECALL = "recall"  # try again


class Closing(StrEnum):
    CLOSED = "closed"
    ALREADY_PAID = "already_paid"


@dataclass(frozen=True)
class OrderView:
    """One order as it stands, detached from the database."""

    wallet: str
    out_trade_no: str
    kind: str
    amount: Decimal
    behaviour: str
    state: OrderState
    charged: bool
    refunded: bool
    trade_no: str
    code_url: str | None
    paid_at: dt.datetime | None
    expires_at: dt.datetime | None


# What a new micropay does, by behaviour: state, charged, settles later, first answer.
_MICROPAY = {
    Behaviour.SUCCESS: (OrderState.PAID, True, False, Opening.SUCCESS),
    Behaviour.USERPAYING_SUCCESS: (OrderState.PAYING, False, True, Opening.USERPAYING),
    Behaviour.USERPAYING_FAIL: (OrderState.PAYING, False, True, Opening.USERPAYING),
    Behaviour.USERPAYING_FOREVER: (OrderState.PAYING, False, False, Opening.USERPAYING),
    Behaviour.REVERSE_RECALL: (OrderState.PAYING, False, False, Opening.USERPAYING),
    Behaviour.SYSTEMERROR_PAID: (OrderState.PAID, True, False, Opening.SYSTEMERROR),
    Behaviour.SYSTEMERROR_UNPAID: (OrderState.NOTPAY, False, False, Opening.SYSTEMERROR),
    Behaviour.BANKERROR: (OrderState.PAID, True, False, Opening.BANKERROR),
    Behaviour.PAYERROR_CHARGED: (OrderState.PAYERROR, True, False, Opening.SYSTEMERROR),
    Behaviour.INSUFFICIENT_FUNDS: (OrderState.FAILED, False, False, Opening.NOT_ENOUGH),
    Behaviour.CODE_EXPIRED: (OrderState.FAILED, False, False, Opening.CODE_EXPIRED),
}
_FAILURES = {
    Behaviour.INSUFFICIENT_FUNDS.value: Opening.NOT_ENOUGH,
    Behaviour.CODE_EXPIRED.value: Opening.CODE_EXPIRED,
    CODE_USED: Opening.CODE_USED,
    CODE_INVALID: Opening.CODE_INVALID,
}
# A native order scanned by the resident: these pay (the password first above the limit).
_NATIVE_PAYS = {
    Behaviour.SUCCESS,
    Behaviour.SYSTEMERROR_PAID,
    Behaviour.BANKERROR,
    Behaviour.PAYERROR_CHARGED,
    Behaviour.REVERSE_RECALL,
}
_WALLET_OF_CODE = {CodeKind.WECHAT: "wechat", CodeKind.ALIPAY: "alipay"}


def hash_code(code: str) -> str:
    """A payment code is never kept: only this hash, to recognise it again."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def hash_params(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def code_belongs_to(code: str, wallet: str) -> bool:
    # No bill QR starts with "-": only the payment-code formats can match.
    return _WALLET_OF_CODE.get(classify_code(code, "-").kind) == wallet


def url_token(seed: str, length: int) -> str:
    """The opaque token of a QR order's URL: lower-case letters and 2-7, as a wallet's are (a hex
    token could hold an 18-digit run that reads as an ID number to the personal-data scan)."""
    digest = base64.b32encode(hashlib.sha256(seed.encode()).digest()).decode()
    return digest.lower()[:length]


class WalletBook:
    """The orders of one simulated wallet."""

    def __init__(self, sessions: sessionmaker, wallet: str, trade_no_prefix: str) -> None:
        self._sessions = sessions
        self.wallet = wallet
        self._prefix = trade_no_prefix

    def _trade_no(self, out_trade_no: str) -> str:
        # All digits, 28 long, as the wallets' own transaction numbers are: a hex tail could
        # hold an 18-digit run that reads as an ID number to the personal-data scan.
        digits = int(hashlib.sha256(out_trade_no.encode()).hexdigest(), 16) % 10**24
        return f"{self._prefix}{digits:024d}"

    def micropay(
        self, out_trade_no: str, amount: Decimal, code: str, merchant_id: str, now: dt.datetime
    ) -> tuple[Opening, OrderView]:
        """Charge a payment code (or begin to): a retry of the same order is answered again."""
        code_hash = hash_code(code)
        params = hash_params("micropay", yuan(amount), code_hash, merchant_id)
        with self._sessions.begin() as session:
            write_lock(session)
            order = self._order(session, out_trade_no)
            if order is not None:
                return self._again(order, params, now), _view(order)
            if not code_belongs_to(code, self.wallet):
                order = self._new(session, out_trade_no, "micropay", amount, params, now)
                _fail(order, CODE_INVALID)
                return Opening.CODE_INVALID, _view(order)
            used = session.get(WalletCodeRow, (self.wallet, code_hash))
            drawn = draw_behaviour(session, self.wallet) if used is None else None
            order = self._new(session, out_trade_no, "micropay", amount, params, now, drawn)
            if used is not None:
                _fail(order, CODE_USED)
                return Opening.CODE_USED, _view(order)
            session.add(
                WalletCodeRow(wallet=self.wallet, code_hash=code_hash, out_trade_no=out_trade_no)
            )
            assert drawn is not None
            opening, view = _open_micropay(order, drawn, now), _view(order)
        if drawn.slow_s > 0:
            # A slow wallet answers late, after its order is stored (and never under the lock).
            threading.Event().wait(drawn.slow_s)
        return opening, view

    def open_native(
        self, out_trade_no: str, amount: Decimal, merchant_id: str, now: dt.datetime, url: str
    ) -> tuple[bool, OrderView]:
        """A QR order; False when the number is taken by an order with other parameters."""
        params = hash_params("native", yuan(amount), merchant_id)
        with self._sessions.begin() as session:
            write_lock(session)
            order = self._order(session, out_trade_no)
            if order is not None:
                _advance(order, now)
                return order.params_hash == params, _view(order)
            drawn = draw_behaviour(session, self.wallet)
            order = self._new(session, out_trade_no, "native", amount, params, now, drawn)
            order.state = OrderState.NOTPAY
            order.code_url = url
            order.expires_at = now + NATIVE_VALID_FOR
            return True, _view(order)

    def look_up(self, out_trade_no: str, now: dt.datetime) -> OrderView | None:
        with self._sessions.begin() as session:
            write_lock(session)
            order = self._order(session, out_trade_no)
            if order is None:
                return None
            _advance(order, now)
            return _view(order)

    def reverse(self, out_trade_no: str, now: dt.datetime) -> tuple[Reversal, OrderView]:
        """Undo an order whatever its state: close it if unpaid, refund it if paid."""
        with self._sessions.begin() as session:
            write_lock(session)
            order = self._order(session, out_trade_no) or self._tombstone(
                session, out_trade_no, OrderState.REVOKED, now
            )
            _advance(order, now)
            if order.recalls_left > 0:
                order.recalls_left -= 1
                return Reversal.RECALL, _view(order)
            if order.charged and not order.refunded:
                order.refunded = True
            order.state = OrderState.REVOKED
            return (Reversal.REFUNDED if order.refunded else Reversal.CLOSED), _view(order)

    def close(self, out_trade_no: str, now: dt.datetime) -> tuple[Closing, OrderView]:
        """Close an unpaid order; a paid one stays paid."""
        with self._sessions.begin() as session:
            write_lock(session)
            order = self._order(session, out_trade_no) or self._tombstone(
                session, out_trade_no, OrderState.CLOSED, now
            )
            _advance(order, now)
            if order.state == OrderState.PAID:
                return Closing.ALREADY_PAID, _view(order)
            if order.charged and not order.refunded:
                order.refunded = True  # charged although it failed: closing gives it back
            if order.state not in (OrderState.REVOKED, OrderState.FAILED):
                order.state = OrderState.CLOSED
            return Closing.CLOSED, _view(order)

    def scan_and_pay(self, code_url: str, now: dt.datetime) -> OrderView | None:
        """The resident scans a native QR and pays (as the order's behaviour lets them)."""
        with self._sessions.begin() as session:
            write_lock(session)
            order = session.scalar(
                select(WalletOrderRow).where(
                    WalletOrderRow.wallet == self.wallet, WalletOrderRow.code_url == code_url
                )
            )
            if order is None:
                return None
            _advance(order, now)
            if order.state == OrderState.NOTPAY:
                behaviour = Behaviour(order.behaviour)
                if behaviour in _NATIVE_PAYS:
                    _pay_or_ask_password(order, now)
                elif behaviour is Behaviour.USERPAYING_SUCCESS:
                    _ask_password(order, now)
                elif behaviour is Behaviour.USERPAYING_FOREVER:
                    order.state = OrderState.PAYING
                # Otherwise the resident's wallet refused: the QR stays open to try again.
            return _view(order)

    def _order(self, session: Session, out_trade_no: str) -> WalletOrderRow | None:
        return session.get(WalletOrderRow, (self.wallet, out_trade_no))

    def _new(
        self,
        session: Session,
        out_trade_no: str,
        kind: str,
        amount: Decimal,
        params: str,
        now: dt.datetime,
        drawn: Drawn | None = None,
    ) -> WalletOrderRow:
        order = WalletOrderRow(
            wallet=self.wallet,
            out_trade_no=out_trade_no,
            kind=kind,
            params_hash=params,
            amount=yuan(amount),
            behaviour=drawn.behaviour.value if drawn else TOMBSTONE,
            after_s=drawn.after_s if drawn else 0.0,
            state=OrderState.NOTPAY,
            charged=False,
            refunded=False,
            recalls_left=0,
            trade_no=self._trade_no(out_trade_no),
            created_at=now,
        )
        session.add(order)
        return order

    def _tombstone(
        self, session: Session, out_trade_no: str, state: OrderState, now: dt.datetime
    ) -> WalletOrderRow:
        # Remembered, so a pay arriving later under this number is refused, never charged.
        order = self._new(session, out_trade_no, "micropay", Decimal(0), "", now)
        order.state = state
        return order

    def _again(self, order: WalletOrderRow, params: str, now: dt.datetime) -> Opening:
        if order.behaviour == TOMBSTONE:
            closed = order.state == OrderState.CLOSED
            return Opening.ORDER_CLOSED if closed else Opening.ORDER_REVOKED
        if order.params_hash != params:
            return Opening.PARAMS_DIFFER
        _advance(order, now)
        state = OrderState(order.state)
        if state is OrderState.FAILED:
            return _FAILURES.get(order.behaviour, Opening.CODE_INVALID)
        return {
            OrderState.PAID: Opening.SUCCESS,
            OrderState.PAYING: Opening.USERPAYING,
            OrderState.NOTPAY: Opening.SYSTEMERROR,
            OrderState.PAYERROR: Opening.SYSTEMERROR,
            OrderState.CLOSED: Opening.ORDER_CLOSED,
            OrderState.REVOKED: Opening.ORDER_REVOKED,
        }[state]


def ledger(sessions: sessionmaker) -> list[dict[str, Any]]:
    """Every order of every simulated wallet, for tests: what was charged, what went back."""
    with sessions() as session:
        orders = session.scalars(
            select(WalletOrderRow).order_by(WalletOrderRow.created_at, WalletOrderRow.out_trade_no)
        )
        return [
            {
                "out_trade_no": o.out_trade_no,
                "wallet": o.wallet,
                "kind": o.kind,
                "amount": str(o.amount),
                "behaviour": o.behaviour,
                "charged": o.charged,
                "refunded": o.refunded,
                "state": o.state,
            }
            for o in orders
        ]


def _open_micropay(order: WalletOrderRow, drawn: Drawn, now: dt.datetime) -> Opening:
    behaviour = drawn.behaviour
    if behaviour is Behaviour.SUCCESS and yuan(order.amount) > PASSWORD_ABOVE:
        _ask_password(order, now)
        return Opening.USERPAYING
    state, charged, settles, opening = _MICROPAY[behaviour]
    order.state = state
    order.charged = charged
    if state is OrderState.PAID:
        order.paid_at = now
    if settles:
        order.settles_at = now + dt.timedelta(seconds=order.after_s)
    if behaviour is Behaviour.REVERSE_RECALL:
        order.recalls_left = 1
    return opening


def _fail(order: WalletOrderRow, failure: str) -> None:
    order.state = OrderState.FAILED
    order.behaviour = failure


def _pay_or_ask_password(order: WalletOrderRow, now: dt.datetime) -> None:
    if yuan(order.amount) > PASSWORD_ABOVE:
        _ask_password(order, now)
    else:
        order.state, order.charged, order.paid_at = OrderState.PAID, True, now


def _ask_password(order: WalletOrderRow, now: dt.datetime) -> None:
    order.state = OrderState.PAYING
    order.settles_at = now + dt.timedelta(seconds=order.after_s)


def _advance(order: WalletOrderRow, now: dt.datetime) -> None:
    """What time has done to the order since it was last looked at."""
    settles, expires = order.settles_at, order.expires_at
    if order.state == OrderState.PAYING and settles is not None and now >= as_utc(settles):
        if order.behaviour == Behaviour.USERPAYING_FAIL:
            order.state = OrderState.PAYERROR  # the resident cancelled on the phone
        else:
            order.state, order.charged, order.paid_at = OrderState.PAID, True, now
        order.settles_at = None
    if order.state == OrderState.NOTPAY and expires is not None and now >= as_utc(expires):
        order.state = OrderState.CLOSED


def _view(order: WalletOrderRow) -> OrderView:
    return OrderView(
        wallet=order.wallet,
        out_trade_no=order.out_trade_no,
        kind=order.kind,
        amount=yuan(order.amount),
        behaviour=order.behaviour,
        state=OrderState(order.state),
        charged=order.charged,
        refunded=order.refunded,
        trade_no=order.trade_no,
        code_url=order.code_url,
        paid_at=as_utc(order.paid_at) if order.paid_at else None,
        expires_at=as_utc(order.expires_at) if order.expires_at else None,
    )
