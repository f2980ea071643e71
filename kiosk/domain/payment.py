"""A payment's life at the kiosk: the state machine and the wallets' polling and reverse rules.

    created → submitted → paid | failed | unknown → reversing → reversed

Facts: ../shared/reference/payment-and-billing.md. The center's answer "paying" (the resident is
confirming on the phone), "waiting" (a native QR not scanned yet), "unknown" (SYSTEMERROR,
BANKERROR) and a query that finds nothing all leave the payment `unknown`: it is queried every
few seconds within a bounded window, then reversed. A reverse is retried until the wallet says
the order is closed or refunded: no order is ever left open.

Pure: no I/O, no clock. Every transition takes `now` (an aware datetime) and returns a new
`Payment`; the journal commits it before the service acts on it.

Events: every new state (or new facts in the same state) records one event on the payment it
returns (`Payment.events`: `PaymentPaid`, `PaymentUnknown`, ...), as cosmicpython's aggregates
do. The unit of work that commits the payment writes its events to the outbox in that same
commit and then empties the list; the store maps them to the protocol's schemas.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from rules.money import yuan

PAYMENT_ID = re.compile(r"^[0-9a-f]{32}$")


class PaymentState(StrEnum):
    CREATED = "created"  # intent recorded, nothing sent
    SUBMITTED = "submitted"  # about to be sent, or sent with no answer yet
    PAID = "paid"
    FAILED = "failed"  # definitely not paid, nothing taken
    UNKNOWN = "unknown"  # nobody can tell yet: query
    REVERSING = "reversing"  # being reversed (code) or closed (native)
    REVERSED = "reversed"  # closed unpaid, or refunded


SETTLED = frozenset({PaymentState.PAID, PaymentState.FAILED, PaymentState.REVERSED})


class Method(StrEnum):
    CODE = "code"
    NATIVE = "native"


class Purpose(StrEnum):
    ARREARS = "arrears"
    PREPAY = "prepay"


class Answer(StrEnum):
    """What the center said about the payment (sync.protocol.PaymentStatus, plus not found)."""

    PAID = "paid"
    PAYING = "paying"
    WAITING = "waiting"
    UNKNOWN = "unknown"
    FAILED = "failed"
    REVERSED = "reversed"
    CLOSED = "closed"
    NOT_FOUND = "not_found"


class Action(StrEnum):
    SUBMIT = "submit"
    QUERY = "query"
    REVERSE = "reverse"  # payment code: reverse (撤销) or cancel, refunding if it was paid
    CLOSE = "close"  # native: close the order so the QR stops working
    NONE = "none"  # settled


class Outcome(StrEnum):
    """What the resident's screen says."""

    IN_PROGRESS = "in_progress"
    PAID = "paid"
    DECLINED = "declined"
    CANCELLED = "cancelled"  # closed, or refunded
    UNCONFIRMED = "unconfirmed"  # "your money is safe, here is your reference number"


# A PAYERROR has been seen with the resident charged anyway: reverse at once, do not wait.
REVERSE_AT_ONCE = frozenset({"payerror"})
# The reason a resident is given for a QR order the center never answered: no QR was shown, so
# nothing can have been paid (the order is still closed behind the screen, in case it exists).
QR_NOT_MADE = "qr_not_made"


class ReceiptStatus(StrEnum):
    NONE = "none"  # not paid (yet): no receipt
    PRINTING = "printing"
    PRINTED = "printed"
    WAITING_FOR_REPRINT = "waiting_for_reprint"  # the printer failed; kept to reprint here later


class PaymentError(ValueError):
    """A transition that the state machine does not allow."""


@dataclass(frozen=True, slots=True)
class PaymentRules:
    """Timings from the wallets' guidance; defaults from config, tests shorten them."""

    first_query_s: float = 3.0  # after the first "paying" or "unknown"
    query_interval_s: float = 5.0
    query_window_s: float = 45.0  # from the first "unknown" to the reverse
    native_query_interval_s: float = 2.0
    native_window_s: float = 300.0  # a shown QR is followed this long, then closed
    reverse_interval_s: float = 2.0  # the first reverses, then doubling
    reverse_backoff_max_s: float = 60.0
    # After the window, the resident waits this much longer for the reverse to settle before
    # the screen says "we could not confirm" (the payment goes on settling behind it).
    confirm_grace_s: float = 15.0

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            if getattr(self, field.name) <= 0:
                raise ValueError(f"{field.name} must be positive")


