"""Paying with a payment code: where to hold the phone, then what the payment is doing.

Once a code is read, what the payment is doing is THE message: in title type, in a solid box,
with "do not leave" under it; the instructions for holding the phone step aside.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk.ui.formats import money
from kiosk.ui.pictures import HoldPhonePicture
from kiosk.ui.theme import NORMAL, Theme
from kiosk.ui.widgets import DisplayCard, Screen, StatusLine, Words, across, label


class PayByCodeScreen(Screen):
    name = "pay_code"

    def __init__(self) -> None:
        super().__init__()
        self._amount: Decimal | None = None
        self._theme = NORMAL
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(60, 20, 60, 20)
        self._outer.setSpacing(50)
        self.picture = HoldPhonePicture()
        side = QVBoxLayout()
        side.setSpacing(24)
        self.title = label("title")
        amount_card = DisplayCard(caption=True)
        assert amount_card.caption is not None  # a card with a caption
        self.amount_caption, self.amount = amount_card.caption, amount_card.value
        self.steps = label()
        self.where = label("heading")
        self.status = StatusLine()
        self.stay = label("heading")
        self.stay.setVisible(False)
        for widget in (self.title, amount_card, self.steps, self.where, self.status, self.stay):
            side.addWidget(widget)
        side.addStretch(1)
        self._outer.addWidget(self.picture, 2)
        self._outer.addLayout(side, 3)
        self.retranslate()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.picture.set_ink(theme.text)
        if not self.stay.isHidden():
            self._emphasise(True)

    def set_portrait(self, portrait: bool) -> None:
        self._outer.setDirection(across(portrait))

    def start(self, amount: Decimal) -> None:
        """Ready for a code: the amount, the instructions, no status yet."""
        self._amount = amount
        self.status.hide_status()
        self._in_progress(False)
        self._show_amount()

    def show_paying(self) -> None:
        self.status.show_busy(lambda: self.tr("Paying… please wait."))
        self._in_progress(True)

    def show_confirm_on_phone(self) -> None:
        self.status.show_busy(
            lambda: self.tr(
                "Please confirm the payment on your phone (enter your payment password)."
            )
        )
        self._in_progress(True)

    def show_message(self, text: str | Words) -> None:
        self.status.show_message(text)
        self._in_progress(False)

    @property
    def in_progress(self) -> bool:
        return not self.stay.isHidden()

    def _in_progress(self, paying: bool) -> None:
        # Where to hold the phone no longer matters: the message takes the whole screen.
        self.picture.setVisible(not paying)
        self.title.setVisible(not paying)
        self.steps.setVisible(not paying)
        self.where.setVisible(not paying)
        self.stay.setVisible(paying)
        self._emphasise(paying)

    def _emphasise(self, on: bool) -> None:
        t = self._theme
        self.status.setStyleSheet(
            f"font-size: {t.title_px}px; font-weight: bold; padding: 24px 28px;"
            f" background: {t.surface}; border: {t.border_px * 3}px solid {t.primary};"
            if on
            else ""
        )
        self.status.updateGeometry()  # a new font size: the layout must ask its height again

    def _show_amount(self) -> None:
        self.amount.setText(money(self._amount) if self._amount is not None else "")

    def clear(self) -> None:
        self._amount = None
        self.status.hide_status()
        self._in_progress(False)
        self._show_amount()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Pay with your payment code"))
        self.amount_caption.setText(self.tr("Amount"))
        self.steps.setText(
            self.tr("Open WeChat or Alipay, show its payment code and hold it under the scanner.")
        )
        self.where.setText(self.tr("The scanner window is below the screen (red light)."))
        self.stay.setText(
            self.tr("Your payment is in progress. Please do not leave until you see the result.")
        )
        self._show_amount()
