"""Every wallet behaviour end to end through the kiosk's CenterClient: create, query, reverse,
against the real center over loopback HTTP, checked against the wallets' ledger."""

from __future__ import annotations

import itertools
import uuid
from decimal import Decimal
from typing import Any

import pytest
import requests

from center.server import serve_center
from sync.client import CenterClient
from sync.protocol import PaymentAnswer, PaymentMethod, PaymentRequest, PaymentStatus
from sync.protocol.errors import CenterRejected, PaymentNotFound
from tests.support.center import DEMO_TODAY
from tests.support.waiting import wait_for

PREPAY_ACCOUNT = "3201000002"
AFTER_S = 0.3
_serial = itertools.count(1)


@pytest.fixture(scope="module")
def center(tmp_path_factory):
    db_file = tmp_path_factory.mktemp("center") / "center.db"
    with serve_center(f"sqlite:///{db_file}", today=DEMO_TODAY) as center:
        yield center


@pytest.fixture
def client(center):
    with CenterClient(center.url, "kiosk-payments", timeout=10.0) as client:
        yield client


def fresh_code(wallet: str) -> str:
    return f"{'13' if wallet == 'wechat' else '28'}{next(_serial):016d}"


def behave(center, *upcoming: str, wallet: str | None = None) -> None:
    requests.post(
        f"{center.url}/sim/wallets/behaviour",
        json={"wallet": wallet, "next": list(upcoming), "after_s": AFTER_S},
        timeout=5,
    ).raise_for_status()


def ledger(center) -> dict[str, dict[str, Any]]:
    orders = requests.get(f"{center.url}/sim/wallets/ledger", timeout=5).json()["orders"]
    return {order["out_trade_no"]: order for order in orders}


def prepay(wallet: str, amount: str = "30.00", code: str | None = None) -> PaymentRequest:
    return PaymentRequest(
        account_number=PREPAY_ACCOUNT,
        purpose="prepay",
        amount=Decimal(amount),
        method="code",
        wallet=wallet,
        payment_code=code or fresh_code(wallet),
    )


def native(wallet: str) -> PaymentRequest:
    return prepay(wallet).model_copy(update={"method": PaymentMethod.NATIVE, "payment_code": None})


def arrears(client: CenterClient, account: str, wallet: str = "wechat") -> PaymentRequest:
    bill = client.account_bill(account)
    assert bill.unpaid, f"{account} owes nothing"
    return PaymentRequest(
        account_number=account,
        purpose="arrears",
        amount=bill.total_due,
        periods=[u.period for u in bill.unpaid],
        method="code",
        wallet=wallet,
        payment_code=fresh_code(wallet),
    )


def settled_query(client: CenterClient, payment_id: str, *wanted: PaymentStatus) -> PaymentAnswer:
    def answer() -> PaymentAnswer | None:
        current = client.query_payment(payment_id)
        return current if current.status in wanted else None

    return wait_for(answer, timeout=5.0, what=f"payment {' or '.join(wanted)}")


def reverse_until_done(client: CenterClient, payment_id: str) -> PaymentAnswer:
    for _ in range(5):
        answer = client.reverse_payment(payment_id)
        if not answer.recall:
            return answer
    raise AssertionError("the reverse kept asking to be recalled")


def assert_money_agrees(center, client: CenterClient, payment_id: str) -> None:
    """Once a payment is settled, money is held exactly when the center says paid."""
    order = ledger(center).get(payment_id)
    held = bool(order and order["charged"] and not order["refunded"])
    answer = client.query_payment(payment_id)
    assert answer.status in (S.PAID, S.FAILED, S.REVERSED, S.CLOSED)
    assert held == (answer.status is PaymentStatus.PAID)


