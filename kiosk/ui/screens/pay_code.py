"""Paying with a payment code: where to hold the phone, then what the payment is doing."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk.ui.formats import money
from kiosk.ui.pictures import HoldPhonePicture
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Screen, StatusLine, card, label


class PayByCodeScreen(Screen):
    name = "pay_code"

    def __init__(self) -> None:
        super().__init__()
        self._amount: Decimal | None = None
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(60, 30, 60, 30)
        self._outer.setSpacing(50)
        self.picture = HoldPhonePicture()
        side = QVBoxLayout()
        side.setSpacing(24)
        self.title = label("title")
        amount_card = card()
        amount_layout = QVBoxLayout(amount_card)
        amount_layout.setContentsMargins(30, 16, 30, 16)
        self.amount_caption = label("small")
        self.amount = label("display", wrap=False)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        amount_layout.addWidget(self.amount_caption)
        amount_layout.addWidget(self.amount)
        self.steps = label()
        self.where = label("heading")
        self.status = StatusLine()
        for widget in (self.title, amount_card, self.steps, self.where, self.status):
            side.addWidget(widget)
        side.addStretch(1)
        self._outer.addWidget(self.picture, 2)
        self._outer.addLayout(side, 3)
        self.retranslate()

    @property
    def amount_shown(self) -> Decimal | None:
        return self._amount

    def set_theme(self, theme: Theme) -> None:
        self.picture.set_ink(theme.text)

    def set_portrait(self, portrait: bool) -> None:
        self._outer.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )

    def start(self, amount: Decimal) -> None:
        """Ready for a code: the amount, the instructions, no status yet."""
        self._amount = amount
        self.status.hide_status()
        self._show_amount()

    def show_paying(self) -> None:
        self.status.show_busy(self.tr("Paying… please wait."))

    def show_confirm_on_phone(self) -> None:
        self.status.show_busy(
            self.tr("Please confirm the payment on your phone (enter your payment password).")
        )

    def show_message(self, text: str) -> None:
        self.status.show_message(text)

    def _show_amount(self) -> None:
        self.amount.setText(money(self._amount) if self._amount is not None else "")

    def clear(self) -> None:
        self._amount = None
        self.status.hide_status()
        self._show_amount()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Pay with your payment code"))
        self.amount_caption.setText(self.tr("Amount"))
        self.steps.setText(
            self.tr("Open WeChat or Alipay → 付款码 (payment code) and hold it under the scanner.")
        )
        self.where.setText(self.tr("The scanner window is below the screen (red light)."))
        self._show_amount()
