"""Paying on the real window with the real drivers on the wire-level simulators (serial scanner
on a pty, ESC/POS printer on a pty), the real services and store, the real center: the cases
where something outside the kiosk goes wrong mid-payment."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QWidget

from drivers.contracts import PrinterStatus
from drivers.printer.simulator import PrinterSimulator
from drivers.registry import load_driver
from drivers.scanner.simulator import ScannerSimulator
from kiosk.domain.payment import Outcome
from kiosk.domain.session import RESULT_STAYS_S, EndReason
from kiosk.ui.background import DeviceSignals
from kiosk.ui.local_text import CHINESE, ENGLISH
from sync.client import CenterClient
from tests.support.fault_proxy import FaultKind, FaultProxy
from tests.support.paying import wallet_ledger, wallets_will
from tests.support.ui import click, open_bill, type_number

IN_ARREARS = "3201000005"
WAIT_MS = 20000


def center_payment(center: Any) -> dict[str, Any]:
    (order,) = wallet_ledger(center).values()
    return order


def owed(center: Any) -> Any:
    with CenterClient(center.url, "kiosk-wire-check") as client:
        return client.account_bill(IN_ARREARS).total_due


@pytest.fixture
def wire() -> Iterator[tuple[ScannerSimulator, PrinterSimulator, Any, Any]]:
    """(scanner simulator, printer simulator, scanner driver, printer driver), all running."""
    scanner_sim = ScannerSimulator()
    scanner_sim.start()
    paper = PrinterSimulator().start()
    scanner = load_driver("scanner", "serial", {"url": f"serial://{scanner_sim.path}?baud=9600"})
    printer = load_driver("printer", "escpos", {"url": f"serial://{paper.path}?baud=115200"})
    for device in (scanner, printer):
        device.open()
        device.enable()
    yield scanner_sim, paper, scanner, printer
    for device in (scanner, printer):
        device.close()
    scanner_sim.stop()
    paper.stop()


def window_at_bill(
    qtbot: Any, make_window: Any, url: str, scanner: Any, printer: Any, **options: Any
):
    devices = DeviceSignals()
    devices.attach_scanner(scanner)
    window = make_window(url, devices=devices, language=ENGLISH, printer=printer, **options)
    open_bill(qtbot, window, IN_ARREARS)
    qtbot.waitUntil(lambda: window.bill.pay_button.isVisible(), timeout=5000)
    return window, devices


def show_code(qtbot: Any, window: Any, scanner_sim: ScannerSimulator, code: str) -> None:
    click(qtbot, window.bill.pay_button)
    click(qtbot, window.paying.method.code_button)
    assert window.navigator.current == "pay_code"
    scanner_sim.show(code)


def result_of(qtbot: Any, window: Any) -> Any:
    qtbot.waitUntil(lambda: window.navigator.current == "payment_result", timeout=WAIT_MS)
    return window.paying.result


def test_paid_through_the_serial_scanner_and_the_receipt_comes_out_of_the_printer(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    scanner_sim, paper, scanner, printer = wire
    center = start_center()
    window, devices = window_at_bill(qtbot, make_window, center.url, scanner, printer)
    show_code(qtbot, window, scanner_sim, "134000000000000001")
    result = result_of(qtbot, window)
    assert result.outcome is Outcome.PAID
    qtbot.waitUntil(lambda: "take your receipt" in result.receipt.text(), timeout=WAIT_MS)
    assert paper.wait_for_receipts(1)
    printed = paper.receipts[0].receipt.text()
    transaction = window.payments.services.payment_progress(window.payments.payment_id)
    assert transaction.transaction_id and transaction.transaction_id in printed
    assert "3201000005" not in printed  # the account number is masked on paper
    assert "REPRINT" not in printed
    assert owed(center) == 0
    devices.detach_all()


def out_of_paper(qtbot: Any, paper: PrinterSimulator, printer: Any) -> None:
    """The roll runs out; the kiosk knows once its driver has read the printer's status."""
    paper.set_state("paper-out")
    qtbot.waitUntil(lambda: printer.status is PrinterStatus.PAPER_OUT, timeout=5000)


