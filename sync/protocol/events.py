"""The events a kiosk reports, in protocol v1: one schema per event type, shared by both ends.

An event travels in an `EventEnvelope` (id, type, aggregate, sequence, occurred_at) whose
`payload` is one of the schemas below, chosen by the envelope's `type`. The kiosk builds the
typed payload and its outbox writes `model_dump(mode="json")`; the center checks a delivered
payload against the schema of its type (`payload_schema`). A type not listed here is not
checked: the center stores it as it came, as it did before these schemas existed.

No payload carries personal data or a payment code: account numbers, payment ids, device and
screen names, codes that the center turns into words. The one exception is a call-back
request's phone number, sealed in the kiosk's queue (`personal=`) and opened only to send.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from sync.protocol.business import BUSINESS_EVENTS
from sync.protocol.event_base import EventPayload as EventPayload
from sync.protocol.event_base import Instant as Instant
from sync.protocol.event_base import ShortText as ShortText
from sync.protocol.fleet import CommandKind
from sync.protocol.payments import PaymentId, PaymentMethod, PaymentPurpose
from sync.protocol.schemas import AccountNumber, Money, Period

# -- payments: one event for every committed state of a payment ------------------------------


class PaymentEvent(EventPayload):
    """The payment as it stands in its new state (aggregate "payment", id the payment id)."""

    aggregate_type: ClassVar[str] = "payment"

    payment_id: PaymentId
    account_number: AccountNumber
    purpose: PaymentPurpose
    amount: Money
    periods: list[Period]
    method: PaymentMethod
    wallet: Annotated[str, Field(min_length=1, max_length=20)]
    reason: ShortText | None
    refunded: bool
    transaction_id: str | None
    paid_at: Instant | None


class PaymentCreated(PaymentEvent):
    """The intent, committed before anything is sent."""

    event_type: ClassVar[str] = "payment.created"


class PaymentSubmitted(PaymentEvent):
    event_type: ClassVar[str] = "payment.submitted"


class PaymentPaid(PaymentEvent):
    event_type: ClassVar[str] = "payment.paid"


class PaymentFailed(PaymentEvent):
    event_type: ClassVar[str] = "payment.failed"


class PaymentUnknown(PaymentEvent):
    """Nobody can tell yet: the kiosk queries (sent again after each query that still cannot)."""

    event_type: ClassVar[str] = "payment.unknown"


class PaymentReversing(PaymentEvent):
    event_type: ClassVar[str] = "payment.reversing"


class PaymentReversed(PaymentEvent):
    event_type: ClassVar[str] = "payment.reversed"


# -- receipts: where a paid payment's receipt stands ------------------------------------------


class ReceiptEvent(EventPayload):
    aggregate_type: ClassVar[str] = "payment"

    payment_id: PaymentId


class ReceiptPrinting(ReceiptEvent):
    event_type: ClassVar[str] = "receipt.printing"


class ReceiptPrinted(ReceiptEvent):
    event_type: ClassVar[str] = "receipt.printed"


class ReceiptWaitingForReprint(ReceiptEvent):
    """The printer failed: the receipt is kept to be reprinted at the kiosk later."""

    event_type: ClassVar[str] = "receipt.waiting_for_reprint"


# -- devices: each change of a device's health (aggregate "device", id "<kiosk>/<device>") ---


class DeviceLevel(StrEnum):
    """A device's health as reported in events ("unknown" is never a change to report)."""

    OK = "ok"
    WARNING = "warning"
    FAULT = "fault"


class DeviceEvent(EventPayload):
    aggregate_type: ClassVar[str] = "device"

    device: Annotated[str, Field(min_length=1, max_length=40)]
    status: DeviceLevel
    was: DeviceLevel
    detail: ShortText  # the driver's short technician text


class DeviceRecovered(DeviceEvent):
    event_type: ClassVar[str] = "device.recovered"


class DeviceWarning(DeviceEvent):
    event_type: ClassVar[str] = "device.warning"


class DeviceFault(DeviceEvent):
    event_type: ClassVar[str] = "device.fault"


# -- the kiosk itself (aggregate "kiosk", id the kiosk id) ------------------------------------


