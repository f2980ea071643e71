"""The account's last payments made anywhere: each can be reprinted, its e-invoice shown as a
large QR to photograph, or a VAT invoice asked for; the 24-month statement prints from here.
A thin screen: its controller gives it the payments and acts on its signals."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.screen_types import Channel, PastPayment
from kiosk.ui.formats import money
from kiosk.ui.paying.payment_result import INVOICE_QR_PX
from kiosk.ui.pictures import QrPicture
from kiosk.ui.widgets import Screen, across, button, label, scrolling


class PastPaymentsScreen(Screen):
    name = "past_payments"

    sig_reprint = Signal(str)
    """(payment id)"""
    sig_vat_invoice = Signal(str)
    """(payment id)"""
    sig_statement = Signal()
    sig_back = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._payments: list[PastPayment] = []
        self._portrait = False
        self.reprint_buttons: dict[str, QPushButton] = {}
        self.invoice_buttons: dict[str, QPushButton] = {}
        self.vat_buttons: dict[str, QPushButton] = {}
        self.title = label("title")
        self.message = label("message")
        self.message.hide()
        self.rows = QWidget()
        self._grid = QGridLayout(self.rows)
        self._grid.setHorizontalSpacing(24)
        self.invoice_qr = QrPicture(minimum_px=INVOICE_QR_PX)
        self.invoice_qr.setFixedSize(INVOICE_QR_PX, INVOICE_QR_PX)
        self.invoice_caption = label()
        self.invoice_qr.hide()
        self.invoice_caption.hide()
        self.statement_button = button("secondary")
        self.back_button = button("secondary")
        self.statement_button.clicked.connect(self.sig_statement)
        self.back_button.clicked.connect(self.sig_back)

        # The e-invoice's QR beside the list on a wide screen, under it on a tall one; there only
        # while one is shown, so the list has the whole width otherwise.
        self.side_box = QWidget()
        self.side_box.setFixedWidth(INVOICE_QR_PX + 40)
        side = QVBoxLayout(self.side_box)
        side.addWidget(self.invoice_qr, 0, Qt.AlignmentFlag.AlignHCenter)
        side.addWidget(self.invoice_caption)
        side.addStretch(1)
        self.side_box.hide()
        self._body = body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.addWidget(scrolling(self.rows), 1)
        body.addWidget(self.side_box, 0, Qt.AlignmentFlag.AlignHCenter)
        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addStretch(1)
        actions.addWidget(self.statement_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)
        layout.addLayout(actions)
        self.retranslate()

    def set_payments(self, payments: Sequence[PastPayment]) -> None:
        self._payments = list(payments)
        self.show_invoice(None)
        self._rebuild()

    def show_invoice(self, payment_id: str | None) -> None:
        """The payment's e-invoice as a large QR beside the list (None: hide it)."""
        found = next((p for p in self._payments if p.payment_id == payment_id), None)
        url = found.invoice.url if found and found.invoice else None
        self.invoice_qr.set_text(url)
        self.invoice_qr.setVisible(bool(url))
        self.invoice_caption.setVisible(bool(url))
        self.side_box.setVisible(bool(url))
        if found and found.invoice:
            self.invoice_caption.setText(
                self.tr("E-invoice {0}: photograph this code to download it.").format(
                    found.invoice.number
                )
            )

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _rebuild(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone now, not at the next turn of the event loop
                widget.deleteLater()
        for row in range(self._grid.rowCount()):
            self._grid.setRowStretch(row, 0)  # the last build's spacer row is a row like others
        self.reprint_buttons.clear()
        self.invoice_buttons.clear()
        self.vat_buttons.clear()
        if not self._payments:
            self._grid.addWidget(label("", self.tr("No payments in the last months.")), 0, 0)
            return
        # A tall screen has no room for the three buttons beside the payment: under it.
        lines = 2 if self._portrait else 1
        for index, payment in enumerate(self._payments):
            row = index * lines
            when = payment.paid_at.astimezone().strftime("%Y-%m-%d")
            self._grid.addWidget(label("", when), row, 0)
            self._grid.addWidget(label("", money(payment.amount)), row, 1)
            self._grid.addWidget(label("", self._place(payment.channel), wrap=False), row, 2)
            reprint = button("secondary", self.tr("Reprint"))
            invoice = button("secondary", self.tr("Show e-invoice"))
            vat = button(
                "secondary",
                self.tr("VAT invoice asked for")
                if payment.vat_requested
                else self.tr("VAT invoice"),
            )
            reprint.setEnabled(payment.receipt is not None)
            invoice.setEnabled(payment.invoice is not None)
            pid = payment.payment_id
            reprint.clicked.connect(lambda _=False, p=pid: self.sig_reprint.emit(p))
            invoice.clicked.connect(lambda _=False, p=pid: self.show_invoice(p))
            vat.clicked.connect(lambda _=False, p=pid: self.sig_vat_invoice.emit(p))
            if self._portrait:
                buttons = QWidget()
                across_row = QHBoxLayout(buttons)
                across_row.setContentsMargins(0, 0, 0, 12)
                for widget in (reprint, invoice, vat):
                    across_row.addWidget(widget)
                self._grid.addWidget(buttons, row + 1, 0, 1, 3)
            else:
                for column, widget in enumerate((reprint, invoice, vat), start=3):
                    self._grid.addWidget(widget, row, column)
            self.reprint_buttons[pid] = reprint
            self.invoice_buttons[pid] = invoice
            self.vat_buttons[pid] = vat
        # The rows keep their height; what is left stays below them.
        self._grid.setRowStretch(len(self._payments) * lines, 1)

    def _place(self, channel: Channel) -> str:
        return {
            Channel.KIOSK: self.tr("at a kiosk"),
            Channel.COUNTER: self.tr("at a counter"),
            Channel.APP: self.tr("in the app"),
        }[channel]

    def set_portrait(self, portrait: bool) -> None:
        self._portrait = portrait
        self._body.setDirection(across(portrait))
        self._rebuild()

    def clear(self) -> None:
        self._payments = []
        self.show_invoice(None)
        self.show_message("")
        self._rebuild()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Receipts and invoices: your last 12 payments, made anywhere"))
        self.statement_button.setText(self.tr("Print statement (24 months)"))
        self.back_button.setText(self.tr("Back"))
        self._rebuild()
