"""How a payment ended, one look per outcome, staying until the resident touches Done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.payment import Outcome, ReceiptStatus
from kiosk.ui.formats import money
from kiosk.ui.pictures import OutcomeMark, QrPicture
from kiosk.ui.widgets import Facts, Screen, button, card, label, scrolling, set_role

if TYPE_CHECKING:
    from kiosk.services.payment_types import PaymentProgress

QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"
# Declines that another try now cannot mend: the bill changed, or is being paid elsewhere.
_NO_RETRY = frozenset({"amount_changed", "already_paid", "bill_in_payment", "amount_out_of_range"})
# 36 mm on a 21.5" panel: a phone photographs the e-invoice QR from half a metre.
INVOICE_QR_PX = 380
INVOICE_QR_TALL_PX = 480  # a tall screen has the room
EMPHASIS_MAX_PX = 44  # the large theme's body size
_MARK_OF = {
    Outcome.PAID: "paid",
    Outcome.DECLINED: "declined",
    Outcome.CANCELLED: "cancelled",
    Outcome.UNCONFIRMED: "unconfirmed",
    Outcome.IN_PROGRESS: "waiting",
}


def _set_role(widget: QWidget, role: str) -> None:
    if widget.property("role") != role:
        set_role(widget, role)


class PaymentResultScreen(Screen):
    """The outcome's mark and title, then what the resident must know or do (prominent), then
    the facts. With the printer failed, the e-invoice QR stands beside the message (below it on
    a tall screen), large enough to photograph; everything fits the screen without scrolling.
    """

    name = "payment_result"

    sig_done = Signal()
    """(): the resident has read the result."""

    sig_try_again = Signal()
    """(): after a decline, choose a way to pay again."""

    def __init__(self, hotline: str = "95598") -> None:
        super().__init__()
        self._hotline = hotline
        self._progress: PaymentProgress | None = None
        self._slip_printed = False
        # Wide: the words scroll-safe on the left; the QR and the buttons in a column on the
        # right, so the words have the full height. Tall: words, QR, facts, then the buttons.
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._outer.setSpacing(0)
        body = QWidget()
        # Kept for an unforeseen size; the layout is made to fit 1920x1080 and 1080x1920.
        self.scroll_area = scrolling(body)
        self._words = QVBoxLayout(body)
        self._words.setSpacing(16)
        headline = QWidget()
        headline_layout = QHBoxLayout(headline)
        headline_layout.setContentsMargins(0, 0, 0, 0)
        headline_layout.setSpacing(24)
        self.mark = OutcomeMark(88)
        self.title = label("title")
        headline_layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignVCenter)
        headline_layout.addWidget(self.title, 1)
        self.explanation = label("heading")
        self.receipt = label("heading")
        self.reference_card = card()
        reference_layout = QVBoxLayout(self.reference_card)
        reference_layout.setContentsMargins(30, 12, 30, 16)
        reference_layout.setSpacing(4)
        self.reference_caption = label("heading")
        self.reference_number = label("display", wrap=False)
        self.reference_number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Wide letters, and selectable: copied down character by character.
        spaced = self.reference_number.font()
        spaced.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 112)
        self.reference_number.setFont(spaced)
        self.reference_number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reference_call = label("heading")
        for widget in (self.reference_caption, self.reference_number, self.reference_call):
            reference_layout.addWidget(widget)
        self.details = card()
        details_layout = QVBoxLayout(self.details)
        details_layout.setContentsMargins(30, 12, 30, 12)
        self.facts = Facts()
        details_layout.addWidget(self.facts)
        self._invoice = QWidget()
        invoice_layout = QVBoxLayout(self._invoice)
        invoice_layout.setContentsMargins(0, 0, 0, 0)
        invoice_layout.setSpacing(8)
        self.invoice_qr = QrPicture(minimum_px=INVOICE_QR_PX)
        self.invoice_qr.setFixedSize(INVOICE_QR_PX, INVOICE_QR_PX)
        self.invoice_caption = label()
        self.invoice_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        invoice_layout.addWidget(self.invoice_qr, 0, Qt.AlignmentFlag.AlignHCenter)
        invoice_layout.addWidget(self.invoice_caption)
        self._invoice.setVisible(False)
        for part in (headline, self.explanation, self.receipt, self._invoice):
            self._words.addWidget(part)
        self._words.addWidget(self.reference_card)
        self._words.addWidget(self.details)
        self._words.addStretch(1)
        self._side = QVBoxLayout()
        self._side.setSpacing(24)
        self._side.addStretch(1)
        self._actions_box = QWidget()
        self._actions = QBoxLayout(QBoxLayout.Direction.TopToBottom, self._actions_box)
        self._actions.setContentsMargins(0, 0, 0, 0)
        self._actions.setSpacing(24)
        self.try_again_button = button("")
        self.try_again_button.clicked.connect(self.sig_try_again)
        self.done_button = button("primary")
        self.done_button.clicked.connect(self.sig_done)
        self._actions.addWidget(self.try_again_button)
        self._actions.addWidget(self.done_button)
        self._side.addWidget(self._actions_box)
        self._outer.addWidget(self.scroll_area, 1)
        self._outer.addLayout(self._side, 0)
        self.set_portrait(False)
        self.retranslate()

    @property
    def progress(self) -> PaymentProgress | None:
        return self._progress

    @property
    def outcome(self) -> Outcome | None:
        return self._progress.outcome if self._progress is not None else None

    def set_portrait(self, portrait: bool) -> None:
        """Tall: the message, the QR under it, the facts, the buttons in a row at the bottom.
        Wide: the QR and the buttons in a column beside the words."""
        direction = QBoxLayout.Direction
        self._outer.setDirection(direction.TopToBottom if portrait else direction.LeftToRight)
        self._actions.setDirection(direction.LeftToRight if portrait else direction.TopToBottom)
        self._words.removeWidget(self._invoice)
        self._side.removeWidget(self._invoice)
        if portrait:
            self._words.insertWidget(3, self._invoice)
            self._words.setContentsMargins(60, 20, 60, 10)
            self._side.setContentsMargins(60, 10, 60, 20)
        else:
            self._side.insertWidget(0, self._invoice)
            self._words.setContentsMargins(60, 20, 20, 20)
            self._side.setContentsMargins(20, 20, 60, 20)
        self._side_width(portrait)

    def _side_width(self, portrait: bool) -> None:
        qr = INVOICE_QR_TALL_PX if portrait else INVOICE_QR_PX
        self.invoice_qr.setFixedSize(qr, qr)
        if portrait:
            self._actions_box.setMinimumWidth(0)
            self._actions_box.setMaximumWidth(QWIDGETSIZE_MAX)
        else:
            self._actions_box.setFixedWidth(INVOICE_QR_PX)

    @property
    def hotline(self) -> str:
        return self._hotline

    def show_progress(self, progress: PaymentProgress) -> None:
        if self._progress is not None and self._progress.payment_id != progress.payment_id:
            self._slip_printed = False
        self._progress = progress
        self._fill()

    def show_slip(self, printed: bool) -> None:
        """Whether the slip with the reference came out of the printer."""
        self._slip_printed = printed
        self._fill()

    def clear(self) -> None:
        self._progress = None
        self._slip_printed = False
        self._fill()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Less room (the countdown's band, large text): the words scroll, the reference stays
        # in sight. After the layout has taken the new size.
        QTimer.singleShot(0, self, self._keep_reference_in_sight)  # not after the screen is gone

    def _keep_reference_in_sight(self) -> None:
        if self.reference_card.isVisible():
            self.scroll_area.ensureWidgetVisible(self.reference_card, 0, 0)

    def retranslate(self) -> None:
        self.invoice_caption.setText(self.tr("E-invoice"))
        self.done_button.setText(self.tr("Done"))
        self.try_again_button.setText(self.tr("Try again"))
        self._fill()

    # -- what each outcome says ----------------------------------------------------------

    def _fill(self) -> None:
        p = self._progress
        self.try_again_button.setVisible(False)
        self._show_invoice(None)
        self.receipt.setText("")
        self.receipt.setVisible(False)
        self.reference_card.setVisible(False)
        self.mark.set_kind(_MARK_OF.get(p.outcome) if p is not None else None)
        if p is None:
            self.title.setText("")
            self.explanation.setText("")
            self.facts.set_rows([])
            return
        self.explanation.setVisible(True)
        rows = [(self.tr("Amount"), money(p.amount), "heading")]
        if p.outcome is Outcome.PAID:
            self.title.setText(self.tr("Payment successful"))
            self.explanation.setText(self.tr("Thank you. Your payment has been received."))
            if p.transaction_id:
                # 28 digits: smaller type keeps the row on a tall screen in large text.
                rows.append((self.tr("Transaction number"), p.transaction_id, "small"))
            if p.paid_at is not None:
                paid_at = p.paid_at.astimezone().strftime("%Y-%m-%d %H:%M")
                rows.append((self.tr("Paid at"), paid_at, ""))
            self._fill_receipt(p)
        elif p.outcome is Outcome.DECLINED:
            self.title.setText(self.tr("The payment did not go through"))
            nothing_taken = self.tr("No money was taken.")
            self.explanation.setText(f"{self.reason_text(p.reason)}\n{nothing_taken}")
            self.try_again_button.setVisible(p.reason not in _NO_RETRY)
        elif p.outcome is Outcome.CANCELLED:
            self.title.setText(self.tr("The payment was cancelled."))
            if p.refunded:
                self.explanation.setText(
                    self.tr("The money taken has been returned to your wallet.")
                )
            else:
                self.explanation.setText(self.tr("No money was taken."))
        elif p.outcome is Outcome.UNCONFIRMED:
            self.title.setText(self.tr("We could not confirm your payment"))
            self.explanation.setText(
                self.tr(
                    "Your money is safe: if it was taken and the payment did not go through, it "
                    "is returned automatically."
                )
            )
            # The number they need on the phone to the hotline: big, alone, easy to copy down.
            if self._slip_printed:
                caption = self.tr("Please take the slip: it has your reference number.")
            else:
                caption = self.tr("Please write down your reference number:")
            self.reference_caption.setText(caption)
            self.reference_number.setText(p.reference)
            self.reference_call.setText(self.tr("Call {0} with this number.").format(self._hotline))
            self.reference_card.setVisible(True)
            self.facts.set_rows(rows)
            return
        else:
            self.title.setText(self.tr("Checking your payment… please wait."))
            self.explanation.setText("")
        rows.append((self.tr("Reference number"), p.reference, ""))
        self.facts.set_rows(rows)

    def _fill_receipt(self, p: PaymentProgress) -> None:
        self.receipt.setVisible(True)
        self.receipt.setStyleSheet("")
        _set_role(self.receipt, "heading")
        if p.receipt is ReceiptStatus.PRINTED:
            self.receipt.setText(self.tr("Please take your receipt."))
        elif p.receipt is ReceiptStatus.WAITING_FOR_REPRINT:
            # What they must do now leads: in the warning box, the thanks give way to it.
            _set_role(self.receipt, "message")
            self.explanation.setVisible(False)
            self._emphasise(self.receipt)
            self.receipt.setText(self.printer_failed_text(bool(p.invoice_url)))
            self._show_invoice(p.invoice_url)
        else:
            self.receipt.setText(self.tr("Printing your receipt…"))

    def _emphasise(self, message: QWidget) -> None:
        """The warning box in bold heading type (the theme gives it body type), read first; at
        most EMPHASIS_MAX_PX, so in large text the whole message still fits beside the QR."""
        self.explanation.ensurePolished()
        size = min(self.explanation.font().pixelSize(), EMPHASIS_MAX_PX)
        message.setStyleSheet(f"font-size: {size}px; font-weight: bold;" if size > 0 else "")

    def _show_invoice(self, url: str | None) -> None:
        self.invoice_qr.set_text(url)
        self.invoice_qr.setVisible(bool(url))
        self._invoice.setVisible(bool(url))

    def printer_failed_text(self, with_invoice: bool) -> str:
        text = self.tr(
            "The printer could not print your receipt. It is saved: you can reprint it here "
            "later (look up your account → Reprint)."
        )
        if with_invoice:
            text += " " + self.tr("Or photograph this e-invoice QR code.")
        return text

    def reason_text(self, reason: str | None) -> str:
        texts = {
            "insufficient_funds": self.tr("There is not enough money in your wallet."),
            "code_used": self.tr(
                "This payment code was used already. Refresh the code in your app and try again."
            ),
            "code_expired": self.tr(
                "This payment code has expired. Refresh the code in your app and try again."
            ),
            "code_invalid": self.tr(
                "The wallet did not accept this payment code. Refresh it and try again."
            ),
            "wallet_refused": self.tr(
                "Your wallet refused the payment. Please check your wallet app, or pay another way."
            ),
            "amount_changed": self.tr(
                "Your bill changed while you were paying. Please look up your account again."
            ),
            "already_paid": self.tr(
                "These bills have been paid already. Please look up your account again."
            ),
            "bill_in_payment": self.tr(
                "A payment for this bill is already under way, here or elsewhere (perhaps by a "
                "family member). Please wait a few minutes, then look up your account again to "
                "see whether it was paid."
            ),
            "amount_out_of_range": self.tr(
                "This amount cannot be paid here. Please look up your account and choose "
                "another amount."
            ),
            "not_sent": self.tr("The kiosk restarted before your payment was sent."),
            "abandoned": self.tr("The payment was stopped before it was sent."),
            "payerror": self.tr("The wallet reported an error with this payment."),
            "qr_not_made": self.tr(
                "The payment QR code could not be made: the payment service cannot be reached "
                "right now. Please pay with your payment code, or try again later."
            ),
        }
        return texts.get(reason or "", self.tr("The payment could not be completed."))
