"""The demo panel drives the real simulated devices, and the center's wallet simulators."""

import re
import uuid
from decimal import Decimal
from typing import Any

import requests
from PySide6.QtCore import Qt

from drivers.contracts import PrinterStatus
from kiosk.demo_devices import NEXT_PAYMENT, WalletHands
from kiosk.ui.background import DeviceSignals
from kiosk.ui.simulator_panel import BILL_QR_PREFIX, SimulatorPanel, demo_account_numbers
from sync.client import CenterClient
from sync.protocol import PaymentMethod, PaymentRequest, PaymentStatus

PREPAY_ACCOUNT = "3201000001"


def test_panel_drives_scanner_reader_and_printer(
    qtbot: Any, sim_scanner: Any, sim_idcard_reader: Any, sim_printer: Any
) -> None:
    panel = SimulatorPanel(
        {"scanner": sim_scanner, "idcard": sim_idcard_reader, "printer": sim_printer}
    )
    qtbot.addWidget(panel)
    signals = DeviceSignals()
    signals.attach_scanner(sim_scanner)
    signals.attach_id_card_reader(sim_idcard_reader)
    try:
        assert "3201000001" in demo_account_numbers()
        with qtbot.waitSignal(signals.sig_code_scanned, timeout=3000) as scanned:
            qtbot.mouseClick(panel.buttons["Bill QR 3201000001"], Qt.MouseButton.LeftButton)
        assert scanned.args == [BILL_QR_PREFIX + "3201000001"]
        with qtbot.waitSignal(signals.sig_code_scanned, timeout=3000) as scanned:
            qtbot.mouseClick(panel.buttons["WeChat payment code"], Qt.MouseButton.LeftButton)
        first = scanned.args[0]
        assert re.fullmatch(r"1[0-5]\d{16}", first)
        with qtbot.waitSignal(signals.sig_code_scanned, timeout=3000) as scanned:
            qtbot.mouseClick(panel.buttons["WeChat payment code"], Qt.MouseButton.LeftButton)
        assert scanned.args[0] != first  # single-use: a fresh one per press
        with qtbot.waitSignal(signals.sig_code_scanned, timeout=3000) as scanned:
            qtbot.mouseClick(panel.buttons["Alipay payment code"], Qt.MouseButton.LeftButton)
        assert re.fullmatch(r"(2[5-9]|30)\d{16}", scanned.args[0])
        panel.deck.setCurrentIndex(2)
        with qtbot.waitSignal(signals.sig_id_card_read, timeout=3000) as read:
            qtbot.mouseClick(panel.buttons["Place card on reader"], Qt.MouseButton.LeftButton)
        assert read.args[0].id_number == panel.deck.currentData()
        assert "*" in panel.deck.currentText()  # shown masked
        qtbot.mouseClick(panel.buttons["Take card away"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.buttons["Paper out"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: sim_printer.status is PrinterStatus.PAPER_OUT)
        qtbot.mouseClick(panel.buttons["Back to normal"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: sim_printer.status is PrinterStatus.ONLINE)
        assert panel.last_action.text() == "Back to normal: done"
    finally:
        signals.detach_all()


def test_panel_without_devices_is_empty(qtbot: Any) -> None:
    panel = SimulatorPanel({})
    qtbot.addWidget(panel)
    assert panel.buttons == {}


def _native_order(client: CenterClient) -> tuple[str, str]:
    """A QR payment waiting at the center, as the kiosk would open it: (payment id, code_url)."""
    payment_id = uuid.uuid4().hex
    request = PaymentRequest(
        account_number=PREPAY_ACCOUNT,
        purpose="prepay",
        amount=Decimal("30.00"),
        method=PaymentMethod.NATIVE,
        wallet="wechat",
    )
    waiting = client.pay(payment_id, request)
    assert waiting.status is PaymentStatus.WAITING and waiting.code_url
    return payment_id, waiting.code_url


def test_phone_pays_the_qr_shown_and_sets_the_next_payment(
    qtbot: Any, start_center: Any, sim_scanner: Any
) -> None:
    center = start_center()
    shown: list[str | None] = [None]
    panel = SimulatorPanel(
        {"scanner": sim_scanner, "wallet": WalletHands(center.url)},
        accounts=[],
        shown_qr=lambda: shown[0],
    )
    qtbot.addWidget(panel)
    qtbot.mouseClick(
        panel.buttons["Pay the QR on screen with the phone"], Qt.MouseButton.LeftButton
    )
    assert "no payment QR" in panel.last_action.text()

    with CenterClient(center.url, "kiosk-panel-test") as client:
        payment_id, shown[0] = _native_order(client)
        qtbot.mouseClick(
            panel.buttons["Pay the QR on screen with the phone"], Qt.MouseButton.LeftButton
        )
        qtbot.waitUntil(
            lambda: panel.last_action.text().startswith("Pay the QR: done"), timeout=10_000
        )
        assert client.query_payment(payment_id).status is PaymentStatus.PAID

        # A QR no wallet order has: the panel says it failed, and stays usable.
        shown[0] = "weixin://wxpay/bizpayurl?pr=NoSuchOrder"
        qtbot.mouseClick(
            panel.buttons["Pay the QR on screen with the phone"], Qt.MouseButton.LeftButton
        )
        qtbot.waitUntil(lambda: "failed (LookupError" in panel.last_action.text(), timeout=10_000)

        panel.next_payment.setCurrentIndex(panel.next_payment.findData("declined: no money"))
        qtbot.mouseClick(panel.buttons["Set the next payment"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.last_action.text() == "Next payment: done", timeout=10_000)
        declined_id, shown[0] = _native_order(client)
        answer = requests.post(
            f"{center.url}/sim/wallets/native/pay", json={"code_url": shown[0]}, timeout=5
        )
        assert answer.status_code == 200 and not answer.json()["charged"]
        assert client.query_payment(declined_id).status is not PaymentStatus.PAID
    assert set(NEXT_PAYMENT) == {
        panel.next_payment.itemData(i) for i in range(panel.next_payment.count())
    }
