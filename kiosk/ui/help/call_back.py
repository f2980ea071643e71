"""Asking to be called back: the resident types a phone number on the keypad, and is told
(with the number masked) that staff will call."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk.ui.widgets import (
    DisplayCard,
    Keypad,
    Screen,
    StatusLine,
    Words,
    across,
    button,
    label,
)
from rules.masking import mask_digits
from rules.phone import MAX_DIGITS, grouped_phone


class CallBackScreen(Screen):
    name = "call_back"

    sig_request = Signal(str)
    """(digits): the resident confirmed this phone number."""

    sig_done = Signal()
    """(): the resident has read the confirmation."""

    def __init__(self) -> None:
        super().__init__()
        self._digits = ""
        self._sent: str | None = None
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(60, 30, 60, 30)
        self._outer.setSpacing(50)
        side = QVBoxLayout()
        side.setSpacing(24)
        self.title = label("title")
        self.intro = label()
        number_card = DisplayCard()
        self.number = number_card.value
        self.number.setMinimumHeight(110)
        self.status = StatusLine()
        self.sent = label("heading")
        self.sent.setVisible(False)
        self.done_button = button("primary")
        self.done_button.setVisible(False)
        self.done_button.clicked.connect(self.sig_done)
        for widget in (self.title, self.intro, number_card, self.status, self.sent):
            side.addWidget(widget)
        side.addWidget(self.done_button)
        side.addStretch(1)
        self.keypad = Keypad()
        self.keypad.sig_digit.connect(self.type_digit)
        self.keypad.sig_delete.connect(self.delete_digit)
        self.keypad.sig_clear.connect(self.clear_digits)
        self.keypad.sig_confirm.connect(lambda: self.sig_request.emit(self._digits))
        self._outer.addLayout(side, 5)
        self._outer.addWidget(self.keypad, 4)
        self.retranslate()

    @property
    def digits(self) -> str:
        return self._digits

    def set_portrait(self, portrait: bool) -> None:
        self._outer.setDirection(across(portrait))

    def type_digit(self, digit: str) -> None:
        if len(self._digits) < MAX_DIGITS and self._sent is None:
            self._digits += digit
            self.status.hide_status()
            self._show_digits()

    def delete_digit(self) -> None:
        self._digits = self._digits[:-1]
        self._show_digits()

    def clear_digits(self) -> None:
        self._digits = ""
        self.status.hide_status()
        self._show_digits()

    def show_busy(self, text: str | Words) -> None:
        self.keypad.setEnabled(False)
        self.status.show_busy(text)

    def show_message(self, text: str | Words) -> None:
        self.keypad.setEnabled(True)
        self.status.show_message(text)

    def show_sent(self) -> None:
        """Queued: the number is masked from now on, and the keypad goes."""
        self._sent = self._digits
        self._digits = ""
        self.status.hide_status()
        self.keypad.setVisible(False)
        self.sent.setVisible(True)
        self.done_button.setVisible(True)
        self.retranslate()

    def clear(self) -> None:
        """The session ended: the number is forgotten."""
        self._digits = ""
        self._sent = None
        self.status.hide_status()
        self.keypad.setEnabled(True)
        self.keypad.setVisible(True)
        self.sent.setVisible(False)
        self.done_button.setVisible(False)
        self._show_digits()

    def _show_digits(self) -> None:
        if self._sent is not None:
            self.number.setText(mask_digits(self._sent, head=3, tail=4))
        else:
            self.number.setText(grouped_phone(self._digits) if self._digits else "_ _ _")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Ask to be called back"))
        self.intro.setText(
            self.tr(
                "Type your phone number and press Confirm. Staff of the service center will "
                "call you back, in service hours."
            )
        )
        self.sent.setText(
            self.tr("Thank you. Staff will call you back at this number, in service hours.")
        )
        self.done_button.setText(self.tr("Done"))
        self._show_digits()
