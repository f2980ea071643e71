"""How a payment ended, one look per outcome, staying until the resident touches Done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.payment import Outcome, ReceiptStatus
from kiosk.ui.formats import money
from kiosk.ui.pictures import QrPicture
from kiosk.ui.screens.bill import Facts
from kiosk.ui.widgets import Screen, button, card, label, scrolling

if TYPE_CHECKING:
    from kiosk.services.payment_types import PaymentProgress

# Declines that another try cannot mend: the bill itself changed.
_NO_RETRY = frozenset({"amount_changed", "already_paid"})


class PaymentResultScreen(Screen):
    name = "payment_result"

    sig_done = Signal()
    """(): the resident has read the result."""

    sig_try_again = Signal()
    """(): after a decline, choose a way to pay again."""

    def __init__(self, hotline: str = "95598") -> None:
        super().__init__()
        self._hotline = hotline
        self._progress: PaymentProgress | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        outer.addWidget(scrolling(body), 1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(60, 30, 60, 20)
        layout.setSpacing(20)
        self.title = label("title")
        self.explanation = label()
        details = card()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(30, 16, 30, 16)
        self.facts = Facts()
        details_layout.addWidget(self.facts)
        self.details = details
        self._receipt_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._receipt_row.setSpacing(30)
        self.receipt = label("heading")
        self.invoice_qr = QrPicture(minimum_px=300)
        self.invoice_qr.setVisible(False)
        self._receipt_row.addWidget(self.receipt, 2)
        self._receipt_row.addWidget(self.invoice_qr, 1)
        for widget in (self.title, self.explanation, details):
            layout.addWidget(widget)
        layout.addLayout(self._receipt_row)
        layout.addStretch(1)
        actions = QHBoxLayout()
        actions.setContentsMargins(60, 10, 60, 20)
        actions.setSpacing(30)
        self.try_again_button = button("")
        self.try_again_button.clicked.connect(self.sig_try_again)
        self.done_button = button("primary")
        self.done_button.clicked.connect(self.sig_done)
        actions.addWidget(self.try_again_button)
        actions.addWidget(self.done_button)
        outer.addLayout(actions)
        self.retranslate()

    @property
    def progress(self) -> PaymentProgress | None:
        return self._progress

    @property
    def outcome(self) -> Outcome | None:
        return self._progress.outcome if self._progress is not None else None

    def set_portrait(self, portrait: bool) -> None:
        self._receipt_row.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )

    def show_progress(self, progress: PaymentProgress) -> None:
        self._progress = progress
        self._fill()

    def clear(self) -> None:
        self._progress = None
        self._fill()

    def retranslate(self) -> None:
        self.done_button.setText(self.tr("Done"))
        self.try_again_button.setText(self.tr("Try again"))
        self._fill()

    # -- what each outcome says ----------------------------------------------------------

    def _fill(self) -> None:
        p = self._progress
        self.try_again_button.setVisible(False)
        self.invoice_qr.setVisible(False)
        self.invoice_qr.set_text(None)
        self.receipt.setText("")
        self.receipt.setVisible(False)
        if p is None:
            self.title.setText("")
            self.explanation.setText("")
            self.facts.set_rows([])
            return
        rows = [(self.tr("Amount"), money(p.amount), "heading")]
        if p.outcome is Outcome.PAID:
            self.title.setText(self.tr("Payment successful"))
            self.explanation.setText(self.tr("Thank you. Your payment has been received."))
            if p.transaction_id:
                rows.append((self.tr("Transaction number"), p.transaction_id, ""))
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
                    "is returned automatically. Your reference number: {0}. "
                    "Call {1} with this number."
                ).format(p.reference, self._hotline)
            )
        else:
            self.title.setText(self.tr("Checking your payment… please wait."))
            self.explanation.setText("")
        rows.append((self.tr("Reference number"), p.reference, ""))
        self.facts.set_rows(rows)

    def _fill_receipt(self, p: PaymentProgress) -> None:
        self.receipt.setVisible(True)
        if p.receipt is ReceiptStatus.PRINTED:
            self.receipt.setText(self.tr("Please take your receipt."))
        elif p.receipt is ReceiptStatus.WAITING_FOR_REPRINT:
            self.receipt.setText(self.printer_failed_text(bool(p.invoice_url)))
            if p.invoice_url:
                self.invoice_qr.set_text(p.invoice_url)
                self.invoice_qr.setVisible(True)
        else:
            self.receipt.setText(self.tr("Printing your receipt…"))

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
            "not_sent": self.tr("The kiosk restarted before your payment was sent."),
            "abandoned": self.tr("The payment was stopped before it was sent."),
            "payerror": self.tr("The wallet reported an error with this payment."),
        }
        return texts.get(reason or "", self.tr("The payment could not be completed."))
