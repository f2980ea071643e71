"""Printing a receipt again: this kiosk's receipts for the account, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from kiosk.ui.formats import money
from kiosk.ui.widgets import Screen, StatusLine, Words, button, label, scrolling

if TYPE_CHECKING:
    from kiosk.services.payment_types import ReceiptEntry


class ReceiptsScreen(Screen):
    name = "receipts"

    sig_print = Signal(str)
    """(payment id): print this payment's receipt again."""

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[ReceiptEntry] = []
        self._buttons: list[QPushButton] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        outer.addWidget(scrolling(body))
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(60, 30, 60, 30)
        self._layout.setSpacing(20)
        self.title = label("title")
        self.hint = label("small")
        self.status = StatusLine()
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.hint)
        self._layout.addWidget(self.status)
        self._layout.addStretch(1)
        self.retranslate()

    @property
    def print_buttons(self) -> list[QPushButton]:
        return list(self._buttons)

    def set_receipts(self, entries: Sequence[ReceiptEntry]) -> None:
        self._entries = list(entries)
        self.status.hide_status()
        self._rebuild()

    def _rebuild(self) -> None:
        for old in self._buttons:
            self._layout.removeWidget(old)
            old.deleteLater()
        self._buttons = []
        for index, entry in enumerate(self._entries):
            when = entry.paid_at.astimezone().strftime("%Y-%m-%d %H:%M")
            choice = button("choice")
            choice.setText(
                f"{when}    {money(entry.amount)}\n"
                + self.tr("Reference {0} — touch to print").format(entry.reference)
            )
            choice.clicked.connect(lambda _=False, pid=entry.payment_id: self.sig_print.emit(pid))
            self._layout.insertWidget(2 + index, choice)
            self._buttons.append(choice)

    def set_enabled(self, enabled: bool) -> None:
        for choice in self._buttons:
            choice.setEnabled(enabled)

    def show_busy(self, text: str | Words) -> None:
        self.set_enabled(False)
        self.status.show_busy(text)

    def show_message(self, text: str | Words) -> None:
        self.set_enabled(True)
        self.status.show_message(text)

    def clear(self) -> None:
        self.set_receipts([])

    def retranslate(self) -> None:
        self.title.setText(self.tr("Reprint a receipt"))
        self.hint.setText(self.tr("Receipts of payments made at this kiosk for your account."))
        if self._entries:
            self._rebuild()