def notice_texts(window: Any) -> list[str]:
    """What the resident reads of the printer warning on the pay-method screen, if shown."""
    notice = window.paying.method.printer_notice
    if not notice.isVisible():
        return []
    shown = [notice.message, notice.explanation, notice.question]
    buttons = [notice.go_on_button, notice.stop_button]
    return [w.text() for w in shown if w.isVisible()] + [b.text() for b in buttons if b.isVisible()]


def test_a_printer_out_of_paper_is_told_before_paying_and_going_on_still_pays(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    scanner_sim, paper, scanner, printer = wire
    center = start_center()
    out_of_paper(qtbot, paper, printer)
    window, devices = window_at_bill(qtbot, make_window, center.url, scanner, printer)
    method = window.paying.method
    click(qtbot, window.bill.pay_button)
    assert window.navigator.current == "pay_method"
    # Told before anything is paid, and asked: no way to pay is offered until they go on.
    assert notice_texts(window)[0] == "The receipt printer is out of paper."
    assert "e-invoice QR code" in notice_texts(window)[1]
    assert "reprint the receipt at this kiosk later" in notice_texts(window)[1]
    assert notice_texts(window)[2:] == [
        "Pay without a paper receipt?",
        "Yes, pay without a receipt",
        "No, do not pay now",
    ]
    assert not method.code_button.isVisible() and not method.wechat_button.isVisible()
    window.display.set_language(CHINESE)
    assert notice_texts(window)[0] == "凭证打印机缺纸。"
    assert "电子发票二维码" in notice_texts(window)[1] and "补打" in notice_texts(window)[1]
    assert notice_texts(window)[2:] == [
        "不要纸质凭证，继续缴费吗？",
        "是，不打凭证继续缴费",
        "否，现在不缴费",
    ]
    window.display.set_language(ENGLISH)
    click(qtbot, method.printer_notice.go_on_button)
    # The warning stays in view; the question goes and the ways to pay come.
    assert notice_texts(window) == [
        "The receipt printer is out of paper.",
        notice_texts(window)[1],
    ]
    assert method.code_button.isVisible() and method.wechat_button.isVisible()
    click(qtbot, method.code_button)
    scanner_sim.show("134000000000000002")
    result = result_of(qtbot, window)
    assert result.outcome is Outcome.PAID
    qtbot.waitUntil(lambda: "reprint it here later" in result.receipt.text(), timeout=WAIT_MS)
    assert result.invoice_qr.isVisible() and result.invoice_qr.text.startswith("https://")
    assert paper.receipts == []
    assert owed(center) == 0
    devices.detach_all()


def test_paper_running_out_or_loaded_while_choosing_is_told_at_once(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    _scanner_sim, paper, scanner, printer = wire
    center = start_center()
    window, devices = window_at_bill(qtbot, make_window, center.url, scanner, printer)
    method = window.paying.method
    click(qtbot, window.bill.pay_button)
    assert notice_texts(window) == [] and method.code_button.isVisible()
    out_of_paper(qtbot, paper, printer)  # while the resident reads the ways to pay
    qtbot.waitUntil(lambda: notice_texts(window)[:1] == ["The receipt printer is out of paper."])
    assert not method.code_button.isVisible()  # asked again before any way to pay
    paper.set_state("normal")  # the technician loads a roll
    qtbot.waitUntil(lambda: printer.status is not PrinterStatus.PAPER_OUT, timeout=5000)
    qtbot.waitUntil(lambda: notice_texts(window) == [], timeout=3000)
    assert method.code_button.isVisible() and method.wechat_button.isVisible()
    devices.detach_all()


def test_stopping_when_the_printer_cannot_print_pays_nothing(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    _scanner_sim, paper, scanner, printer = wire
    center = start_center()
    due = owed(center)
    out_of_paper(qtbot, paper, printer)
    window, devices = window_at_bill(qtbot, make_window, center.url, scanner, printer)
    window.display.set_language(CHINESE)
    click(qtbot, window.bill.pay_button)
    assert notice_texts(window)[0] == "凭证打印机缺纸。"
    click(qtbot, window.paying.method.printer_notice.stop_button)
    assert window.navigator.current == "home"
    assert window.payments.payment_id is None and not window.payments.settling
    assert wallet_ledger(center) == {} and owed(center) == due
    devices.detach_all()


def test_the_first_copy_after_the_paper_is_loaded_is_not_marked_reprint(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    scanner_sim, paper, scanner, printer = wire
    center = start_center()
    out_of_paper(qtbot, paper, printer)
    window, devices = window_at_bill(qtbot, make_window, center.url, scanner, printer)
    click(qtbot, window.bill.pay_button)
    click(qtbot, window.paying.method.printer_notice.go_on_button)
    click(qtbot, window.paying.method.code_button)
    scanner_sim.show("134000000000000006")
    result = result_of(qtbot, window)
    qtbot.waitUntil(lambda: "reprint it here later" in result.receipt.text(), timeout=WAIT_MS)
    # The technician loads paper; the resident comes back and reprints from the bill screen.
    paper.set_state("normal")
    printer.retry_output()
    click(qtbot, result.done_button)
    click(qtbot, window.paying.rating.skip_button)
    assert window.navigator.current == "idle"
    time.sleep(0.3)
    assert paper.receipts == []  # nothing printed on its own for nobody
    window.session.set_limits(45.0, 15.0)  # a short usual timeout: the result's stay shows
    open_bill(qtbot, window, IN_ARREARS)
    qtbot.waitUntil(lambda: window.bill.reprint_button.isVisible(), timeout=5000)
    click(qtbot, window.bill.reprint_button)
    receipts = window.paying.receipts
    qtbot.waitUntil(lambda: len(receipts.print_buttons) == 1, timeout=5000)
    click(qtbot, receipts.print_buttons[0])
    assert paper.wait_for_receipts(1, timeout=10)
    first = paper.receipts[0].receipt.text()
    assert "REPRINT" not in first and "重打" not in first  # none came out before it
    qtbot.waitUntil(lambda: "take your receipt" in receipts.status.text(), timeout=10000)
    # How the reprint went stays as long as any result does (one rule for every result).
    left = window.session.seconds_left
    assert left is not None and left > RESULT_STAYS_S - 5
    click(qtbot, receipts.print_buttons[0])  # a second copy is a reprint, and says so
    assert paper.wait_for_receipts(2, timeout=10)
    assert "REPRINT" in paper.receipts[1].receipt.text()
    devices.detach_all()


def test_back_from_a_paid_result_leads_home_not_to_the_account_entry(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    scanner_sim, _paper, scanner, printer = wire
    center = start_center()
    window, devices = window_at_bill(qtbot, make_window, center.url, scanner, printer)
    show_code(qtbot, window, scanner_sim, "134000000000000007")
    result = result_of(qtbot, window)
    assert result.outcome is Outcome.PAID
    qtbot.waitUntil(lambda: "take your receipt" in result.receipt.text(), timeout=WAIT_MS)
    click(qtbot, window.bottom_bar.back_button)
    assert window.navigator.current == "home" and window.session.running
    click(qtbot, window.home.bills_tile)  # a new lookup starts from an empty entry
    assert window.entry.number.text() == "_ _ _ _"
    devices.detach_all()


def enter_number(qtbot: Any, window: Any, number: str) -> None:
    click(qtbot, window.entry.keypad.clear_key)
    type_number(qtbot, window, number)
    click(qtbot, window.entry.keypad.confirm_key)


def test_offline_this_kiosks_receipts_are_reprinted_without_the_center(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    scanner_sim, paper, scanner, printer = wire
    center = start_center()
    with FaultProxy(center.url) as proxy:
        window, devices = window_at_bill(qtbot, make_window, proxy.url, scanner, printer)
        show_code(qtbot, window, scanner_sim, "134000000000000004")
        result = result_of(qtbot, window)
        assert result.outcome is Outcome.PAID
        assert paper.wait_for_receipts(1)
        click(qtbot, result.done_button)
        click(qtbot, window.paying.rating.skip_button)
        proxy.refuse()  # the network goes down; the link notices (tested on its own)
        window.center.set_online(False)
        click(qtbot, window.idle)
        home = window.home
        assert home.bills_tile.isHidden() and not home.receipts_tile.isHidden()
        assert "reprint a receipt" in home.offline.text.text()
        click(qtbot, home.receipts_tile)
        assert window.navigator.current == "account_entry"
        assert window.entry.title.text() == "Enter the account number you paid for"
        receipts = window.paying.receipts
        enter_number(qtbot, window, "3201000001")  # an account never paid here
        qtbot.waitUntil(lambda: "no receipt" in receipts.status.text(), timeout=5000)
        assert window.navigator.current == "receipts" and receipts.print_buttons == []
        window.back()
        enter_number(qtbot, window, IN_ARREARS)
        qtbot.waitUntil(lambda: len(receipts.print_buttons) == 1, timeout=5000)
        click(qtbot, receipts.print_buttons[0])
        assert paper.wait_for_receipts(2, timeout=10)
        assert "REPRINT" in paper.receipts[1].receipt.text()
        # The session's end puts the account entry back to bills.
        window.end_session(EndReason.FINISHED)
        window.center.set_online(True)
        click(qtbot, window.idle)
        click(qtbot, window.home.bills_tile)
        assert window.entry.title.text() == "Enter your account number"
    devices.detach_all()


def test_a_center_gone_silent_ends_in_we_could_not_confirm_and_settles_behind_it(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    scanner_sim, _paper, scanner, printer = wire
    center = start_center()
    wallets_will(center, "systemerror_unpaid")
    with FaultProxy(center.url) as proxy:
        window, devices = window_at_bill(
            qtbot, make_window, proxy.url, scanner, printer, client_timeout=1.0
        )
        show_code(qtbot, window, scanner_sim, "134000000000000003")
        qtbot.waitUntil(lambda: window.payments.payment_id is not None, timeout=5000)
        qtbot.waitUntil(lambda: bool(wallet_ledger(center)), timeout=5000)
        proxy.refuse()  # the network goes down while the payment is unknown
        result = result_of(qtbot, window)
        assert result.outcome is Outcome.UNCONFIRMED
        reference = window.payments.services.payment_progress(window.payments.payment_id)
        shown = " ".join(label.text() for label in result.findChildren(QLabel))
        assert reference.reference in shown
        assert window.session.running  # the result stays until the resident touches Done
        proxy.clear()  # the network is back: the reverse gets through
        qtbot.waitUntil(
            lambda: window.payments.services.payment_progress(reference.payment_id).settled,
            timeout=WAIT_MS,
        )
    order = center_payment(center)
    assert not order["charged"] or order["refunded"]
    assert owed(center) > 0
    devices.detach_all()


def test_the_inactivity_timer_never_ends_a_session_while_its_payment_settles(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    scanner_sim, _paper, scanner, printer = wire
    center = start_center()
    wallets_will(center, "userpaying_success", after_s=2.4)
    window, devices = window_at_bill(
        qtbot, make_window, center.url, scanner, printer, timeout_s=1.2, warning_s=0.4
    )
    show_code(qtbot, window, scanner_sim, "134000000000000004")
    flow = window.payments

    def waiting_for_the_resident() -> bool:
        if flow.payment_id is None:
            return False
        return flow.services.payment_progress(flow.payment_id).waiting_for_resident

    qtbot.waitUntil(waiting_for_the_resident, timeout=5000)
    qtbot.wait(1600)  # longer than the whole inactivity timeout
    assert window.session.running
    assert window.navigator.current == "pay_code"
    result = result_of(qtbot, window)
    assert result.outcome is Outcome.PAID
    devices.detach_all()


class FakeMonotonic:
    """The window's monotonic clock, moved by the test (the payment's own clock runs true)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def test_a_center_frozen_mid_payment_is_told_at_once_and_the_reference_stays_uncovered(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    scanner_sim, paper, scanner, printer = wire
    center = start_center()
    clock = FakeMonotonic()
    with FaultProxy(center.url) as proxy:
        window, devices = window_at_bill(
            qtbot, make_window, proxy.url, scanner, printer, client_timeout=1.0, monotonic=clock
        )
        proxy.inject(FaultKind.HANG)  # the center freezes: every call hangs
        show_code(qtbot, window, scanner_sim, "134000000000000003")
        flow = window.payments
        qtbot.waitUntil(lambda: flow.payment_id is not None, timeout=5000)
        assert window.navigator.current == "pay_code"
        window.link.sig_online.emit(False)  # the link notices (tested on its own)
        qtbot.waitUntil(lambda: window.navigator.current == "payment_result", timeout=3000)
        result = window.paying.result
        progress = flow.services.payment_progress(flow.payment_id)
        assert result.outcome is Outcome.UNCONFIRMED
        assert result.title.text() == "We could not confirm your payment"
        assert "Your money is safe" in result.explanation.text()
        assert result.reference_number.text() == progress.reference
        assert not progress.settled  # told early; the payment still settles behind the screen
        # The slip: reference, amount, time and hotline; nothing personal, never the code.
        assert paper.wait_for_receipts(1, timeout=10)
        slip = paper.receipts[0].receipt.text()
        for fact in (progress.reference, f"{progress.amount:,.2f}", "95598", "Hotline", "Time"):
            assert fact in slip
        assert "134000000000000003" not in slip and IN_ARREARS not in slip
        qtbot.waitUntil(lambda: "take the slip" in result.reference_caption.text(), timeout=5000)
        window.display.set_language(CHINESE)
        assert result.title.text() == "暂时无法确认您的支付结果"
        assert result.reference_caption.text() == "请取走凭条，上面有您的查询编号。"
        assert result.reference_number.text() == progress.reference
        # Minutes without a touch, longer than the usual timeout, and the screen is still there.
        clock.now += 200
        qtbot.wait(300)
        assert window.navigator.current == "payment_result" and window.countdown.isHidden()
        # Then the countdown: in a band of its own, beside neither the reference nor Done.
        clock.now += 90
        qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=3000)
        qtbot.wait(100)
        banner = in_window(window.countdown, window)
        assert window.size().toTuple() == (1920, 1080)  # its room taken from the screen
        for kept in (result.reference_number, result.done_button):
            assert kept.isVisible() and not kept.visibleRegion().isEmpty()
            assert not banner.intersects(in_window(kept, window))
        clock.now += 15
        qtbot.waitUntil(lambda: window.navigator.current == "idle", timeout=3000)
        proxy.clear()  # the center is back: the payment settles
        window.link.sig_online.emit(True)
        qtbot.waitUntil(
            lambda: window.payments.services.payment_progress(progress.payment_id).settled,
            timeout=WAIT_MS,
        )
    assert owed(center) > 0
    devices.detach_all()


def test_a_qr_order_the_center_cannot_make_is_a_plain_failure_within_seconds(
    qtbot: Any, make_window: Any, start_center: Any, wire: Any
) -> None:
    _scanner_sim, _paper, scanner, printer = wire
    center = start_center()
    with FaultProxy(center.url) as proxy:
        window, devices = window_at_bill(
            qtbot, make_window, proxy.url, scanner, printer, client_timeout=1.0
        )
        proxy.inject(FaultKind.HANG)
        click(qtbot, window.bill.pay_button)
        click(qtbot, window.paying.method.wechat_button)
        assert window.navigator.current == "pay_qr"
        qtbot.waitUntil(lambda: window.navigator.current == "payment_result", timeout=8000)
        result = window.paying.result
        assert window.paying.qr.code_shown is None  # no QR was ever shown
        assert result.outcome is Outcome.DECLINED
        assert result.title.text() == "The payment did not go through"
        assert "QR code could not be made" in result.explanation.text()
        assert "pay with your payment code" in result.explanation.text()
        assert "No money was taken." in result.explanation.text()
        assert not result.reference_card.isVisible()
        window.display.set_language(CHINESE)
        assert result.title.text() == "支付没有成功"
        assert "付款码" in result.explanation.text()
        assert "没有扣款。" in result.explanation.text()
        assert result.try_again_button.isVisible()
        click(qtbot, result.try_again_button)
        assert window.navigator.current == "pay_method"
        proxy.clear()
    devices.detach_all()
