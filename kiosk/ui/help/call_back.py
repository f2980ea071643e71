"""Asking to be called back: the resident types a phone number on the keypad, and is told
(with the number masked) that staff will call."""

from __future__ import annotations

from PySide6.QtCore import Signal

from kiosk.ui.typed_number import TypedNumberScreen
from kiosk.ui.widgets import StatusLine, Words, button, label
from rules.masking import mask_digits
from rules.phone import MAX_DIGITS, grouped_phone


class CallBackScreen(TypedNumberScreen):
    name = "call_back"
    max_digits = MAX_DIGITS

    sig_request = Signal(str)
    """(digits): the resident confirmed this phone number."""

    sig_done = Signal()
    """(): the resident has read the confirmation."""

    def __init__(self) -> None:
        super().__init__()
        self._sent: str | None = None
        self.intro = label()
        self.status = StatusLine()
        self.sent = label("heading")
        self.sent.setVisible(False)
        self.done_button = button("primary")
        self.done_button.setVisible(False)
        self.done_button.clicked.connect(self.sig_done)
        for widget in (self.title, self.intro, self.number_card, self.status, self.sent):
            self.side.addWidget(widget)
        self.side.addWidget(self.done_button)
        self.side.addStretch(1)
        self.keypad.sig_confirm.connect(lambda: self.sig_request.emit(self._digits))
        self.retranslate()

    def _taking_digits(self) -> bool:
        return self._sent is None

    def _typing_again(self) -> None:
        self.status.hide_status()

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
