"""Events: the payment records its own, and the protocol's schemas say what each one carries."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError
from pydantic_core import to_json

from kiosk.domain.payment import (
    Answer,
    CenterAnswer,
    Method,
    Payment,
    PaymentCreated,
    PaymentPaid,
    PaymentReversing,
    PaymentRules,
    PaymentSubmitted,
    PaymentUnknown,
    Purpose,
    new_payment,
)
from kiosk.store.events import outgoing
from sync.protocol.events import (
    EVENT_PAYLOADS,
    CommandCarriedOut,
    DeviceFault,
    PaymentEvent,
    RatingGiven,
    SessionEnded,
    SessionEndReason,
    parse_payload,
)

T0 = dt.datetime(2026, 11, 24, 9, 0, 0, 250000, tzinfo=dt.UTC)
PID = "0123456789abcdef0123456789abcdef"


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def payment() -> Payment:
    return new_payment(
        PID,
        account_number="3201000005",
        purpose=Purpose.ARREARS,
        amount=Decimal("45.6"),
        periods=("2026-10",),
        method=Method.CODE,
        wallet="wechat",
        now=T0,
    )


def test_each_new_state_records_its_event_on_the_payment_it_returns() -> None:
    created = payment()
    sent = created.submitted(at(1))
    unknown = sent.no_answer(at(2), PaymentRules(), "CenterTimeout")
    paid = unknown.answered(CenterAnswer(Answer.PAID, transaction_id="T-1"), at(5), PaymentRules())

    assert [type(e) for e in created.events] == [PaymentCreated]
    assert [type(e) for e in paid.events] == [
        PaymentCreated,
        PaymentSubmitted,
        PaymentUnknown,
        PaymentPaid,
    ]
    assert [e.occurred_at for e in paid.events] == [T0, at(1), at(2), at(5)]
    last = paid.events[-1]
    assert (last.transaction_id, last.paid_at, last.amount) == ("T-1", at(5), Decimal("45.60"))
    # Each payment has its own list: the one before is not changed by the next transition.
    assert len(sent.events) == 2


def test_events_are_not_facts_of_the_payment() -> None:
    one = payment()
    other = payment()
    other.events.clear()
    assert one == other and hash(one) == hash(other)
    assert "events" not in repr(one)


def test_an_abandoned_payment_being_reversed_records_it_again() -> None:
    reversing = payment().submitted(at(1)).abandon(at(2))
    reversing.events.clear()  # committed
    again = reversing.abandon(at(3))
    assert again.abandoned and [type(e) for e in again.events] == [PaymentReversing]


def test_the_payment_event_on_the_wire_is_the_json_the_center_always_had() -> None:
    paid = (
        payment()
        .submitted(at(1))
        .answered(
            CenterAnswer(Answer.PAID, transaction_id="T-1", paid_at=at(4)), at(5), PaymentRules()
        )
    )
    out = outgoing(paid.events[-1])

    assert (out.payload.event_type, out.payload.aggregate_type) == ("payment.paid", "payment")
    assert (out.aggregate_id, out.occurred_at) == (PID, at(5))
    assert json.loads(to_json(out.payload.model_dump(mode="json"))) == {
        "payment_id": PID,
        "account_number": "3201000005",
        "purpose": "arrears",
        "amount": "45.60",
        "periods": ["2026-10"],
        "method": "code",
        "wallet": "wechat",
        "reason": None,
        "refunded": False,
        "transaction_id": "T-1",
        "paid_at": at(4).isoformat(),
    }


def test_every_domain_event_has_its_schema() -> None:
    created = payment()
    for state_event in created.events:
        assert isinstance(outgoing(state_event).payload, PaymentEvent)
    with pytest.raises(TypeError):
        outgoing(object())


def test_the_center_parses_a_declared_type_with_its_schema_and_leaves_others() -> None:
    ended = SessionEnded(
        started_at=T0,
        reason=SessionEndReason.TIMEOUT,
        duration_s=95.0,
        screens=["idle", "lookup"],
        language="zh",
        large_text=False,
    )
    wire = ended.model_dump(mode="json")
    assert wire["started_at"] == T0.isoformat() and wire["reason"] == "timeout"
    assert parse_payload("session.ended", wire) == ended
    assert parse_payload("PaymentConfirmed", {"anything": 1}) is None
    with pytest.raises(ValidationError):
        parse_payload("rating.given", {"score": 9, "payment_id": None})
    with pytest.raises(ValidationError):
        parse_payload("device.fault", {"device": "printer", "status": "fault"})


def test_the_kiosks_events_and_their_types() -> None:
    command = uuid.uuid4()
    audit = CommandCarriedOut(
        command_id=command, kind="lock", status="done", reason=None, locked=True
    )
    assert audit.model_dump(mode="json")["command_id"] == str(command)
    assert RatingGiven(score=4).model_dump(mode="json") == {"score": 4, "payment_id": None}
    assert DeviceFault.event_type == "device.fault" and DeviceFault.aggregate_type == "device"
    assert set(EVENT_PAYLOADS) >= {
        "payment.created",
        "payment.reversed",
        "receipt.printed",
        "receipt.waiting_for_reprint",
        "device.recovered",
        "audit.command",
        "session.ended",
        "rating.given",
    }
