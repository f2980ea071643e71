"""The payment service against the real center and its wallet simulators, over loopback HTTP,
on a real SQLite journal: each wallet behaviour ends where the reference says it must."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import requests

from kiosk.domain.payment import Outcome, PaymentState, ReceiptStatus
from kiosk.services.paying import Payments
from kiosk.services.payment_orders import order_for_arrears, order_for_prepay
from kiosk.services.payment_types import (
    PaymentLimits,
    PaymentProblem,
    PaymentProgress,
    PaymentRefused,
    PayOrder,
)
from kiosk.store import Store
from kiosk.store.payment_journal import PaymentJournal
from rules.codes import classify_code
from sync.client import CenterClient
from sync.protocol import AccountBill
from tests.support.center import RunningCenter
from tests.support.paying import make_payments, wallet_ledger, wallets_will
from tests.support.ui import BILL_QR_PREFIX
from tests.support.waiting import wait_for

ARREARS_ACCOUNT = "3201000005"
WECHAT_CODE = "134567890123456789"


class Codes:
    """Fresh single-use payment codes, as a wallet app shows them."""

    def __init__(self) -> None:
        self._next = 0

    def __call__(self, wallet: str = "wechat") -> str:
        self._next += 1
        head = "13" if wallet == "wechat" else "28"
        return f"{head}{self._next:016d}"


@pytest.fixture
def center(start_center: Callable[..., RunningCenter]) -> RunningCenter:
    return start_center()


@pytest.fixture
def client(center: RunningCenter) -> Iterator[CenterClient]:
    with CenterClient(center.url, "kiosk-paying-test", timeout=5.0) as client:
        yield client


@pytest.fixture
def payments(client: CenterClient, store: Store) -> Iterator[Payments]:
    payments = make_payments(client, store)
    yield payments
    payments.stop()


@pytest.fixture
def codes() -> Codes:
    return Codes()


def settled(payments: Payments, payment_id: str, timeout: float = 15.0) -> PaymentProgress:
    def done() -> PaymentProgress | None:
        progress = payments.progress(payment_id)
        return progress if progress.finished else None

    return wait_for(done, timeout=timeout)


def pay_arrears(
    payments: Payments, client: CenterClient, code: str, account: str = ARREARS_ACCOUNT
) -> tuple[AccountBill, PaymentProgress]:
    bill = client.account_bill(account)
    order = order_for_arrears(bill)
    first = payments.pay_by_code(order, classify_code(code, BILL_QR_PREFIX))
    return bill, first


def test_paid_at_once_writes_off_the_bills_and_keeps_the_receipt_without_a_printer(
    payments: Payments, client: CenterClient, center: RunningCenter, codes: Codes, store: Store
) -> None:
    code = codes()
    bill, first = pay_arrears(payments, client, code)
    assert first.state in (PaymentState.CREATED, PaymentState.SUBMITTED, PaymentState.PAID)
    progress = settled(payments, first.payment_id)
    assert progress.outcome is Outcome.PAID
    assert progress.amount == bill.total_due
    assert progress.transaction_id
    assert progress.invoice_number and len(progress.invoice_number) == 20
    assert progress.invoice_url
    # No printer here: the receipt waits to be reprinted, it is not lost.
    assert progress.receipt is ReceiptStatus.WAITING_FOR_REPRINT
    after = client.account_bill(ARREARS_ACCOUNT)
    assert after.unpaid == [] and after.total_due == 0
    order = wallet_ledger(center)[first.payment_id]
    assert Decimal(str(order["amount"])) == bill.total_due
    assert order["charged"] and not order["refunded"]
    # The payment code is in no file of the store: not the journal, not the queue.
    data = b"".join(path.read_bytes() for path in store.path.parent.glob(store.path.name + "*"))
    assert code.encode() not in data
    assert first.payment_id.encode() in data
    receipts = payments.receipts_for(ARREARS_ACCOUNT)
    assert [r.payment_id for r in receipts] == [first.payment_id]


def test_the_resident_confirming_on_the_phone_then_paid(
    payments: Payments, client: CenterClient, center: RunningCenter, codes: Codes
) -> None:
    wallets_will(center, "userpaying_success", after_s=0.6)
    seen: list[PaymentProgress] = []
    payments.watch(seen.append)
    bill = client.account_bill("3201000001")
    order = order_for_prepay(bill, Decimal("50"), PaymentLimits())
    first = payments.pay_by_code(order, classify_code(codes(), BILL_QR_PREFIX))
    progress = settled(payments, first.payment_id)
    assert progress.outcome is Outcome.PAID
    assert any(p.waiting_for_resident for p in seen if p.payment_id == first.payment_id)
    assert client.account_bill("3201000001").balance == bill.balance + Decimal("50.00")


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [("insufficient_funds", "insufficient_funds"), ("code_expired", "code_expired")],
)
def test_a_definite_decline_takes_nothing(
    payments: Payments,
    client: CenterClient,
    center: RunningCenter,
    codes: Codes,
    behaviour: str,
    reason: str,
) -> None:
    wallets_will(center, behaviour)
    _, first = pay_arrears(payments, client, codes())
    progress = settled(payments, first.payment_id)
    assert progress.outcome is Outcome.DECLINED
    assert progress.reason == reason
    assert client.account_bill(ARREARS_ACCOUNT).unpaid  # still owed
    order = wallet_ledger(center).get(first.payment_id)
    assert order is None or not order["charged"] or order["refunded"]


def test_a_used_code_is_declined(payments: Payments, client: CenterClient, codes: Codes) -> None:
    code = codes()
    bill = client.account_bill("3201000001")
    order = order_for_prepay(bill, Decimal("20"), PaymentLimits())
    first = payments.pay_by_code(order, classify_code(code, BILL_QR_PREFIX))
    assert settled(payments, first.payment_id).outcome is Outcome.PAID
    again = payments.pay_by_code(order, classify_code(code, BILL_QR_PREFIX))
    progress = settled(payments, again.payment_id)
    assert progress.outcome is Outcome.DECLINED
    assert progress.reason == "code_used"


@pytest.mark.parametrize(
    ("behaviour", "refunded"),
    [
        ("systemerror_unpaid", False),  # unknown all through the window: closed, nothing taken
        ("userpaying_forever", False),
        ("payerror_charged", True),  # taken despite the error: refunded
    ],
)
def test_unknown_to_the_end_is_reversed_and_nothing_stays_charged(
    payments: Payments,
    client: CenterClient,
    center: RunningCenter,
    codes: Codes,
    behaviour: str,
    refunded: bool,
) -> None:
    wallets_will(center, behaviour)
    _, first = pay_arrears(payments, client, codes())
    progress = settled(payments, first.payment_id)
    assert progress.outcome is Outcome.CANCELLED
    assert progress.refunded is refunded
    assert client.account_bill(ARREARS_ACCOUNT).unpaid  # the bills stand unpaid
    order = wallet_ledger(center)[first.payment_id]
    assert order["charged"] == order["refunded"] or not order["charged"]


@pytest.mark.parametrize("behaviour", ["systemerror_paid", "bankerror"])
def test_unknown_then_found_paid(
    payments: Payments, client: CenterClient, center: RunningCenter, codes: Codes, behaviour: str
) -> None:
    wallets_will(center, behaviour)
    _, first = pay_arrears(payments, client, codes())
    progress = settled(payments, first.payment_id)
    assert progress.outcome is Outcome.PAID
    assert client.account_bill(ARREARS_ACCOUNT).unpaid == []


def test_a_reverse_asked_to_be_recalled_is_called_again(
    payments: Payments, client: CenterClient, center: RunningCenter, codes: Codes
) -> None:
    wallets_will(center, "reverse_recall")
    _, first = pay_arrears(payments, client, codes())
    progress = settled(payments, first.payment_id)
    assert progress.outcome is Outcome.CANCELLED
    order = wallet_ledger(center)[first.payment_id]
    assert not order["charged"] or order["refunded"]


def test_a_changed_amount_is_refused_before_any_wallet(
    payments: Payments, client: CenterClient, center: RunningCenter, codes: Codes
) -> None:
    bill = client.account_bill(ARREARS_ACCOUNT)
    order = order_for_arrears(bill)
    wrong = PayOrder(order.account_number, order.purpose, order.amount - 1, order.periods)
    first = payments.pay_by_code(wrong, classify_code(codes(), BILL_QR_PREFIX))
    progress = settled(payments, first.payment_id)
    assert (progress.outcome, progress.reason) == (Outcome.DECLINED, "amount_changed")
    assert first.payment_id not in wallet_ledger(center)


def test_something_that_is_no_payment_code_is_refused_without_a_call(
    payments: Payments, client: CenterClient, store: Store
) -> None:
    bill = client.account_bill(ARREARS_ACCOUNT)
    with pytest.raises(PaymentRefused) as refused:
        payments.pay_by_code(
            order_for_arrears(bill), classify_code(BILL_QR_PREFIX + "3201000005", BILL_QR_PREFIX)
        )
    assert refused.value.problem is PaymentProblem.NOT_A_PAYMENT_CODE
    assert PaymentJournal(store.unit_of_work).unfinished() == []


def test_native_qr_paid_by_the_phone(
    payments: Payments, client: CenterClient, center: RunningCenter
) -> None:
    bill = client.account_bill("3201000002")
    order = order_for_prepay(bill, Decimal("100"), PaymentLimits())
    first = payments.pay_by_qr(order, "alipay")
    shown = wait_for(lambda: payments.progress(first.payment_id).code_url, timeout=5)
    assert payments.progress(first.payment_id).outcome is Outcome.IN_PROGRESS
    requests.post(
        f"{center.url}/sim/wallets/native/pay", json={"code_url": shown}, timeout=5
    ).raise_for_status()
    assert settled(payments, first.payment_id).outcome is Outcome.PAID


def test_leaving_the_qr_closes_the_order(
    payments: Payments, client: CenterClient, center: RunningCenter
) -> None:
    bill = client.account_bill("3201000002")
    order = order_for_prepay(bill, Decimal("30"), PaymentLimits())
    first = payments.pay_by_qr(order, "wechat")
    shown = wait_for(lambda: payments.progress(first.payment_id).code_url, timeout=5)
    payments.abandon(first.payment_id)
    progress = settled(payments, first.payment_id)
    assert (progress.outcome, progress.refunded) == (Outcome.CANCELLED, False)
    # The phone scans it too late: the order is closed and takes nothing.
    requests.post(f"{center.url}/sim/wallets/native/pay", json={"code_url": shown}, timeout=5)
    order_state = wallet_ledger(center)[first.payment_id]
    assert not order_state["charged"]


def test_a_payment_cut_off_by_a_restart_is_resumed_and_settled(
    client: CenterClient, center: RunningCenter, store: Store, codes: Codes
) -> None:
    wallets_will(center, "userpaying_forever")
    first_run = make_payments(client, store)
    _, first = pay_arrears(first_run, client, codes())
    wait_for(lambda: first_run.progress(first.payment_id).state is PaymentState.UNKNOWN, timeout=5)
    first_run.stop()
    assert [r.payment.id for r in PaymentJournal(store.unit_of_work).unfinished()] == [
        first.payment_id
    ]
    second_run = make_payments(client, store)
    try:
        assert second_run.resume_unfinished() == 1
        progress = settled(second_run, first.payment_id)
        assert progress.outcome is Outcome.CANCELLED
        assert PaymentJournal(store.unit_of_work).unfinished() == []
    finally:
        second_run.stop()


def test_listeners_hear_every_change_in_order(
    payments: Payments, client: CenterClient, codes: Codes
) -> None:
    heard: list[PaymentProgress] = []
    lock = threading.Lock()

    def listen(progress: PaymentProgress) -> None:
        with lock:
            heard.append(progress)

    payments.watch(listen)
    _, first = pay_arrears(payments, client, codes())
    settled(payments, first.payment_id)
    states = [p.state for p in heard if p.payment_id == first.payment_id]
    assert states[0] is PaymentState.SUBMITTED
    assert PaymentState.PAID in states
    assert heard[-1].receipt is ReceiptStatus.WAITING_FOR_REPRINT