# behaviour -> (wechat: first, after queries), (alipay: first, after queries), then reversed to
S = PaymentStatus
CASES = {
    "userpaying_success": ((S.PAYING, S.PAID), (S.PAYING, S.PAID)),
    "userpaying_fail": ((S.PAYING, S.UNKNOWN), (S.PAYING, S.CLOSED)),
    "userpaying_forever": ((S.PAYING, S.PAYING), (S.PAYING, S.PAYING)),
    "systemerror_paid": ((S.UNKNOWN, S.PAID), (S.UNKNOWN, S.PAID)),
    "systemerror_unpaid": ((S.UNKNOWN, S.UNKNOWN), (S.UNKNOWN, S.PAYING)),
    "bankerror": ((S.UNKNOWN, S.PAID), (S.UNKNOWN, S.PAID)),
    "payerror_charged": ((S.UNKNOWN, S.UNKNOWN), (S.UNKNOWN, S.PAYING)),
    "insufficient_funds": ((S.FAILED, S.FAILED), (S.FAILED, S.FAILED)),
    "code_expired": ((S.FAILED, S.FAILED), (S.FAILED, S.FAILED)),
    "reverse_recall": ((S.PAYING, S.PAYING), (S.PAYING, S.PAYING)),
}


@pytest.mark.parametrize("wallet", ["wechat", "alipay"])
@pytest.mark.parametrize("behaviour", sorted(CASES))
def test_each_behaviour_create_query_reverse(center, client, behaviour, wallet):
    behave(center, behaviour)
    payment_id = uuid.uuid4().hex
    first_status, later_status = CASES[behaviour][0 if wallet == "wechat" else 1]
    first = client.pay(payment_id, prepay(wallet))
    assert first.status is first_status
    later = settled_query(client, payment_id, later_status)
    if behaviour == "userpaying_fail" and wallet == "wechat":
        assert later.reason == "payerror"
    if behaviour == "payerror_charged" and wallet == "wechat":
        assert later.reason == "payerror"
        assert ledger(center)[payment_id]["charged"]
    if later.status is S.FAILED:
        reason = {"insufficient_funds": "insufficient_funds", "code_expired": "code_expired"}
        expected = reason[behaviour] if wallet == "wechat" else None
        assert later.reason == (expected or later.reason)
        assert later.reason in ("insufficient_funds", "code_expired", "code_invalid")
    if behaviour == "reverse_recall":
        assert client.reverse_payment(payment_id).recall
    done = reverse_until_done(client, payment_id)
    if later.status is S.FAILED:
        assert done.status is S.FAILED
    elif later.status is S.PAID or behaviour == "payerror_charged":
        assert (done.status, done.refunded) == (S.REVERSED, True)
    else:
        assert done.status is S.CLOSED
    assert client.reverse_payment(payment_id) == done  # idempotent
    assert_money_agrees(center, client, payment_id)


def test_paid_at_once_writes_off_and_reverse_undoes_it(center, client):
    behave(center, "success")
    request = arrears(client, "3201000004")
    before = client.account_bill("3201000004")
    payment_id = uuid.uuid4().hex
    paid = client.pay(payment_id, request)
    assert paid.status is S.PAID and paid.transaction_id and paid.paid_at
    assert paid.invoice and len(paid.invoice.number) == 20
    assert paid.invoice.url.endswith(paid.invoice.number)
    receipt = paid.receipt
    assert receipt is not None
    assert receipt.account_number_masked == "3201**0004"
    assert "*" in receipt.holder_name_masked
    assert [p.period for p in receipt.periods] == request.periods
    assert receipt.total == request.amount == receipt.amount + receipt.late_fee
    assert all(sum(t.amount for t in p.tiers) == p.amount for p in receipt.periods)
    assert client.account_bill("3201000004").unpaid == []
    reversed_ = client.reverse_payment(payment_id)
    assert (reversed_.status, reversed_.refunded, reversed_.receipt) == (S.REVERSED, True, None)
    after = client.account_bill("3201000004")
    assert [u.period for u in after.unpaid] == [u.period for u in before.unpaid]
    assert after.balance == before.balance
    assert ledger(center)[payment_id]["refunded"]


def test_prepay_adds_to_the_balance_and_reverse_takes_it_back(center, client):
    behave(center, "success")
    before = client.account_bill(PREPAY_ACCOUNT).balance
    payment_id = uuid.uuid4().hex
    paid = client.pay(payment_id, prepay("alipay", "88.80"))
    assert paid.status is S.PAID
    assert paid.receipt and paid.receipt.balance_after == before + Decimal("88.80")
    assert client.account_bill(PREPAY_ACCOUNT).balance == before + Decimal("88.80")
    assert client.reverse_payment(payment_id).refunded
    assert client.account_bill(PREPAY_ACCOUNT).balance == before


