"""The payment state machine, pure: every rule of the reference's polling and reverse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kiosk.domain.payment import (
    Action,
    Answer,
    CenterAnswer,
    Method,
    Outcome,
    Payment,
    PaymentError,
    PaymentRules,
    PaymentState,
    Purpose,
    new_payment,
    reference_of,
)

T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
RULES = PaymentRules(
    first_query_s=3,
    query_interval_s=5,
    query_window_s=45,
    native_query_interval_s=2,
    native_window_s=300,
    reverse_interval_s=2,
    reverse_backoff_max_s=60,
    confirm_grace_s=15,
)
PID = "0123456789abcdef0123456789abcdef"


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def fresh(method: Method = Method.CODE, purpose: Purpose = Purpose.ARREARS) -> Payment:
    return new_payment(
        PID,
        account_number="3201000001",
        purpose=purpose,
        amount=Decimal("123.45"),
        periods=("2026-09", "2026-10") if purpose is Purpose.ARREARS else (),
        method=method,
        wallet="wechat",
        now=T0,
    )


def sent(method: Method = Method.CODE) -> Payment:
    return fresh(method).submitted(at(0))


def answer(status: Answer, **fields: object) -> CenterAnswer:
    return CenterAnswer(status, **fields)  # type: ignore[arg-type]


def test_a_new_payment_is_created_and_must_be_submitted_first() -> None:
    payment = fresh()
    assert payment.state is PaymentState.CREATED
    assert payment.next_step().action is Action.SUBMIT
    assert payment.amount == Decimal("123.45")
    with pytest.raises(PaymentError):
        payment.answered(answer(Answer.PAID), at(1), RULES)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"payment_id": "not-hex"}, "32 lowercase hex"),
        ({"amount": Decimal("0")}, "more than zero"),
        ({"periods": ()}, "periods"),
        ({"now": dt.datetime(2026, 1, 1)}, "aware"),
    ],
)
def test_a_payment_that_cannot_be_is_refused(changes: dict, message: str) -> None:
    arguments = {
        "payment_id": PID,
        "account_number": "3201000001",
        "purpose": Purpose.ARREARS,
        "amount": Decimal("1.00"),
        "periods": ("2026-10",),
        "method": Method.CODE,
        "wallet": "wechat",
        "now": T0,
    }
    arguments.update(changes)
    payment_id = arguments.pop("payment_id")
    with pytest.raises(PaymentError, match=message):
        new_payment(payment_id, **arguments)  # type: ignore[arg-type]


def test_paid_at_once() -> None:
    payment = sent().answered(answer(Answer.PAID, transaction_id="T1", paid_at=at(1)), at(1), RULES)
    assert payment.state is PaymentState.PAID
    assert payment.settled and payment.next_step().action is Action.NONE
    assert payment.transaction_id == "T1"
    assert payment.outcome(at(1), RULES) is Outcome.PAID


def test_a_definite_failure_is_declined_with_its_reason() -> None:
    payment = sent().answered(answer(Answer.FAILED, reason="insufficient_funds"), at(1), RULES)
    assert payment.state is PaymentState.FAILED
    assert payment.reason == "insufficient_funds"
    assert payment.outcome(at(1), RULES) is Outcome.DECLINED


def test_userpaying_is_queried_first_soon_then_every_interval_then_reversed() -> None:
    payment = sent().answered(answer(Answer.PAYING), at(1), RULES)
    assert payment.state is PaymentState.UNKNOWN
    assert payment.waiting_for_resident
    step = payment.next_step()
    assert (step.action, step.due) == (Action.QUERY, at(1 + 3))
    t = 4.0
    while payment.state is PaymentState.UNKNOWN:
        payment = payment.answered(answer(Answer.PAYING), at(t), RULES)
        t = (payment.next_step().due - T0).total_seconds()
    # The window runs from the first "paying" (1 s): queried until 46 s, then reversed.
    assert payment.state is PaymentState.REVERSING
    assert payment.updated_at == at(46)
    assert payment.queries == 10  # at 4, 9, ... 44 s, and the last at the end of the window
    assert payment.next_step() == payment.next_step().__class__(Action.REVERSE, at(46))


def test_the_last_query_is_due_exactly_at_the_end_of_the_window() -> None:
    payment = sent().answered(answer(Answer.UNKNOWN), at(0), RULES)
    payment = payment.answered(answer(Answer.UNKNOWN), at(43), RULES)
    assert payment.next_step().due == at(45)


def test_userpaying_then_paid() -> None:
    payment = sent().answered(answer(Answer.PAYING), at(1), RULES)
    payment = payment.answered(answer(Answer.PAID, transaction_id="T9"), at(4), RULES)
    assert payment.state is PaymentState.PAID
    assert not payment.waiting_for_resident
    assert payment.queries == 1


def test_payerror_is_reversed_at_once_because_money_may_have_been_taken() -> None:
    payment = sent().answered(answer(Answer.UNKNOWN, reason="payerror"), at(1), RULES)
    assert payment.state is PaymentState.REVERSING
    assert payment.next_step().due == at(1)


def test_no_answer_to_the_submit_is_unknown_and_queried() -> None:
    payment = sent().no_answer(at(8), RULES, "CenterTimeout")
    assert payment.state is PaymentState.UNKNOWN
    assert payment.next_step().action is Action.QUERY
    assert payment.unknown_since == at(8)


def test_not_found_counts_as_unknown_until_the_window_ends_then_reverses() -> None:
    payment = sent().no_answer(at(1), RULES, "CenterUnreachable")
    payment = payment.answered(answer(Answer.NOT_FOUND), at(20), RULES)
    assert payment.state is PaymentState.UNKNOWN
    payment = payment.answered(answer(Answer.NOT_FOUND), at(46), RULES)
    assert payment.state is PaymentState.REVERSING


def test_a_refused_create_fails_with_the_centers_reason() -> None:
    payment = sent().refused("amount_changed", at(1))
    assert payment.state is PaymentState.FAILED
    assert payment.reason == "amount_changed"
    with pytest.raises(PaymentError):
        payment.refused("again", at(2))


def test_reverse_closes_or_refunds() -> None:
    reversing = sent().answered(answer(Answer.UNKNOWN, reason="payerror"), at(1), RULES)
    closed = reversing.answered(answer(Answer.CLOSED), at(2), RULES)
    assert (closed.state, closed.refunded) == (PaymentState.REVERSED, False)
    refunded = reversing.answered(answer(Answer.REVERSED, refunded=True), at(2), RULES)
    assert (refunded.state, refunded.refunded) == (PaymentState.REVERSED, True)
    assert refunded.outcome(at(2), RULES) is Outcome.CANCELLED


def test_a_reverse_that_asks_to_be_recalled_is_retried_then_backs_off_but_never_gives_up() -> None:
    payment = sent().answered(answer(Answer.UNKNOWN, reason="payerror"), at(0), RULES)
    delays = []
    now = 0.0
    for _ in range(10):
        payment = payment.answered(answer(Answer.PAYING, recall=True), at(now), RULES)
        due = (payment.next_step().due - T0).total_seconds()
        delays.append(due - now)
        now = due
    assert payment.state is PaymentState.REVERSING
    assert delays == [2, 2, 2, 4, 8, 16, 32, 60, 60, 60]
    payment = payment.no_answer(at(now), RULES, "CenterUnreachable")
    assert payment.state is PaymentState.REVERSING
    assert payment.answered(answer(Answer.CLOSED), at(now + 60), RULES).settled


def test_the_resident_is_told_unconfirmed_after_the_window_and_the_grace() -> None:
    payment = sent().answered(answer(Answer.UNKNOWN), at(0), RULES)
    assert payment.outcome(at(30), RULES) is Outcome.IN_PROGRESS
    reversing = payment.answered(answer(Answer.UNKNOWN), at(45), RULES)
    assert reversing.state is PaymentState.REVERSING
    assert reversing.outcome(at(50), RULES) is Outcome.IN_PROGRESS
    assert reversing.outcome(at(60), RULES) is Outcome.UNCONFIRMED


def test_native_waits_for_the_scan_then_paid() -> None:
    payment = sent(Method.NATIVE).answered(
        answer(Answer.WAITING, code_url="weixin://wxpay/bizpayurl?pr=abc", expires_at=at(7200)),
        at(1),
        RULES,
    )
    assert payment.state is PaymentState.UNKNOWN
    assert payment.code_url == "weixin://wxpay/bizpayurl?pr=abc"
    assert payment.next_step().due == at(3)
    assert payment.outcome(at(250), RULES) is Outcome.IN_PROGRESS
    paid = payment.answered(answer(Answer.PAID), at(30), RULES)
    assert paid.state is PaymentState.PAID
    assert paid.code_url == payment.code_url


def test_native_left_on_screen_is_closed_after_its_window() -> None:
    payment = sent(Method.NATIVE).answered(answer(Answer.WAITING, code_url="u"), at(0), RULES)
    payment = payment.answered(answer(Answer.WAITING), at(300), RULES)
    assert payment.state is PaymentState.REVERSING
    assert payment.next_step().action is Action.CLOSE


def test_leaving_the_qr_closes_the_order_and_a_late_payment_still_counts() -> None:
    payment = sent(Method.NATIVE).answered(answer(Answer.WAITING, code_url="u"), at(0), RULES)
    left = payment.abandon(at(10))
    assert (left.state, left.abandoned) == (PaymentState.REVERSING, True)
    assert left.next_step().action is Action.CLOSE
    assert left.outcome(at(20), RULES) is Outcome.IN_PROGRESS
    assert left.outcome(at(26), RULES) is Outcome.UNCONFIRMED
    # Paid just before the close: the close fails and the payment stands.
    assert left.answered(answer(Answer.PAID), at(11), RULES).state is PaymentState.PAID
    assert left.answered(answer(Answer.CLOSED), at(11), RULES).state is PaymentState.REVERSED


def test_abandoning_before_sending_fails_and_after_settling_changes_nothing() -> None:
    assert fresh().abandon(at(1)).state is PaymentState.FAILED
    paid = sent().answered(answer(Answer.PAID), at(1), RULES)
    assert paid.abandon(at(2)) == paid


def test_restart_created_was_never_sent() -> None:
    payment = fresh().interrupted(at(100))
    assert (payment.state, payment.reason) == (PaymentState.FAILED, "not_sent")


def test_restart_submitted_is_queried_with_the_window_from_when_it_was_sent() -> None:
    payment = sent().interrupted(at(10))
    assert payment.state is PaymentState.UNKNOWN
    assert payment.next_step().due == at(10)
    assert payment.unknown_since == at(0)
    later = sent().interrupted(at(3600)).answered(answer(Answer.NOT_FOUND), at(3600), RULES)
    assert later.state is PaymentState.REVERSING


def test_restart_with_a_native_qr_shown_closes_it() -> None:
    payment = sent(Method.NATIVE).answered(answer(Answer.WAITING, code_url="u"), at(0), RULES)
    resumed = payment.interrupted(at(50))
    assert resumed.state is PaymentState.REVERSING
    assert resumed.next_step().action is Action.CLOSE


def test_restart_keeps_a_reverse_going() -> None:
    reversing = sent().answered(answer(Answer.UNKNOWN, reason="payerror"), at(0), RULES)
    reversing = reversing.answered(answer(Answer.PAYING, recall=True), at(1), RULES)
    resumed = reversing.interrupted(at(500))
    assert resumed.state is PaymentState.REVERSING
    assert resumed.next_step().due == at(500)


def test_settled_payments_ignore_late_answers() -> None:
    paid = sent().answered(answer(Answer.PAID), at(1), RULES)
    assert paid.answered(answer(Answer.FAILED), at(2), RULES) is paid
    assert paid.no_answer(at(2), RULES, "x") is paid
    assert paid.interrupted(at(2)) is paid


def test_rules_must_be_positive() -> None:
    with pytest.raises(ValueError, match="query_window_s"):
        PaymentRules(query_window_s=0)


def test_reference_is_readable() -> None:
    assert reference_of(PID) == "0123-4567-89AB"


def test_a_qr_order_the_center_never_answers_is_closed_at_once_and_plainly_declined() -> None:
    payment = sent(Method.NATIVE).no_answer(at(10), RULES, "CenterTimeout")
    assert payment.state is PaymentState.REVERSING
    assert payment.next_step().action is Action.CLOSE  # closed in case the center made it
    assert payment.qr_not_made
    assert payment.outcome(at(10), RULES) is Outcome.DECLINED
    # The close goes on failing while the center is down: still a plain decline.
    retried = payment.no_answer(at(12), RULES, "CenterUnreachable")
    assert retried.outcome(at(100), RULES) is Outcome.DECLINED
    assert (
        retried.answered(answer(Answer.CLOSED), at(60), RULES).outcome(at(60), RULES)
        is Outcome.DECLINED
    )


def test_a_qr_order_with_its_code_shown_is_not_closed_for_one_lost_answer() -> None:
    shown = sent(Method.NATIVE).answered(answer(Answer.WAITING, code_url="u"), at(0), RULES)
    lost = shown.no_answer(at(2), RULES, "CenterTimeout")
    assert lost.state is PaymentState.UNKNOWN
    assert not lost.qr_not_made
    assert lost.outcome(at(2), RULES) is Outcome.IN_PROGRESS


def test_a_center_hanging_on_every_call_does_not_stretch_the_residents_wait() -> None:
    # The send hangs 30 s, then each query hangs: the state machine's window runs from the
    # first no-answer, the resident's from the start.
    lost = sent().no_answer(at(30), RULES, "CenterTimeout")
    assert lost.unknown_since == at(30)
    assert lost.outcome(at(59), RULES) is Outcome.IN_PROGRESS
    assert lost.outcome(at(60), RULES) is Outcome.UNCONFIRMED
    reversing = lost.no_answer(at(105), RULES, "CenterTimeout")
    assert reversing.state is PaymentState.REVERSING  # still reversed behind the screen
    assert reversing.outcome(at(106), RULES) is Outcome.UNCONFIRMED
