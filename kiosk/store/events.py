"""The domain's events as the protocol's: what the unit of work writes to the outbox.

The domain records plain dataclasses (kiosk.domain.payment) and may not know the protocol;
the center is told in the protocol's schemas (sync.protocol.events). This is the one place
that turns the first into the second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.domain import payment as domain
from sync.protocol import PaymentMethod, PaymentPurpose
from sync.protocol import events as protocol


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One event as the outbox takes it: the payload, whose aggregate, and when."""

    payload: protocol.EventPayload
    aggregate_id: str
    occurred_at: dt.datetime


PAYMENT_EVENTS: Mapping[type[domain.PaymentEvent], type[protocol.PaymentEvent]] = {
    domain.PaymentCreated: protocol.PaymentCreated,
    domain.PaymentSubmitted: protocol.PaymentSubmitted,
    domain.PaymentPaid: protocol.PaymentPaid,
    domain.PaymentFailed: protocol.PaymentFailed,
    domain.PaymentUnknown: protocol.PaymentUnknown,
    domain.PaymentReversing: protocol.PaymentReversing,
    domain.PaymentReversed: protocol.PaymentReversed,
}


def outgoing(event: object) -> Outgoing:
    """The protocol's form of a domain event; TypeError for an event it does not know."""
    if isinstance(event, domain.PaymentEvent):
        schema = PAYMENT_EVENTS[type(event)]
        payload = schema(
            payment_id=event.payment_id,
            account_number=event.account_number,
            purpose=PaymentPurpose(event.purpose.value),
            amount=event.amount,
            periods=list(event.periods),
            method=PaymentMethod(event.method.value),
            wallet=event.wallet,
            reason=event.reason,
            refunded=event.refunded,
            transaction_id=event.transaction_id,
            paid_at=event.paid_at,
        )
        return Outgoing(payload, event.payment_id, event.occurred_at)
    raise TypeError(f"no protocol event for {type(event).__name__}")
