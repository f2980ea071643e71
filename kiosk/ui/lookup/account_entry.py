"""Typing an account number; the bill's QR and the ID card are accepted here too."""

from __future__ import annotations

from PySide6.QtCore import Signal

from kiosk.ui.formats import grouped_digits
from kiosk.ui.typed_number import TypedNumberScreen
from kiosk.ui.widgets import StatusLine, Words, button, label

MIN_DIGITS = 8
MAX_DIGITS = 13


class AccountEntryScreen(TypedNumberScreen):
    name = "account_entry"
    max_digits = MAX_DIGITS

    sig_submit = Signal(str)
    """(number): the resident confirmed an account number of 8-13 digits."""

    sig_read_card = Signal()
    """(): the resident asks for the ID card on the reader to be read."""

    def __init__(self) -> None:
        super().__init__()
        self._busy = False
        self._for_receipts = False
        self._card_reader = False
        self.hint = label()
        self.status = StatusLine()
        # A card already lying on the reader is read only when asked: never someone else's
        # card by surprise.
        self.read_card_button = button("primary")
        self.read_card_button.setVisible(False)
        self.read_card_button.clicked.connect(self.sig_read_card)
        for widget in (self.title, self.number_card, self.hint, self.read_card_button, self.status):
            self.side.addWidget(widget)
        self.side.addStretch(1)
        self.keypad.sig_confirm.connect(self.confirm)
        self.retranslate()

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

    def _taking_digits(self) -> bool:
        return not self._busy

    def _typing_again(self) -> None:
        self._hide_status()

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