class CommandCarriedOut(EventPayload):
    """A remote command done (or failed) at the kiosk: the audit trail of the center's orders."""

    event_type: ClassVar[str] = "audit.command"
    aggregate_type: ClassVar[str] = "kiosk"

    command_id: UUID
    kind: CommandKind
    status: Literal["done", "failed"]
    reason: ShortText | None
    locked: bool  # whether the kiosk is locked after it


Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class AuditRecorded(EventPayload):
    """One entry of the kiosk's tamper-evident audit trail (rules.audit_chain), as chained there:
    the center keeps the copy the kiosk's trail is checked against."""

    event_type: ClassVar[str] = "audit.entry"
    aggregate_type: ClassVar[str] = "audit"

    seq: Annotated[int, Field(ge=1)]
    at: Instant
    actor: Annotated[str, Field(max_length=40)]
    action: Annotated[str, Field(max_length=60)]
    detail: Annotated[str, Field(max_length=500)]
    prev_hash: Hash
    hash: Hash


class SessionEndReason(StrEnum):
    TIMEOUT = "timeout"  # the resident walked away
    FINISHED = "finished"
    HOME = "home"
    LOCKED = "locked"  # the center locked the kiosk


class SessionEnded(EventPayload):
    """How one resident's session went, for the center's statistics: screen names only."""

    event_type: ClassVar[str] = "session.ended"
    aggregate_type: ClassVar[str] = "kiosk"

    started_at: Instant
    reason: SessionEndReason
    duration_s: Annotated[float, Field(ge=0)]
    screens: list[Annotated[str, Field(max_length=80)]]
    language: Annotated[str, Field(max_length=16)]
    large_text: bool


class CallBackRequested(EventPayload):
    """A resident asked to be called back (from Help). The phone number is the one personal
    field an event carries: sealed while it waits in the kiosk's queue, opened only to send."""

    event_type: ClassVar[str] = "help.call_back_requested"
    aggregate_type: ClassVar[str] = "kiosk"

    phone: Annotated[str, Field(pattern=r"^[0-9]{7,12}$")]
    language: Annotated[str, Field(max_length=16)]


class CallEnded(EventPayload):
    """A video-help call, once over: how long the resident waited, who answered, how long they
    talked, how it ended. No media is kept."""

    event_type: ClassVar[str] = "help.call_ended"
    aggregate_type: ClassVar[str] = "kiosk"

    call_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    started_at: Instant
    outcome: Annotated[
        str,
        Field(pattern=r"^(resident|staff|link_lost|no_answer|closed|unreachable)$"),
    ]
    answered_by: ShortText = ""
    waited_s: Annotated[float, Field(ge=0, le=86_400)]
    talked_s: Annotated[float, Field(ge=0, le=86_400)]


class RatingGiven(EventPayload):
    """One touch on a face after the session's business."""

    event_type: ClassVar[str] = "rating.given"
    aggregate_type: ClassVar[str] = "kiosk"

    score: Annotated[int, Field(ge=1, le=5)]
    payment_id: PaymentId | None = None


_DECLARED: tuple[type[EventPayload], ...] = (
    CallBackRequested,
    CallEnded,
    PaymentCreated,
    PaymentSubmitted,
    PaymentPaid,
    PaymentFailed,
    PaymentUnknown,
    PaymentReversing,
    PaymentReversed,
    ReceiptPrinting,
    ReceiptPrinted,
    ReceiptWaitingForReprint,
    DeviceRecovered,
    DeviceWarning,
    DeviceFault,
    CommandCarriedOut,
    AuditRecorded,
    SessionEnded,
    RatingGiven,
    *BUSINESS_EVENTS,
)
EVENT_PAYLOADS: Mapping[str, type[EventPayload]] = {
    schema.event_type: schema for schema in _DECLARED
}


def payload_schema(event_type: str) -> type[EventPayload] | None:
    """The schema of an event type's payload; None for a type the protocol does not declare."""
    return EVENT_PAYLOADS.get(event_type)


def parse_payload(event_type: str, payload: Mapping[str, Any]) -> EventPayload | None:
    """The typed payload of a declared event type (raises pydantic's ValidationError if it does
    not match); None for an undeclared type."""
    schema = payload_schema(event_type)
    return None if schema is None else schema.model_validate(payload)
