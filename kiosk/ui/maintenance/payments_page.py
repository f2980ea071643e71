"""Payments a technician may have to act on: unsettled ones (follow them now) and receipts the
printer failed (print them again). The reference and the amount only, as on a receipt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.payment import ReceiptStatus
from kiosk.services.maintenance import PaymentLine
from kiosk.ui.formats import money
from kiosk.ui.widgets import Retranslated, StatusLine, button, card, empty, label


class PaymentsPage(Retranslated, QWidget):
    sig_settle = Signal()
    """(): follow every unsettled payment now."""

    sig_reprint = Signal(str)
    """(payment id): print this receipt again."""

    def __init__(self, local_time: Callable[[dt.datetime], str]) -> None:
        super().__init__()
        self._local_time = local_time
        self._lines: list[PaymentLine] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(16)
        self.heading = label("heading")
        self.none = label()
        self.box = card()
        self.grid = QGridLayout(self.box)
        self.grid.setContentsMargins(24, 16, 24, 16)
        self.grid.setHorizontalSpacing(20)
        self.settle_button = button("primary")
        self.settle_button.clicked.connect(self.sig_settle)
        self.status = StatusLine()
        self.reprint_buttons: dict[str, QPushButton] = {}
        for widget in (self.heading, self.none, self.box, self.status, self.settle_button):
            outer.addWidget(widget)
        outer.addStretch(1)
        self.retranslate()

    def show_payments(self, lines: Sequence[PaymentLine]) -> None:
        self._lines = list(lines)
        self._fill()

    def said(self, text: str) -> None:
        self.status.show_message(text)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Payments and receipts"))
        self.none.setText(self.tr("Every payment is settled and every receipt is on paper."))
        self.settle_button.setText(self.tr("Follow the unsettled payments now"))
        self._fill()

    def _fill(self) -> None:
        empty(self.grid)
        self.reprint_buttons = {}
        self.none.setVisible(not self._lines)
        self.box.setVisible(bool(self._lines))
        self.settle_button.setVisible(any(line.state != "paid" for line in self._lines))
        for row, line in enumerate(self._lines):
            self.grid.addWidget(label("", line.reference, wrap=False), row, 0)
            self.grid.addWidget(label("", money(line.amount), wrap=False), row, 1)
            self.grid.addWidget(label("", self._what(line)), row, 2)
            self.grid.addWidget(label("small", self._local_time(line.since), wrap=False), row, 3)
            if line.state == "paid" and line.receipt is ReceiptStatus.WAITING_FOR_REPRINT:
                again = button("", self.tr("Print again"))
                again.clicked.connect(
                    lambda _=False, pid=line.payment_id: self.sig_reprint.emit(pid)
                )
                self.grid.addWidget(again, row, 4)
                self.reprint_buttons[line.payment_id] = again
        self.grid.setColumnStretch(2, 1)

    def _what(self, line: PaymentLine) -> str:
        if line.state != "paid":
            return self.tr("not settled yet (%1)").replace("%1", line.state)
        if line.receipt is ReceiptStatus.WAITING_FOR_REPRINT:
            return self.tr("paid; the receipt waits to be printed again")
        return self.tr("paid; the receipt is being printed")
