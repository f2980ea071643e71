"""The calls the center knows of, in the `calls` table: waiting, taken by one agent, ended.

Every change takes the signal bus's lock first and publishes what it tells in the same
transaction (center/calls/bus.py), so the queue every console sees and the messages each side
gets follow the changes in the order they were made, whichever process made them. Taking a
call is one UPDATE ... WHERE state = 'waiting': of two agents taking it at once exactly one
changes a row. Sync functions: the sockets run them off the event loop.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from center.calls.bus import lock_signals, publish
from center.calls.settings import CallSettings
from center.database import CallPushRow, CallRow, PaymentRow, as_utc
from center.staff.accounts import StaffMember, audit
from rules.masking import mask_digits
from sync.protocol.calls import (
    PUSHABLE_SCREENS,
    Answered,
    CallContext,
    Ended,
    EndReason,
    KioskCall,
    PushDone,
    PushKind,
    Queue,
    QueuedCall,
    StaffPush,
)
from sync.protocol.calls import Push as PushMessage

WAITING, TAKEN, ENDED = "waiting", "taken", "ended"
QUEUE_CHANNEL = "calls.queue"
DEFAULT_SECONDS_PER_PLACE = 120
RECENT_CALLS = 20  # the estimate is the mean wait of this many last answered calls
RECENT_WINDOW = dt.timedelta(hours=24)
NOTE_MAX = 2000
_REFERENCE = re.compile(r"^[0-9a-f]{12}([0-9a-f]{20})?$")


def kiosk_channel(call_id: str) -> str:
    return f"call.{call_id}.kiosk"


def staff_channel(call_id: str) -> str:
    return f"call.{call_id}.staff"


class CallRefused(Exception):
    """A call action the center will not do; `code` goes into a SocketError or an ErrorBody."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Opened:
    """What a kiosk's `call` came to: a new call, a resumed one, or one already ended."""

    outcome: Literal["new", "resumed", "ended"]
    state: str
    place: int = 0
    estimate_s: int = 0
    end_reason: EndReason | None = None
    agent: str = ""


@dataclass(frozen=True)
class TakeOutcome:
    outcome: Literal["taken", "resumed"]
    kiosk_id: str