@dataclass(frozen=True, slots=True)
class CenterAnswer:
    status: Answer
    reason: str | None = None
    recall: bool = False
    refunded: bool = False
    transaction_id: str | None = None
    paid_at: dt.datetime | None = None
    code_url: str | None = None
    expires_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Step:
    action: Action
    due: dt.datetime | None  # None: nothing more to do

    def wait_s(self, now: dt.datetime) -> float:
        return 0.0 if self.due is None else max(0.0, (self.due - now).total_seconds())


@dataclass(frozen=True, slots=True)
class PaymentEvent:
    """A payment came to a state, or has new facts in it: what the center is told of it.

    No payment code, no personal data: the account number, the amounts, the wallet's codes."""

    payment_id: str
    occurred_at: dt.datetime
    account_number: str
    purpose: Purpose
    amount: Decimal
    periods: tuple[str, ...]
    method: Method
    wallet: str
    reason: str | None
    refunded: bool
    transaction_id: str | None
    paid_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class PaymentCreated(PaymentEvent):
    """The intent to pay, committed before anything is sent."""


@dataclass(frozen=True, slots=True)
class PaymentSubmitted(PaymentEvent):
    """About to be sent to the center."""


@dataclass(frozen=True, slots=True)
class PaymentPaid(PaymentEvent):
    pass


@dataclass(frozen=True, slots=True)
class PaymentFailed(PaymentEvent):
    """Definitely not paid: declined, refused by the center, abandoned or never sent."""


@dataclass(frozen=True, slots=True)
class PaymentUnknown(PaymentEvent):
    """Nobody can tell yet; recorded again after each query that still cannot."""


@dataclass(frozen=True, slots=True)
class PaymentReversing(PaymentEvent):
    """Being reversed (code) or closed (native); recorded again at each retry."""


@dataclass(frozen=True, slots=True)
class PaymentReversed(PaymentEvent):
    """Closed unpaid, or refunded."""


EVENT_OF_STATE: dict[PaymentState, type[PaymentEvent]] = {
    PaymentState.CREATED: PaymentCreated,
    PaymentState.SUBMITTED: PaymentSubmitted,
    PaymentState.PAID: PaymentPaid,
    PaymentState.FAILED: PaymentFailed,
    PaymentState.UNKNOWN: PaymentUnknown,
    PaymentState.REVERSING: PaymentReversing,
    PaymentState.REVERSED: PaymentReversed,
}


