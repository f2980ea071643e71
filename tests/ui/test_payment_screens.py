"""The payment screens and their controller's routing, on a window whose back end is starting.

`StartingServices` is the real stand-in the kiosk shows its window with: orders and limits are
answered at once, anything needing the back end fails after its short wait. That is enough to
check what each screen says and where the flow sends the resident; paying for real is in
test_payment_end_to_end.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from kiosk.domain.payment import Method, Outcome, PaymentState, ReceiptStatus
from kiosk.services.payment_types import PaymentProgress
from kiosk.services.starting import StartingServices
from kiosk.ui.background import DeviceSignals
from kiosk.ui.formats import money
from kiosk.ui.local_text import CHINESE, ENGLISH
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.pictures import QUIET_MODULES, FacePicture, QrPicture
from kiosk.ui.screenshots import SIZES
from kiosk.ui.theme import LARGE
from sync.client import CenterClient
from tests.support.ui import BILL_QR_PREFIX, HELP, click

IN_ARREARS = "3201000005"


@pytest.fixture
def arrears_bill(running_center: Any) -> Any:
    with CenterClient(running_center.url, "kiosk-pay-screens") as client:
        return client.account_bill(IN_ARREARS)


@pytest.fixture
def window(qtbot: Any) -> KioskWindow:
    services = StartingServices(BILL_QR_PREFIX, wait_seconds=0.2)
    devices = DeviceSignals()
    made = KioskWindow(
        services,  # type: ignore[arg-type]
        station_name="钟灵街营业基站",
        help_info=HELP,
        language=ENGLISH,
        devices=devices,
    )
    qtbot.addWidget(made)
    made.fit(1920, 1080)
    made.show()
    return made


def show_bill(window: KioskWindow, bill: Any) -> None:
    window.start_session()
    window.bill.show_bill(bill)
    window.show_screen(window.bill.name)
    window.flow.sig_bill_shown.emit(bill)


def progress(outcome: Outcome, **changes: Any) -> PaymentProgress:
    shown = PaymentProgress(
        payment_id="ab" * 16,
        reference="ABAB-ABAB-ABAB",
        outcome=outcome,
        state=PaymentState.UNKNOWN,
        method=Method.CODE,
        wallet="wechat",
        amount=Decimal("128.40"),
    )
    return dataclasses.replace(shown, **changes)


def test_bill_offers_to_pay_what_is_owed_and_to_prepay(
    qtbot: Any, window: KioskWindow, arrears_bill: Any
) -> None:
    assert arrears_bill.total_due > 0
    show_bill(window, arrears_bill)
    bill = window.bill
    assert bill.pay_button.isVisible()
    assert bill.pay_button.text() == f"Pay {money(arrears_bill.total_due)}"
    assert bill.prepay_button.isVisible()
    # No receipts can be listed while the back end is starting: no reprint offered.
    qtbot.wait_until(lambda: not window.tasks.busy, timeout=3000)
    assert not bill.reprint_button.isVisible()


def test_paying_arrears_shows_the_order_masked_before_anything_is_paid(
    qtbot: Any, window: KioskWindow, arrears_bill: Any
) -> None:
    show_bill(window, arrears_bill)
    click(qtbot, window.bill.pay_button)
    assert window.navigator.current == "pay_method"
    texts = window.paying.method.summary_texts()
    assert "3201**0005" in texts
    assert IN_ARREARS not in " ".join(texts)
    assert money(arrears_bill.total_due) in texts
    assert money(arrears_bill.late_fee) in texts
    assert ", ".join(u.period for u in arrears_bill.unpaid) in texts
    assert window.paying.method.code_button.isEnabled()


def test_prepay_refuses_an_amount_out_of_limits_in_words(
    qtbot: Any, window: KioskWindow, arrears_bill: Any
) -> None:
    show_bill(window, arrears_bill)
    click(qtbot, window.bill.prepay_button)
    amount = window.paying.amount
    assert window.navigator.current == "pay_amount"
    assert "¥10.00" in amount.limits.text() and "¥5,000.00" in amount.limits.text()
    click(qtbot, amount.keypad.digit_keys["5"])
    click(qtbot, amount.keypad.confirm_key)
    assert "smallest amount" in amount.status.shown_text
    assert window.navigator.current == "pay_amount"
    for key in "00":
        click(qtbot, amount.keypad.digit_keys[key])
    click(qtbot, amount.point_key)
    for key in "505":  # a third decimal is not taken
        click(qtbot, amount.keypad.digit_keys[key])
    assert amount.typed == "500.50"
    click(qtbot, amount.keypad.confirm_key)
    assert window.navigator.current == "pay_method"
    assert money(Decimal("500.50")) in window.paying.method.summary_texts()


def test_quick_amount_goes_straight_to_the_confirmation(
    qtbot: Any, window: KioskWindow, arrears_bill: Any
) -> None:
    show_bill(window, arrears_bill)
    click(qtbot, window.bill.prepay_button)
    click(qtbot, window.paying.amount.quick_buttons[1])
    assert window.navigator.current == "pay_method"
    assert money(Decimal(100)) in window.paying.method.summary_texts()


def test_a_code_on_the_pay_by_code_screen_goes_to_paying_not_to_lookup(
    qtbot: Any, window: KioskWindow, arrears_bill: Any
) -> None:
    show_bill(window, arrears_bill)
    click(qtbot, window.bill.pay_button)
    click(qtbot, window.paying.method.code_button)
    assert window.navigator.current == "pay_code"
    code = window.paying.code
    assert code.amount.text() == money(arrears_bill.total_due)
    signals = window.device_signals
    assert signals is not None
    signals.sig_code_scanned.emit("134567890123456789")
    # While the payment starts, nothing may take the resident away from it.
    assert code.status.is_busy
    assert not window.bottom_bar.back_button.isEnabled()
    assert not window.bottom_bar.home_button.isEnabled()
    assert not window.bottom_bar.finish_button.isEnabled()
    assert window.bottom_bar.help_button.isEnabled()
    # The back end never came up: said plainly, and the resident may try again.
    qtbot.wait_until(lambda: not code.status.is_busy, timeout=5000)
    assert "Nothing was paid" in code.status.shown_text
    assert window.navigator.current == "pay_code"
    assert window.bottom_bar.back_button.isEnabled() and window.bottom_bar.finish_button.isEnabled()
    # Elsewhere a scanned bill QR is still a lookup.
    click(qtbot, window.bottom_bar.home_button)
    signals.sig_code_scanned.emit(BILL_QR_PREFIX + IN_ARREARS)
    assert window.navigator.current == "account_entry"


def test_each_outcome_says_what_happened(window: KioskWindow) -> None:
    result = window.paying.result
    result.show_progress(
        progress(Outcome.DECLINED, state=PaymentState.FAILED, reason="insufficient_funds")
    )
    assert "not enough money" in result.explanation.text()
    assert "No money was taken." in result.explanation.text()
    assert result.try_again_button.isVisibleTo(result)
    result.show_progress(progress(Outcome.DECLINED, reason="something_new"))
    assert "could not be completed" in result.explanation.text()
    result.show_progress(progress(Outcome.DECLINED, reason="amount_changed"))
    assert not result.try_again_button.isVisibleTo(result)
    result.show_progress(progress(Outcome.CANCELLED, refunded=True))
    assert result.title.text() == "The payment was cancelled."
    assert "returned to your wallet" in result.explanation.text()
    result.show_progress(progress(Outcome.CANCELLED, refunded=False))
    assert result.explanation.text() == "No money was taken."
    result.show_progress(progress(Outcome.UNCONFIRMED))
    assert "returned automatically" in result.explanation.text()
    # The reference number stands alone in display type, to be copied down for the hotline.
    assert result.reference_card.isVisibleTo(result)
    assert result.reference_number.text() == "ABAB-ABAB-ABAB"
    assert result.reference_number.property("role") == "display"
    assert "95598" in result.reference_call.text()
    assert result.mark.kind == "unconfirmed"


def test_paid_shows_the_receipt_and_the_invoice_qr_when_the_printer_fails(
    window: KioskWindow,
) -> None:
    result = window.paying.result
    paid = progress(
        Outcome.PAID,
        state=PaymentState.PAID,
        transaction_id="4200000000202611240001",
        paid_at=dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.UTC),
        invoice_url="https://einvoice.js.sgcc.local/i/26322000000012345678",
        receipt=ReceiptStatus.PRINTING,
    )
    result.show_progress(paid)
    assert result.title.text() == "Payment successful"
    assert "4200000000202611240001" in result.facts.texts()
    assert result.receipt.text() == "Printing your receipt…"
    assert not result.invoice_qr.isVisibleTo(result)
    result.show_progress(dataclasses.replace(paid, receipt=ReceiptStatus.PRINTED))
    assert result.receipt.text() == "Please take your receipt."
    result.show_progress(dataclasses.replace(paid, receipt=ReceiptStatus.WAITING_FOR_REPRINT))
    assert "reprint it here later" in result.receipt.text()
    assert result.invoice_qr.isVisibleTo(result)
    assert result.invoice_qr.text == paid.invoice_url


def test_rating_ends_the_session(qtbot: Any, window: KioskWindow) -> None:
    window.start_session()
    window.payments.result_read()
    assert window.navigator.current == "rating"
    with qtbot.waitSignal(window.sig_session_ended) as ended:
        click(qtbot, window.paying.rating.face_buttons[5])
    assert ended.args[0].reason.value == "finished"
    assert window.navigator.current == "idle"


def test_qr_is_dark_on_white_with_a_quiet_zone(qtbot: Any) -> None:
    picture = QrPicture(minimum_px=400)
    qtbot.addWidget(picture)
    picture.resize(400, 400)
    picture.set_text("weixin://wxpay/bizpayurl?pr=abc123")
    picture.show()
    size = picture.module_px()
    assert size >= 8  # big modules: a phone reads it from arm's length
    image = picture.grab().toImage()
    side = (len(picture._modules) + 2 * QUIET_MODULES) * size
    left = (400 - side) // 2
    quiet = QColor(image.pixel(left + size, left + size))
    finder = QColor(image.pixel(left + QUIET_MODULES * size + 1, left + QUIET_MODULES * size + 1))
    assert quiet.name() == "#ffffff"
    assert finder.name() == "#000000"


def test_large_text_payment_targets_are_big_enough(window: KioskWindow, arrears_bill: Any) -> None:
    window.display.set_large_text(True)
    show_bill(window, arrears_bill)
    paying = window.paying
    buttons = [
        window.bill.pay_button,
        window.bill.prepay_button,
        paying.method.code_button,
        paying.method.wechat_button,
        paying.method.alipay_button,
        paying.amount.point_key,
        *paying.amount.quick_buttons,
        paying.qr.cancel_button,
        paying.result.done_button,
        *paying.rating.face_buttons.values(),
        paying.rating.skip_button,
    ]
    for screen in ("pay_method", "pay_amount", "pay_qr", "payment_result", "rating", "bill"):
        window.show_screen(screen)
        for widget in buttons:
            if widget.isVisible():
                assert min(widget.width(), widget.height()) >= LARGE.target_px * 0.6 >= 60
    assert min(window.size().width(), window.size().height()) == 1080


RESULTS = {
    "printer failed": progress(
        Outcome.PAID,
        state=PaymentState.PAID,
        transaction_id="4200002671202611241234567890",
        paid_at=dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.UTC),
        invoice_url="https://einvoice.js.sgcc.local/i/26322000000012345678",
        receipt=ReceiptStatus.WAITING_FOR_REPRINT,
    ),
    "printing": progress(Outcome.PAID, state=PaymentState.PAID, receipt=ReceiptStatus.PRINTING),
    "declined": progress(Outcome.DECLINED, state=PaymentState.FAILED, reason="wallet_refused"),
    "refunded": progress(Outcome.CANCELLED, refunded=True),
    "unconfirmed": progress(Outcome.UNCONFIRMED),
}


@pytest.mark.parametrize("orientation", sorted(SIZES))
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_every_result_fits_the_screen_without_scrolling(
    qtbot: Any, window: KioskWindow, orientation: str, large: bool
) -> None:
    window.fit(*SIZES[orientation])
    window.start_session()
    window.display.set_large_text(large)
    result = window.paying.result
    window.show_screen(result.name)
    for name, shown in RESULTS.items():
        result.show_progress(shown)
        qtbot.wait_until(lambda: result.scroll_area.widget().height() > 0)
        QApplication.processEvents()
        assert result.scroll_area.verticalScrollBar().maximum() == 0, name
        assert window.size().toTuple() == SIZES[orientation], name
    # Printer failed: the message leads, in the warning box; the QR is big enough to photograph.
    result.show_progress(RESULTS["printer failed"])
    QApplication.processEvents()
    assert result.receipt.property("role") == "message"
    assert result.invoice_qr.isVisibleTo(result)
    assert result.invoice_qr.width() >= 360 and result.invoice_qr.module_px() >= 7
    qr, words = (
        result.invoice_qr.mapTo(result, result.invoice_qr.rect().topLeft()),
        (result.receipt.mapTo(result, result.receipt.rect().topLeft())),
    )
    if orientation == "portrait":
        assert qr.y() > words.y() + result.receipt.height() - 1  # below the message
    else:
        assert qr.x() > words.x() + result.receipt.width() - 1  # beside it


def test_rating_faces_are_painted_big_with_their_words(window: KioskWindow) -> None:
    window.start_session()
    window.payments.result_read()
    QApplication.processEvents()
    smiles = []
    for score, face_button in window.paying.rating.face_buttons.items():
        face = face_button.findChild(FacePicture)
        assert face is not None and face.score == score
        smiles.append(face.smile)
        # The face fills most of its button; the words are under it, never an emoji.
        assert min(face.width(), face.height()) >= 0.5 * face_button.width()
        assert face_button.words.text() and face_button.accessibleName() == (
            face_button.words.text()
        )
        assert all(ord(c) < 0x1F000 for c in face_button.words.text())  # no emoji
    assert smiles == sorted(smiles, reverse=True) and smiles[0] > 0 > smiles[-1]


def test_waiting_for_the_phone_is_the_one_big_message(window: KioskWindow) -> None:
    code = window.paying.code
    window.start_session()
    code.start(Decimal("128.40"))
    window.show_screen(code.name)
    code.show_confirm_on_phone()
    assert "confirm the payment on your phone" in code.status.shown_text
    assert code.in_progress and code.stay.isVisibleTo(code)
    assert "do not leave" in code.stay.text()
    assert not code.picture.isVisibleTo(code) and not code.steps.isVisibleTo(code)
    assert code.status.font().pixelSize() > window.paying.code.stay.font().pixelSize()
    code.show_message("That is not a payment code.")
    assert not code.in_progress and code.picture.isVisibleTo(code)


@pytest.mark.parametrize(
    ("language", "write_down", "take_slip"),
    [
        (ENGLISH, "Please write down your reference number:", "Please take the slip"),
        (CHINESE, "请记下您的查询编号：", "请取走凭条"),
    ],
)
def test_unconfirmed_asks_to_take_the_slip_only_when_it_came_out(
    window: KioskWindow, language: str, write_down: str, take_slip: str
) -> None:
    window.display.set_language(language)
    result = window.paying.result
    result.show_progress(progress(Outcome.UNCONFIRMED))
    assert result.reference_caption.text() == write_down
    result.show_slip(False)  # the printer failed: the number is copied down from the screen
    assert result.reference_caption.text() == write_down
    result.show_slip(True)
    assert result.reference_caption.text().startswith(take_slip)
    assert result.reference_number.text() == "ABAB-ABAB-ABAB"
    # Another payment's result does not inherit the slip.
    result.show_progress(progress(Outcome.UNCONFIRMED, payment_id="cd" * 16))
    assert result.reference_caption.text() == write_down