class CallRegistry:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: CallSettings,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._sessions = sessions
        self.settings = settings
        self._clock = clock

    # -- reading --------------------------------------------------------------------------

    def call(self, call_id: str) -> CallRow | None:
        with self._sessions() as session:
            return session.get(CallRow, call_id)

    def queue(self) -> Queue:
        with self._sessions() as session:
            return _queue(session, self._clock())

    def place(self, call_id: str) -> tuple[int, int]:
        """(place among the waiting calls, estimate in seconds); (0, 0) when not waiting."""
        with self._sessions() as session:
            row = session.get(CallRow, call_id)
            if row is None or row.state != WAITING:
                return 0, 0
            return _place(session, row, self._clock())

    # -- the kiosk's side -----------------------------------------------------------------

    def open(self, kiosk_id: str, message: KioskCall) -> Opened:
        """A kiosk's `call`: a new waiting call, or (same id, same kiosk) the call resumed."""
        now = self._clock()
        with self._sessions.begin() as session:
            lock_signals(session)
            row = session.get(CallRow, message.call_id)
            if row is None:
                row = CallRow(
                    call_id=message.call_id,
                    kiosk_id=kiosk_id,
                    station=(message.context.station or kiosk_id)[:80],
                    context=message.context.model_dump(mode="json"),
                    state=WAITING,
                    created_at=now,
                )
                session.add(row)
                session.flush()
                _publish_queue(session, now)
                return Opened("new", WAITING, *_place(session, row, now))
            if row.kiosk_id != kiosk_id:
                raise CallRefused("not_your_call", "this call belongs to another kiosk")
            if row.state == ENDED:
                reason = EndReason(row.end_reason or EndReason.LINK_LOST)
                return Opened("ended", ENDED, end_reason=reason)
            row.kiosk_gone_at = None
            if row.state == WAITING:
                return Opened("resumed", WAITING, *_place(session, row, now))
            return Opened("resumed", TAKEN, agent=row.agent_name or "")

    def kiosk_call(self, kiosk_id: str, call_id: str, *, taken: bool = False) -> CallRow:
        """The kiosk's own call (`taken`: and answered), else CallRefused."""
        row = self.call(call_id)
        if row is None or row.kiosk_id != kiosk_id:
            raise CallRefused("not_your_call", "no such call of this kiosk")
        if row.state == ENDED:
            raise CallRefused("call_ended", "this call has ended")
        if taken and row.state != TAKEN:
            raise CallRefused("out_of_turn", "nobody has answered this call yet")
        return row

    def push_done(self, kiosk_id: str, message: PushDone) -> None:
        now = self._clock()
        with self._sessions.begin() as session:
            lock_signals(session)
            row = session.get(CallRow, message.call_id)
            if row is None or row.kiosk_id != kiosk_id:
                raise CallRefused("not_your_call", "no such call of this kiosk")
            pushed = session.get(CallPushRow, message.push_id)
            if pushed is None or pushed.call_id != message.call_id:
                raise CallRefused("unknown_push", "no such push in this call")
            if pushed.done_at is None:
                pushed.done_at, pushed.ok, pushed.detail = now, message.ok, message.detail
            publish(session, staff_channel(message.call_id), message.model_dump_json(), now)

    # -- the staff's side -----------------------------------------------------------------

    def take(self, call_id: str, member: StaffMember) -> TakeOutcome:
        """Give a waiting call to `member`, if nobody took it first; the same agent taking the
        call they hold again (a reloaded page) resumes it. The kiosk is told `answered`."""
        now = self._clock()
        with self._sessions.begin() as session:
            lock_signals(session)
            claimed = session.execute(
                update(CallRow)
                .where(CallRow.call_id == call_id, CallRow.state == WAITING)
                .values(
                    state=TAKEN,
                    taken_by=member.login,
                    agent_name=member.display_name[:80],
                    taken_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            row = session.get(CallRow, call_id)
            if row is None:
                raise CallRefused("not_found", "no such call")
            won = int(getattr(claimed, "rowcount", 0) or 0) == 1
            if not won:
                if row.state == ENDED:
                    raise CallRefused("call_ended", "this call has ended")
                if row.taken_by != member.login:
                    raise CallRefused("already_taken", "another agent took this call first")
                row.staff_gone_at = None
            audit(
                session,
                member.login,
                "call_take" if won else "call_resume",
                now,
                kiosk_id=row.kiosk_id,
                detail=call_id,
            )
            answered = Answered(
                call_id=call_id,
                agent=member.display_name[:200],
                ice_servers=self.settings.ice.servers_for(row.kiosk_id, now),
            )
            publish(session, kiosk_channel(call_id), answered.model_dump_json(), now)
            if won:
                _publish_queue(session, now)
            return TakeOutcome("taken" if won else "resumed", row.kiosk_id)

    def held_by(self, call_id: str, login: str) -> CallRow:
        """The call `login` has taken and not ended, else CallRefused."""
        row = self.call(call_id)
        if row is None or row.taken_by != login:
            raise CallRefused("not_your_call", "this is not a call you took")
        if row.state != TAKEN:
            raise CallRefused("call_ended", "this call has ended")
        return row

    def push(self, member: StaffMember, message: StaffPush) -> str:
        """Push help to the kiosk of a call `member` holds; the push's id."""
        if message.kind is PushKind.OPEN_SCREEN and message.screen not in PUSHABLE_SCREENS:
            screens = ", ".join(PUSHABLE_SCREENS)
            raise CallRefused("bad_push", f"a screen the kiosk can open: {screens}")
        if message.kind is not PushKind.OPEN_SCREEN and not message.text.strip():
            raise CallRefused("bad_push", "a message or a notice needs its text")
        now = self._clock()
        push_id = secrets.token_hex(16)
        with self._sessions.begin() as session:
            lock_signals(session)
            row = session.get(CallRow, message.call_id)
            if row is None or row.taken_by != member.login or row.state != TAKEN:
                raise CallRefused("not_your_call", "this is not a call you hold")
            session.add(
                CallPushRow(
                    push_id=push_id,
                    call_id=message.call_id,
                    login=member.login,
                    kind=message.kind.value,
                    screen=message.screen,
                    text=message.text,
                    pushed_at=now,
                )
            )
            audit(
                session,
                member.login,
                "call_push",
                now,
                kiosk_id=row.kiosk_id,
                detail=f"{message.kind.value} {message.screen}".strip()[:200],
            )
            pushed = PushMessage(
                call_id=message.call_id,
                push_id=push_id,
                kind=message.kind,
                screen=message.screen,
                text=message.text,
            )
            publish(session, kiosk_channel(message.call_id), pushed.model_dump_json(), now)
        return push_id

    def save_note(self, call_id: str, login: str, note: str) -> dt.datetime:
        """The note of a call `login` took (while it lasts or after); audited."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get(CallRow, call_id)
            if row is None or row.taken_by != login:
                raise CallRefused("not_your_call", "this is not a call you took")
            row.note = note[:NOTE_MAX]
            audit(session, login, "call_note", now, kiosk_id=row.kiosk_id, detail=call_id)
        return now

    def payment(self, call_id: str, login: str, reference: str) -> dict[str, Any]:
        """A payment of the call's kiosk, by the reference the resident reads out (the first
        12 hex digits of its id, dashes allowed; the whole id too), for the agent holding the
        call. Its state, amount, masked account and times: never its payment code."""
        wanted = re.sub(r"[\s-]", "", reference).lower()
        if not _REFERENCE.match(wanted):
            raise CallRefused("bad_reference", "a reference is 12 hex digits (3F2A-91C0-7B1D)")
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get(CallRow, call_id)
            if row is None or row.taken_by != login or row.state != TAKEN:
                raise CallRefused("not_your_call", "only the agent in this call may look it up")
            audit(
                session,
                login,
                "call_payment_lookup",
                now,
                kiosk_id=row.kiosk_id,
                detail=_reference(wanted),
            )
            found = session.scalars(
                select(PaymentRow)
                .where(PaymentRow.kiosk_id == row.kiosk_id, PaymentRow.id.startswith(wanted))
                .limit(2)
            ).all()
        if len(found) != 1:
            raise CallRefused("payment_not_found", "no payment with this reference at this kiosk")
        payment = found[0]
        return {
            "reference": _reference(payment.id),
            "state": payment.status,
            "reason": payment.reason,
            "refunded": payment.refunded,
            "amount": str(Decimal(payment.amount).quantize(Decimal("0.01"))),
            "purpose": payment.purpose,
            "method": payment.method,
            "wallet": payment.wallet,
            "account_masked": mask_digits(payment.account_number),
            "created_at": _iso(payment.created_at),
            "updated_at": _iso(payment.updated_at),
            "paid_at": _iso(payment.paid_at),
        }

    # -- either side, and the clock -------------------------------------------------------

    def end(
        self,
        call_id: str,
        reason: EndReason,
        *,
        kiosk_id: str | None = None,
        member: StaffMember | None = None,
    ) -> bool:
        """End the call (once); both sides are told `ended`, every console the queue. A kiosk
        may end only its own calls, staff only the call they hold. False: already ended."""
        now = self._clock()
        with self._sessions.begin() as session:
            lock_signals(session)
            row = session.get(CallRow, call_id)
            if row is None:
                raise CallRefused("not_found", "no such call")
            if kiosk_id is not None and row.kiosk_id != kiosk_id:
                raise CallRefused("not_your_call", "no such call of this kiosk")
            if member is not None and row.taken_by != member.login:
                raise CallRefused("not_your_call", "this is not a call you took")
            if row.state == ENDED:
                return False
            _end(session, row, reason, now)
            if member is not None:
                detail = f"{call_id} {reason.value}"
                kiosk = row.kiosk_id
                audit(session, member.login, "call_hang_up", now, kiosk_id=kiosk, detail=detail)
            _publish_queue(session, now)
            return True

    def gone(self, call_id: str, side: Literal["kiosk", "staff"]) -> None:
        """That side's socket closed without hanging up: the clock runs (sweep)."""
        now = self._clock()
        column = CallRow.kiosk_gone_at if side == "kiosk" else CallRow.staff_gone_at
        with self._sessions.begin() as session:
            session.execute(
                update(CallRow)
                .where(CallRow.call_id == call_id, CallRow.state != ENDED)
                .values({column: now})
                .execution_options(synchronize_session=False)
            )

    def sweep(self) -> int:
        """End the calls whose side did not come back in time (link_lost) and those nobody
        answered (no_answer); how many. Any process may sweep: each call ends once."""
        now = self._clock()
        lost = now - dt.timedelta(seconds=self.settings.resume_within_s)
        unanswered = now - self.settings.no_answer_after
        overdue = (
            select(CallRow)
            .where(CallRow.state != ENDED)
            .where(
                or_(
                    CallRow.kiosk_gone_at < lost,
                    CallRow.staff_gone_at < lost,
                    (CallRow.state == WAITING) & (CallRow.created_at < unanswered),
                )
            )
        )
        with self._sessions() as session:  # most sweeps find nothing: no lock for them
            if session.scalar(overdue.with_only_columns(CallRow.call_id).limit(1)) is None:
                return 0
        with self._sessions.begin() as session:
            lock_signals(session)
            rows = session.scalars(overdue).all()
            for row in rows:
                gone = row.kiosk_gone_at is not None or row.staff_gone_at is not None
                _end(session, row, EndReason.LINK_LOST if gone else EndReason.NO_ANSWER, now)
            if rows:
                _publish_queue(session, now)
            return len(rows)


def _end(session: Session, row: CallRow, reason: EndReason, now: dt.datetime) -> None:
    row.state, row.ended_at, row.end_reason = ENDED, now, reason.value
    ended = Ended(call_id=row.call_id, reason=reason).model_dump_json()
    publish(session, kiosk_channel(row.call_id), ended, now)
    publish(session, staff_channel(row.call_id), ended, now)


def _waiting(session: Session) -> list[CallRow]:
    return list(
        session.scalars(
            select(CallRow)
            .where(CallRow.state == WAITING)
            .order_by(CallRow.created_at, CallRow.call_id)
        )
    )


def _place(session: Session, row: CallRow, now: dt.datetime) -> tuple[int, int]:
    ids = [waiting.call_id for waiting in _waiting(session)]
    place = ids.index(row.call_id) + 1 if row.call_id in ids else 1
    return place, place * seconds_per_place(session, now)


def seconds_per_place(session: Session, now: dt.datetime) -> int:
    """The mean wait before an answer of the last calls answered (a day at most), or the
    default when none was."""
    recent = session.execute(
        select(CallRow.created_at, CallRow.taken_at)
        .where(CallRow.taken_at.is_not(None), CallRow.taken_at > now - RECENT_WINDOW)
        .order_by(CallRow.taken_at.desc())
        .limit(RECENT_CALLS)
    ).all()
    waits = [
        (as_utc(taken) - as_utc(created)).total_seconds()
        for created, taken in recent
        if taken is not None
    ]
    if not waits:
        return DEFAULT_SECONDS_PER_PLACE
    return max(10, round(sum(waits) / len(waits)))


def _queue(session: Session, now: dt.datetime) -> Queue:
    rows = session.scalars(
        select(CallRow).where(CallRow.state != ENDED).order_by(CallRow.created_at, CallRow.call_id)
    )
    return Queue(
        calls=[
            QueuedCall(
                call_id=row.call_id,
                kiosk_id=row.kiosk_id,
                station=row.station,
                waiting_s=max(0, int((now - as_utc(row.created_at)).total_seconds())),
                context=CallContext.model_validate(row.context),
                taken_by=row.taken_by if row.state == TAKEN else None,
            )
            for row in rows
        ]
    )


def _publish_queue(session: Session, now: dt.datetime) -> None:
    session.flush()
    publish(session, QUEUE_CHANNEL, _queue(session, now).model_dump_json(), now)


def _reference(payment_id: str) -> str:
    head = payment_id[:12].upper()
    return "-".join(head[i : i + 4] for i in range(0, 12, 4))


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else as_utc(moment).isoformat()