def reference_of(payment_id: str) -> str:
    """The reference a resident reads to staff: 3F2A-91C0-7B1D (the id's first 12 digits)."""
    head = payment_id[:12].upper()
    return "-".join(head[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True, slots=True)
class Payment:
    id: str
    account_number: str
    purpose: Purpose
    amount: Decimal
    periods: tuple[str, ...]
    method: Method
    wallet: str
    state: PaymentState
    created_at: dt.datetime
    updated_at: dt.datetime
    unknown_since: dt.datetime | None = None
    next_at: dt.datetime | None = None
    queries: int = 0
    reverses: int = 0
    reason: str | None = None
    refunded: bool = False
    waiting_for_resident: bool = False  # the wallet says the resident is confirming
    abandoned: bool = False  # the resident left a native QR, or cancelled
    transaction_id: str | None = None
    paid_at: dt.datetime | None = None
    code_url: str | None = None
    expires_at: dt.datetime | None = None
    reversing_since: dt.datetime | None = None
    # What happened since the payment was last committed (see the module's docstring). Not a
    # fact of the payment: left out of comparisons, and not kept by the journal.
    events: list[PaymentEvent] = dataclasses.field(default_factory=list, compare=False, repr=False)

    # -- facts ---------------------------------------------------------------------------

    @property
    def settled(self) -> bool:
        return self.state in SETTLED

    @property
    def reference(self) -> str:
        return reference_of(self.id)

    @property
    def qr_not_made(self) -> bool:
        """A QR order the center never answered with a code: nobody could have paid it."""
        return (
            self.method is Method.NATIVE
            and self.code_url is None
            and not self.abandoned
            and self.state in (PaymentState.REVERSING, PaymentState.REVERSED)
        )

    def next_step(self) -> Step:
        if self.settled:
            return Step(Action.NONE, None)
        due = self.next_at or self.updated_at
        if self.state is PaymentState.CREATED:
            return Step(Action.SUBMIT, due)
        if self.state is PaymentState.REVERSING:
            return Step(Action.CLOSE if self.method is Method.NATIVE else Action.REVERSE, due)
        return Step(Action.QUERY, due)

    def outcome(self, now: dt.datetime, rules: PaymentRules) -> Outcome:
        if self.state is PaymentState.PAID:
            return Outcome.PAID
        if self.state is PaymentState.FAILED or self.qr_not_made:
            return Outcome.DECLINED
        if self.state is PaymentState.REVERSED:
            return Outcome.CANCELLED
        grace = dt.timedelta(seconds=rules.confirm_grace_s)
        if self.reversing_since is not None and now - self.reversing_since >= grace:
            return Outcome.UNCONFIRMED
        if self.method is Method.CODE:
            # Counted from the resident's start: a center that hangs on every call (the send,
            # each query, the reverse) must not stretch their wait past the window.
            waited = (now - self.created_at).total_seconds()
            if waited >= rules.query_window_s + rules.confirm_grace_s:
                return Outcome.UNCONFIRMED
        return Outcome.IN_PROGRESS

    # -- transitions ---------------------------------------------------------------------

    def submitted(self, now: dt.datetime) -> Payment:
        self._require(PaymentState.CREATED, "submit")
        return self._to(PaymentState.SUBMITTED, now, next_at=None)

    def answered(self, answer: CenterAnswer, now: dt.datetime, rules: PaymentRules) -> Payment:
        """The center answered a submit, a query, a reverse or a close."""
        if self.settled:
            return self
        if self.state is PaymentState.CREATED:
            raise PaymentError(f"payment {self.reference} answered before it was sent")
        if self.state is PaymentState.REVERSING:
            return self._reverse_answered(answer, now, rules)
        queries = self.queries + (self.state is PaymentState.UNKNOWN)
        if answer.status is Answer.PAID:
            return self._paid(answer, now, queries=queries)
        if answer.status is Answer.FAILED:
            return self._to(
                PaymentState.FAILED,
                now,
                reason=answer.reason or "failed",
                next_at=None,
                queries=queries,
            )
        if answer.status in (Answer.REVERSED, Answer.CLOSED):
            return self._to(
                PaymentState.REVERSED,
                now,
                refunded=answer.refunded,
                reason=answer.reason,
                next_at=None,
                queries=queries,
            )
        return self._still_unknown(answer, now, rules, queries=queries)

    def no_answer(self, now: dt.datetime, rules: PaymentRules, reason: str) -> Payment:
        """A call got no usable answer: unreachable, timed out, a 5xx, nonsense, busy (409)."""
        if self.settled:
            return self
        if self.state is PaymentState.CREATED:
            raise PaymentError(f"payment {self.reference} cannot fail to answer before it is sent")
        if self.state is PaymentState.REVERSING:
            return self._retry_reverse(now, rules, reason)
        queries = self.queries + (self.state is PaymentState.UNKNOWN)
        return self._still_unknown(
            CenterAnswer(Answer.UNKNOWN, reason=reason),
            now,
            rules,
            keep_waiting=True,
            queries=queries,
        )

    def refused(self, reason: str, now: dt.datetime) -> Payment:
        """The center refused to create the payment (amount changed, already paid, invalid).

        Only a create can be refused this way: nothing reached a wallet, nothing was taken.
        """
        self._require(PaymentState.SUBMITTED, "refuse")
        return self._to(PaymentState.FAILED, now, reason=reason, next_at=None)

    def abandon(self, now: dt.datetime) -> Payment:
        """The resident left (a native QR) or cancelled: close or reverse what may be open."""
        if self.settled or self.state is PaymentState.REVERSING:
            return self._recorded(abandoned=True) if not self.settled else self
        if self.state is PaymentState.CREATED:
            return self._to(PaymentState.FAILED, now, reason="abandoned", abandoned=True)
        return self._to(PaymentState.REVERSING, now, abandoned=True, next_at=now)

    def interrupted(self, now: dt.datetime) -> Payment:
        """The kiosk restarted with this payment unsettled: pick it up where it stood."""
        if self.settled:
            return self
        if self.state is PaymentState.CREATED:
            # The intent is committed before anything is sent, so nothing was.
            return self._to(PaymentState.FAILED, now, reason="not_sent", next_at=None)
        if self.state is PaymentState.SUBMITTED:
            # It may have reached the center: find out, and reverse if it stays unknown. The
            # window counts from when it was sent, not from the restart.
            return self._to(PaymentState.UNKNOWN, now, unknown_since=self.updated_at, next_at=now)
        # Nobody is at a native QR any more after a restart.
        abandoned = self.abandoned or self.method is Method.NATIVE
        if self.state is PaymentState.UNKNOWN and abandoned:
            return self._to(PaymentState.REVERSING, now, abandoned=True, next_at=now)
        return self._recorded(next_at=now, abandoned=abandoned)

    # -- inside --------------------------------------------------------------------------

    def _still_unknown(
        self,
        answer: CenterAnswer,
        now: dt.datetime,
        rules: PaymentRules,
        *,
        queries: int,
        keep_waiting: bool = False,
    ) -> Payment:
        since = self.unknown_since or now
        native = self.method is Method.NATIVE
        window = rules.native_window_s if native else rules.query_window_s
        ends = since + dt.timedelta(seconds=window)
        expires_at = answer.expires_at or self.expires_at
        if native and expires_at is not None:
            ends = min(ends, expires_at)
        # No answer to a QR order and no QR yet: close it now rather than keep a resident
        # before a QR that may never come.
        never_shown = native and keep_waiting and self.code_url is None
        if answer.reason in REVERSE_AT_ONCE or self.abandoned or never_shown or now >= ends:
            return self._to(
                PaymentState.REVERSING,
                now,
                unknown_since=since,
                reason=answer.reason or self.reason,
                queries=queries,
                next_at=now,
            )
        if native:
            interval = rules.native_query_interval_s
        elif self.state is PaymentState.SUBMITTED:
            interval = rules.first_query_s
        else:
            interval = rules.query_interval_s
        waiting = self.waiting_for_resident if keep_waiting else answer.status is Answer.PAYING
        return self._to(
            PaymentState.UNKNOWN,
            now,
            unknown_since=since,
            next_at=min(now + dt.timedelta(seconds=interval), ends),
            queries=queries,
            reason=answer.reason,
            waiting_for_resident=waiting,
            code_url=answer.code_url or self.code_url,
            expires_at=expires_at,
        )

    def _reverse_answered(
        self, answer: CenterAnswer, now: dt.datetime, rules: PaymentRules
    ) -> Payment:
        if answer.recall:
            return self._retry_reverse(now, rules, "recall")
        if answer.status in (Answer.REVERSED, Answer.CLOSED):
            return self._to(
                PaymentState.REVERSED,
                now,
                refunded=answer.refunded,
                reverses=self.reverses + 1,
                next_at=None,
            )
        if answer.status is Answer.PAID:
            # A native order paid just before it was closed: the close fails and it stays paid.
            return self._paid(answer, now, reverses=self.reverses + 1)
        if answer.status is Answer.FAILED:
            # Failed definitely (e.g. the create was refused after all): nothing to reverse.
            return self._to(
                PaymentState.FAILED,
                now,
                reason=answer.reason or self.reason or "failed",
                reverses=self.reverses + 1,
                next_at=None,
            )
        return self._retry_reverse(now, rules, answer.reason or answer.status.value)

    def _retry_reverse(self, now: dt.datetime, rules: PaymentRules, reason: str) -> Payment:
        done = self.reverses + 1
        # The first three at the wallets' pace, then doubling: the center may be down for hours.
        delay = rules.reverse_interval_s * 2 ** max(0, done - 3)
        delay = min(delay, rules.reverse_backoff_max_s)
        return self._to(
            PaymentState.REVERSING,
            now,
            reverses=done,
            reason=reason,
            next_at=now + dt.timedelta(seconds=delay),
        )

    def _paid(self, answer: CenterAnswer, now: dt.datetime, **changes: object) -> Payment:
        return self._to(
            PaymentState.PAID,
            now,
            transaction_id=answer.transaction_id,
            paid_at=answer.paid_at or now,
            reason=None,
            waiting_for_resident=False,
            next_at=None,
            **changes,
        )

    def _require(self, state: PaymentState, action: str) -> None:
        if self.state is not state:
            raise PaymentError(f"cannot {action} payment {self.reference}: it is {self.state}")

    def _to(self, state: PaymentState, now: dt.datetime, **changes: object) -> Payment:
        if state is PaymentState.REVERSING and self.reversing_since is None:
            changes.setdefault("reversing_since", now)
        return self._recorded(state=state, updated_at=now, **changes)

    def _recorded(self, **changes: object) -> Payment:
        """This payment with `changes`, and the event that tells of it recorded on it."""
        # A list of its own: emptying the new payment's events after its commit leaves ours.
        changed = dataclasses.replace(self, events=list(self.events), **changes)  # type: ignore[arg-type]
        changed.events.append(changed.event())
        return changed

    def event(self) -> PaymentEvent:
        """The event of the payment as it stands now."""
        return EVENT_OF_STATE[self.state](
            payment_id=self.id,
            occurred_at=self.updated_at,
            account_number=self.account_number,
            purpose=self.purpose,
            amount=self.amount,
            periods=self.periods,
            method=self.method,
            wallet=self.wallet,
            reason=self.reason,
            refunded=self.refunded,
            transaction_id=self.transaction_id,
            paid_at=self.paid_at,
        )


def new_payment(
    payment_id: str,
    *,
    account_number: str,
    purpose: Purpose,
    amount: Decimal,
    periods: tuple[str, ...] = (),
    method: Method,
    wallet: str,
    now: dt.datetime,
) -> Payment:
    """The intent to pay, before anything is sent. The id is the idempotency key."""
    if not PAYMENT_ID.match(payment_id):
        raise PaymentError("a payment id is 32 lowercase hex digits")
    if now.tzinfo is None:
        raise PaymentError("payment times must be aware datetimes")
    amount = yuan(amount)
    if amount <= 0:
        raise PaymentError("a payment must be for more than zero")
    if purpose is Purpose.ARREARS and not periods:
        raise PaymentError("paying arrears needs the periods it pays")
    payment = Payment(
        id=payment_id,
        account_number=account_number,
        purpose=purpose,
        amount=amount,
        periods=tuple(periods),
        method=method,
        wallet=wallet,
        state=PaymentState.CREATED,
        created_at=now,
        updated_at=now,
        next_at=now,
    )
    payment.events.append(payment.event())
    return payment


Receipt = TypeVar("Receipt")


def outcome_told(outcome: Outcome, method: Method, *, center_reachable: bool) -> Outcome:
    """What the resident is told. With the center known unreachable, a code payment's result
    cannot come until it is back: they are told at once that it could not be confirmed (their
    reference, their money safe) rather than wait out the query window. The payment goes on
    settling behind; a settled outcome later replaces this on screen."""
    if not center_reachable and method is Method.CODE and outcome is Outcome.IN_PROGRESS:
        return Outcome.UNCONFIRMED
    return outcome


# Not slots: a frozen slotted generic dataclass cannot be made as PaymentRecord[X](...).
@dataclass(frozen=True)
class PaymentRecord(Generic[Receipt]):
    """A payment with what the journal keeps beside it: its e-invoice and its receipt.

    `receipt` is the center's receipt facts, masked already, typed as whoever keeps them types
    them (at the kiosk, sync.protocol.ReceiptFacts): the domain only carries them."""

    payment: Payment
    invoice_number: str | None = None
    invoice_url: str | None = None
    receipt: Receipt | None = None
    receipt_status: ReceiptStatus = ReceiptStatus.NONE
    receipt_prints: int = 0