def test_above_1000_yuan_the_resident_confirms_with_the_password(center, client):
    behave(center, "success")
    payment_id = uuid.uuid4().hex
    assert client.pay(payment_id, prepay("wechat", "1200.00")).status is S.PAYING
    assert settled_query(client, payment_id, S.PAID).amount == Decimal("1200.00")
    client.reverse_payment(payment_id)  # leave the demo balance as it was


def test_a_payment_code_cannot_pay_twice(center, client):
    code = fresh_code("wechat")
    first_id, second_id = uuid.uuid4().hex, uuid.uuid4().hex
    assert client.pay(first_id, prepay("wechat", code=code)).status is S.PAID
    second = client.pay(second_id, prepay("wechat", "31.00", code=code))
    assert (second.status, second.reason) == (S.FAILED, "code_used")
    assert not ledger(center)[second_id]["charged"]
    client.reverse_payment(first_id)


@pytest.mark.parametrize("wallet", ["wechat", "alipay"])
def test_native_order_scanned_and_paid_then_close_answers_paid(center, client, wallet):
    behave(center, "success")
    payment_id = uuid.uuid4().hex
    request = prepay(wallet).model_copy(
        update={"method": PaymentMethod.NATIVE, "payment_code": None}
    )
    waiting = client.pay(payment_id, request)
    assert waiting.status is S.WAITING and waiting.code_url and waiting.expires_at
    prefix = "weixin://wxpay/bizpayurl?pr=" if wallet == "wechat" else "https://qr.alipay.com/"
    assert waiting.code_url.startswith(prefix)
    assert client.query_payment(payment_id).status is S.WAITING
    scan = requests.post(
        f"{center.url}/sim/wallets/native/pay", json={"code_url": waiting.code_url}, timeout=5
    )
    assert scan.status_code == 200 and scan.json()["charged"]
    closed = client.close_payment(payment_id)
    assert closed.status is S.PAID and closed.invoice is not None
    assert client.query_payment(payment_id).status is S.PAID
    client.reverse_payment(payment_id)


def test_native_order_closed_unpaid_cannot_be_paid_any_more(center, client):
    behave(center, "success")
    payment_id = uuid.uuid4().hex
    request = prepay("wechat").model_copy(
        update={"method": PaymentMethod.NATIVE, "payment_code": None}
    )
    waiting = client.pay(payment_id, request)
    assert client.close_payment(payment_id).status is S.CLOSED
    requests.post(
        f"{center.url}/sim/wallets/native/pay", json={"code_url": waiting.code_url}, timeout=5
    )
    assert not ledger(center)[payment_id]["charged"]
    assert client.query_payment(payment_id).status is S.CLOSED


def test_unknown_payment_and_refusals_are_typed_and_carry_no_code(center, client):
    with pytest.raises(PaymentNotFound):
        client.query_payment(uuid.uuid4().hex)
    request = prepay("wechat").model_copy(update={"account_number": "9999999999"})
    with pytest.raises(CenterRejected) as caught:
        client.pay(uuid.uuid4().hex, request)
    assert (caught.value.status, caught.value.code) == (404, "account_not_found")
    assert request.payment_code not in str(caught.value)


def test_amount_changed_and_already_paid(center, client):
    behave(center, "success")
    request = arrears(client, "3201000001")
    wrong = request.model_copy(update={"amount": request.amount - Decimal("0.01")})
    with pytest.raises(CenterRejected) as caught:
        client.pay(uuid.uuid4().hex, wrong)
    assert (caught.value.status, caught.value.code) == (409, "amount_changed")
    assert client.pay(uuid.uuid4().hex, request).status is S.PAID
    again = request.model_copy(update={"payment_code": fresh_code("wechat")})
    with pytest.raises(CenterRejected) as caught:
        client.pay(uuid.uuid4().hex, again)
    assert (caught.value.status, caught.value.code) == (409, "already_paid")
