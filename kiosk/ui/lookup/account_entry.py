"""Typing an account number; the bill's QR and the ID card are accepted here too."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk.ui.formats import grouped_digits
from kiosk.ui.widgets import DisplayCard, Keypad, Screen, StatusLine, Words, across, button, label

MIN_DIGITS = 8
MAX_DIGITS = 13


class AccountEntryScreen(Screen):
    name = "account_entry"

    sig_submit = Signal(str)
    """(number): the resident confirmed an account number of 8-13 digits."""

    sig_read_card = Signal()
    """(): the resident asks for the ID card on the reader to be read."""

    def __init__(self) -> None:
        super().__init__()
        self._digits = ""
        self._busy = False
        self._for_receipts = False
        self._card_reader = False
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(60, 30, 60, 30)
        self._outer.setSpacing(50)
        side = QVBoxLayout()
        side.setSpacing(24)
        self.title = label("title")
        number_card = DisplayCard()
        self.number = number_card.value
        self.number.setMinimumHeight(110)
        self.hint = label()
        self.status = StatusLine()
        # A card already lying on the reader is read only when asked: never someone else's
        # card by surprise.
        self.read_card_button = button("primary")
        self.read_card_button.setVisible(False)
        self.read_card_button.clicked.connect(self.sig_read_card)
        side.addWidget(self.title)
        side.addWidget(number_card)
        side.addWidget(self.hint)
        side.addWidget(self.read_card_button)
        side.addWidget(self.status)
        side.addStretch(1)
        self.keypad = Keypad()
        self.keypad.sig_digit.connect(self.type_digit)
        self.keypad.sig_delete.connect(self.delete_digit)
        self.keypad.sig_clear.connect(self.clear_digits)
        self.keypad.sig_confirm.connect(self.confirm)
        self._outer.addLayout(side, 5)
        self._outer.addWidget(self.keypad, 4)
        self.retranslate()

    @property
    def digits(self) -> str:
        return self._digits

    @property
    def busy(self) -> bool:
        return self._busy

    def set_purpose(self, *, receipts: bool) -> None:
        """For a bill (by number, bill QR or ID card), or for this kiosk's receipts (no ID
        card: finding its accounts needs the center)."""
        self._for_receipts = receipts
        self._show_card_button()
        self.retranslate()

    def set_card_reader(self, present: bool) -> None:
        """Whether the kiosk has an ID-card reader to offer."""
        self._card_reader = present
        self._show_card_button()

    def _show_card_button(self) -> None:
        self.read_card_button.setVisible(self._card_reader and not self._for_receipts)

    def set_portrait(self, portrait: bool) -> None:
        self._outer.setDirection(across(portrait))

    def type_digit(self, digit: str) -> None:
        if len(self._digits) < MAX_DIGITS and not self._busy:
            self._digits += digit
            self._hide_status()
            self._show_digits()

    def delete_digit(self) -> None:
        if not self._busy:
            self._digits = self._digits[:-1]
            self._show_digits()

    def clear_digits(self) -> None:
        if not self._busy:
            self._digits = ""
            self._hide_status()
            self._show_digits()

    def confirm(self) -> None:
        if self._busy:
            return
        if len(self._digits) < MIN_DIGITS:
            self.show_message(
                lambda: self.tr("An account number has 8 to 13 digits. Please check your bill.")
            )
            return
        self.sig_submit.emit(self._digits)

    def show_number(self, number: str) -> None:
        """Show a number that came from a scanned bill, so the resident sees what is looked up."""
        self._digits = number[:MAX_DIGITS]
        self._show_digits()

    def show_busy(self, text: str | Words) -> None:
        self._set_busy(True)
        self._show_status()
        self.status.show_busy(text)

    def show_message(self, text: str | Words) -> None:
        self._set_busy(False)
        self._show_status()
        self.status.show_message(text)

    def end_busy(self) -> None:
        self._set_busy(False)
        self._hide_status()

    def _show_status(self) -> None:
        # The status takes the hint's place: in large text the column cannot hold both, and
        # the message says what to do now.
        self.hint.setVisible(False)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.keypad.setEnabled(not busy)
        self.read_card_button.setEnabled(not busy)

    def _hide_status(self) -> None:
        self.status.hide_status()
        self.hint.setVisible(True)

    def _show_digits(self) -> None:
        self.number.setText(grouped_digits(self._digits) if self._digits else "_ _ _ _")

    def clear(self) -> None:
        self._digits = ""
        self.end_busy()
        self.set_purpose(receipts=False)

    def retranslate(self) -> None:
        if self._for_receipts:
            self.title.setText(self.tr("Enter the account number you paid for"))
            self.hint.setText(self.tr("You can also show the QR code on your bill to the scanner."))
        else:
            self.title.setText(self.tr("Enter your account number"))
            self.hint.setText(
                self.tr(
                    "You can also show the QR code on your bill to the scanner, "
                    "or place your ID card on the card reader."
                )
            )
        self.read_card_button.setText(self.tr("My ID card is on the reader: read it"))
        self._show_digits()
