"""A screen where a number is typed on the big keypad: a column with the title and the number
beside the keypad (above it on a tall screen). The account entry and the call-back request are
both this; each puts its own words and buttons in the column."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk.ui.widgets import DisplayCard, Keypad, Screen, across, label


class TypedNumberScreen(Screen):
    max_digits = 13

    def __init__(self) -> None:
        super().__init__()
        self._digits = ""
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(60, 30, 60, 30)
        self._outer.setSpacing(50)
        self.side = QVBoxLayout()
        self.side.setSpacing(24)
        self.title = label("title")
        self.number_card = DisplayCard()
        self.number = self.number_card.value
        self.number.setMinimumHeight(110)
        self.keypad = Keypad()
        self.keypad.sig_digit.connect(self.type_digit)
        self.keypad.sig_delete.connect(self.delete_digit)
        self.keypad.sig_clear.connect(self.clear_digits)
        self._outer.addLayout(self.side, 5)
        self._outer.addWidget(self.keypad, 4)

    @property
    def digits(self) -> str:
        return self._digits

    def set_portrait(self, portrait: bool) -> None:
        self._outer.setDirection(across(portrait))

    def type_digit(self, digit: str) -> None:
        if len(self._digits) < self.max_digits and self._taking_digits():
            self._digits += digit
            self._typing_again()
            self._show_digits()

    def delete_digit(self) -> None:
        if self._taking_digits():
            self._digits = self._digits[:-1]
            self._show_digits()

    def clear_digits(self) -> None:
        if self._taking_digits():
            self._digits = ""
            self._typing_again()
            self._show_digits()

    def _taking_digits(self) -> bool:
        """False while the keypad must not change the number (busy, or already sent)."""
        return True

    def _typing_again(self) -> None:
        """The resident types again: what the screen said about the last number goes."""

    def _show_digits(self) -> None:
        raise NotImplementedError
