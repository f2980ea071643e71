"""A resident pays on the real window, through the scanner simulator, the real services and
store, and the real center with its wallet simulators; each outcome is checked on screen and
at the center.

Each test has a center of its own (`start_center`): paying writes bills off.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from kiosk.domain.payment import Outcome
from kiosk.ui.background import DeviceSignals
from kiosk.ui.formats import money
from kiosk.ui.local_text import CHINESE, ENGLISH
from sync.client import CenterClient
from sync.protocol import PaymentRequest, PaymentStatus
from tests.support.paying import wallet_ledger, wallets_will
from tests.support.ui import click, open_bill

IN_ARREARS = "3201000005"
WAIT_MS = 15000


def wechat_code() -> str:
    return "13" + "".join(random.choice("0123456789") for _ in range(16))


def owed_at_center(center: Any) -> Any:
    with CenterClient(center.url, "kiosk-e2e-check") as client:
        return client.account_bill(IN_ARREARS).total_due


@pytest.fixture
def paying(
    qtbot: Any, make_window: Any, start_center: Any, sim_scanner: Any
) -> Iterator[tuple[Any, Any, Any]]:
    """(window on the bill of 3201000005, its center, the scanner) with a code payment chosen."""
    center = start_center()
    devices = DeviceSignals()
    devices.attach_scanner(sim_scanner)
    window = make_window(center.url, devices=devices, language=ENGLISH)
    open_bill(qtbot, window, IN_ARREARS)
    qtbot.waitUntil(lambda: window.bill.pay_button.isVisible(), timeout=5000)
    yield window, center, sim_scanner
    devices.detach_all()


def pay_by_code(qtbot: Any, window: Any, scanner: Any) -> str:
    click(qtbot, window.bill.pay_button)
    click(qtbot, window.paying.method.code_button)
    assert window.navigator.current == "pay_code"
    code = wechat_code()
    scanner.show_code(code)
    return code


def result_of(qtbot: Any, window: Any) -> Any:
    qtbot.waitUntil(lambda: window.navigator.current == "payment_result", timeout=WAIT_MS)
    return window.paying.result


def test_pays_arrears_with_a_wechat_code_and_sees_the_receipt(
    qtbot: Any, paying: tuple[Any, Any, Any]
) -> None:
    window, center, scanner = paying
    owed = owed_at_center(center)
    assert owed > 0
    wallets_will(center, "success")
    pay_by_code(qtbot, window, scanner)
    result = result_of(qtbot, window)
    assert result.outcome is Outcome.PAID
    assert result.title.text() == "Payment successful"
    assert money(owed) in result.facts.texts()
    # No printer here: the receipt is kept for reprinting and the e-invoice QR is shown.
    qtbot.waitUntil(lambda: "reprint it here later" in result.receipt.text(), timeout=WAIT_MS)
    assert result.invoice_qr.text and result.invoice_qr.text.startswith("https://")
    assert window.bottom_bar.finish_button.isEnabled()
    assert owed_at_center(center) == 0
    charged = [o for o in wallet_ledger(center).values() if o.get("charged")]
    assert len(charged) == 1
    # Done, a face, and the session is over.
    click(qtbot, result.done_button)
    assert window.navigator.current == "rating"
    click(qtbot, window.paying.rating.face_buttons[5])
    assert window.navigator.current == "idle"


def test_a_declined_code_says_why_and_nothing_is_taken(
    qtbot: Any, paying: tuple[Any, Any, Any]
) -> None:
    window, center, scanner = paying
    owed = owed_at_center(center)
    wallets_will(center, "insufficient_funds")
    pay_by_code(qtbot, window, scanner)
    result = result_of(qtbot, window)
    assert result.outcome is Outcome.DECLINED
    assert "not enough money" in result.explanation.text()
    assert "No money was taken." in result.explanation.text()
    assert owed_at_center(center) == owed
    click(qtbot, result.try_again_button)
    assert window.navigator.current == "pay_method"


def test_confirm_on_the_phone_then_paid(qtbot: Any, paying: tuple[Any, Any, Any]) -> None:
    window, center, scanner = paying
    wallets_will(center, "userpaying_success", after_s=1.0)
    pay_by_code(qtbot, window, scanner)
    code = window.paying.code
    qtbot.waitUntil(
        lambda: "confirm the payment on your phone" in code.status.shown_text,
        timeout=5000,
    )
    result = result_of(qtbot, window)
    assert result.outcome is Outcome.PAID
    assert owed_at_center(center) == 0


def test_charged_despite_an_error_is_refunded(qtbot: Any, paying: tuple[Any, Any, Any]) -> None:
    window, center, scanner = paying
    owed = owed_at_center(center)
    wallets_will(center, "payerror_charged")
    pay_by_code(qtbot, window, scanner)
    result = result_of(qtbot, window)
    assert result.outcome is Outcome.CANCELLED
    assert "returned to your wallet" in result.explanation.text()
    assert owed_at_center(center) == owed
    assert all(o.get("refunded") or not o.get("charged") for o in wallet_ledger(center).values())


def test_never_confirmed_is_reversed_with_nothing_taken(
    qtbot: Any, paying: tuple[Any, Any, Any]
) -> None:
    window, center, scanner = paying
    owed = owed_at_center(center)
    wallets_will(center, "userpaying_forever")
    pay_by_code(qtbot, window, scanner)
    result = result_of(qtbot, window)
    assert result.outcome in (Outcome.CANCELLED, Outcome.UNCONFIRMED)
    if result.outcome is Outcome.UNCONFIRMED:
        assert result.progress.reference in result.explanation.text()
        # It goes on settling behind the screen, and the screen follows it.
        qtbot.waitUntil(lambda: result.outcome is Outcome.CANCELLED, timeout=WAIT_MS)
    assert result.explanation.text() == "No money was taken."
    assert owed_at_center(center) == owed


def test_unknown_then_paid_on_query(qtbot: Any, paying: tuple[Any, Any, Any]) -> None:
    window, center, scanner = paying
    wallets_will(center, "systemerror_paid")
    pay_by_code(qtbot, window, scanner)
    assert result_of(qtbot, window).outcome is Outcome.PAID
    assert owed_at_center(center) == 0


def test_an_expired_code_is_declined(qtbot: Any, paying: tuple[Any, Any, Any]) -> None:
    window, center, scanner = paying
    wallets_will(center, "code_expired")
    pay_by_code(qtbot, window, scanner)
    result = result_of(qtbot, window)
    assert result.outcome is Outcome.DECLINED
    assert "expired" in result.explanation.text()


def test_not_a_payment_code_is_refused_at_once(qtbot: Any, paying: tuple[Any, Any, Any]) -> None:
    window, center, scanner = paying
    click(qtbot, window.bill.pay_button)
    click(qtbot, window.paying.method.code_button)
    scanner.show_code("%%not-a-code%%")
    code = window.paying.code
    qtbot.waitUntil(lambda: "not a payment code" in code.status.shown_text, timeout=5000)
    assert window.navigator.current == "pay_code"
    assert list(wallet_ledger(center).values()) == []
    window.display.toggle_language()  # the refusal is said again in Chinese, not left English
    assert "不是付款码" in code.status.shown_text and "payment code" not in code.status.shown_text


def test_native_qr_paid_from_the_phone(qtbot: Any, paying: tuple[Any, Any, Any]) -> None:
    window, center, _ = paying
    wallets_will(center, "success")
    click(qtbot, window.bill.pay_button)
    click(qtbot, window.paying.method.wechat_button)
    qr = window.paying.qr
    assert window.navigator.current == "pay_qr"
    qtbot.waitUntil(lambda: qr.code_shown is not None, timeout=WAIT_MS)
    assert "closes in" in qr.countdown.text()
    answer = requests.post(
        f"{center.url}/sim/wallets/native/pay", json={"code_url": qr.code_shown}, timeout=5
    )
    answer.raise_for_status()
    assert result_of(qtbot, window).outcome is Outcome.PAID
    assert owed_at_center(center) == 0


def test_leaving_the_qr_closes_the_order(qtbot: Any, paying: tuple[Any, Any, Any]) -> None:
    window, center, _ = paying
    owed = owed_at_center(center)
    click(qtbot, window.bill.pay_button)
    click(qtbot, window.paying.method.alipay_button)
    qr = window.paying.qr
    qtbot.waitUntil(lambda: qr.code_shown is not None, timeout=WAIT_MS)
    code_url = qr.code_shown
    payment_id = window.payments.payment_id
    click(qtbot, window.bottom_bar.back_button)
    assert window.navigator.current == "pay_method"

    def closed() -> bool:
        progress = window._services.payment_progress(payment_id)
        return progress.outcome is Outcome.CANCELLED

    qtbot.waitUntil(closed, timeout=WAIT_MS)
    # The QR can no longer be paid.
    late = requests.post(
        f"{center.url}/sim/wallets/native/pay", json={"code_url": code_url}, timeout=5
    )
    assert late.status_code == 404 or late.json()["charged"] is False
    assert owed_at_center(center) == owed


def test_a_bill_already_being_paid_elsewhere_is_told_in_plain_words(
    qtbot: Any, paying: tuple[Any, Any, Any]
) -> None:
    """A relative is paying the same bill on a phone at another kiosk, still typing the
    password: this resident is told at once that a payment for the bill is under way and what
    to do, offered no retry, charged nothing; and reads it again in Chinese after switching."""
    window, center, scanner = paying
    owed = owed_at_center(center)
    wallets_will(center, "userpaying_success", after_s=30.0)
    with CenterClient(center.url, "kiosk-elsewhere") as elsewhere:
        bill = elsewhere.account_bill(IN_ARREARS)
        first = elsewhere.pay(
            uuid.uuid4().hex,
            PaymentRequest(
                account_number=IN_ARREARS,
                purpose="arrears",
                amount=bill.total_due,
                periods=[unpaid.period for unpaid in bill.unpaid],
                method="code",
                wallet="wechat",
                payment_code=wechat_code(),
            ),
        )
    assert first.status is PaymentStatus.PAYING
    pay_by_code(qtbot, window, scanner)
    result = result_of(qtbot, window)
    assert result.outcome is Outcome.DECLINED
    assert "already under way" in result.explanation.text()
    assert "wait a few minutes" in result.explanation.text()
    assert "No money was taken." in result.explanation.text()
    assert not result.try_again_button.isVisible() and result.done_button.isVisible()
    window.display.set_language(CHINESE)
    assert "正在缴费中" in result.explanation.text()
    assert "没有扣款" in result.explanation.text()
    assert owed_at_center(center) == owed
    assert [o for o in wallet_ledger(center).values() if o.get("charged")] == []
