"""Prepaying (无卡购电): how many yuan, on a big keypad or with one touch on a usual amount."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QPushButton, QVBoxLayout

from kiosk.ui.formats import money
from kiosk.ui.widgets import DisplayCard, Keypad, Screen, StatusLine, Words, across, button, label

QUICK_AMOUNTS = (Decimal(50), Decimal(100), Decimal(200), Decimal(500))
MAX_WHOLE_DIGITS = 6


class PrepayAmountScreen(Screen):
    name = "pay_amount"

    sig_amount = Signal(object)
    """(Decimal): the resident confirmed this many yuan."""

    def __init__(self) -> None:
        super().__init__()
        self._typed = ""
        self._limits: tuple[Decimal, Decimal] | None = None
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(60, 30, 60, 30)
        self._outer.setSpacing(50)
        side = QVBoxLayout()
        side.setSpacing(20)
        self.title = label("title")
        amount_card = DisplayCard()
        self.amount = amount_card.value
        self.limits = label()
        quick = QGridLayout()
        quick.setSpacing(14)
        self.quick_buttons: list[QPushButton] = []
        for index, value in enumerate(QUICK_AMOUNTS):
            choice = button("", money(value).replace(".00", ""))
            choice.clicked.connect(lambda _=False, v=value: self.choose(v))
            quick.addWidget(choice, 0, index)
            self.quick_buttons.append(choice)
        self.status = StatusLine()
        for widget in (self.title, amount_card, self.limits):
            side.addWidget(widget)
        side.addLayout(quick)
        side.addWidget(self.status)
        side.addStretch(1)
        self.keypad = Keypad()
        self.keypad.sig_digit.connect(self.type_digit)
        self.keypad.sig_delete.connect(self.delete_digit)
        self.keypad.sig_clear.connect(self.clear_digits)
        self.keypad.sig_confirm.connect(self.confirm)
        # The point for jiao and fen shares the last row with Confirm: no taller than the
        # account keypad, so both fit a landscape screen in large text.
        self.point_key = button("key", ".")
        self.point_key.clicked.connect(self.type_point)
        grid = self.keypad.layout()
        assert isinstance(grid, QGridLayout)
        grid.removeWidget(self.keypad.confirm_key)
        grid.addWidget(self.point_key, 4, 0)
        grid.addWidget(self.keypad.confirm_key, 4, 1, 1, 2)
        self._outer.addLayout(side, 5)
        self._outer.addWidget(self.keypad, 4)
        self.retranslate()

    @property
    def typed(self) -> str:
        return self._typed

    def set_portrait(self, portrait: bool) -> None:
        self._outer.setDirection(across(portrait))

    def start(self, prepay_min: Decimal, prepay_max: Decimal) -> None:
        """A fresh amount, with the limits said plainly."""
        self._limits = (prepay_min, prepay_max)
        self._typed = ""
        self.status.hide_status()
        self.retranslate()

    def type_digit(self, digit: str) -> None:
        whole, point, cents = self._typed.partition(".")
        if point and len(cents) >= 2:
            return
        if not point and len(whole) >= MAX_WHOLE_DIGITS:
            return
        if self._typed == "0":
            self._typed = ""
        self._typed += digit
        self._changed()

    def type_point(self) -> None:
        if "." not in self._typed:
            self._typed = (self._typed or "0") + "."
            self._changed()

    def delete_digit(self) -> None:
        self._typed = self._typed[:-1]
        self._changed()

    def clear_digits(self) -> None:
        self._typed = ""
        self._changed()

    def choose(self, value: Decimal) -> None:
        self._typed = str(value)
        self._changed()
        self.confirm()

    def confirm(self) -> None:
        value = self.value()
        if value is None or value <= 0:
            self.show_message(lambda: self.tr("Please type how many yuan you want to pay."))
            return
        self.sig_amount.emit(value)

    def value(self) -> Decimal | None:
        text = self._typed.rstrip(".")
        return Decimal(text) if text else None

    def show_message(self, text: str | Words) -> None:
        self.status.show_message(text)

    def _changed(self) -> None:
        self.status.hide_status()
        self._show_amount()

    def _show_amount(self) -> None:
        self.amount.setText(f"¥ {self._typed}" if self._typed else "¥ _")

    def clear(self) -> None:
        self._typed = ""
        self.status.hide_status()
        self._show_amount()

    def retranslate(self) -> None:
        self.title.setText(self.tr("How much do you want to prepay?"))
        if self._limits is not None:
            low, high = self._limits
            self.limits.setText(
                self.tr(
                    "You can pay from {0} to {1} at a time, in yuan (use . for jiao and fen)."
                ).format(money(low), money(high))
            )
        self._show_amount()
