"""Paying by scanning the kiosk's QR with a wallet app: the QR, the amount, the time left."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk.ui.formats import money
from kiosk.ui.pictures import QrPicture
from kiosk.ui.widgets import DisplayCard, Screen, StatusLine, Words, across, button, label


def wallet_name(wallet: str) -> str:
    names = {
        "wechat": QCoreApplication.translate("Wallet", "WeChat"),
        "alipay": QCoreApplication.translate("Wallet", "Alipay"),
        "unionpay": QCoreApplication.translate("Wallet", "UnionPay"),
    }
    return names.get(wallet, wallet)


class PayByQrScreen(Screen):
    name = "pay_qr"

    sig_cancel = Signal()
    """(): the resident does not want to pay after all."""

    def __init__(self) -> None:
        super().__init__()
        self._amount: Decimal | None = None
        self._wallet = ""
        self._seconds_left: int | None = None
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(60, 30, 60, 30)
        self._outer.setSpacing(50)
        self.qr = QrPicture(minimum_px=420)
        side = QVBoxLayout()
        side.setSpacing(24)
        self.title = label("title")
        amount_card = DisplayCard(caption=True)
        assert amount_card.caption is not None  # a card with a caption
        self.amount_caption, self.amount = amount_card.caption, amount_card.value
        self.steps = label()
        self.countdown = label("heading")
        self.status = StatusLine()
        self.cancel_button = button("")
        self.cancel_button.clicked.connect(self.sig_cancel)
        for widget in (self.title, amount_card, self.steps, self.countdown, self.status):
            side.addWidget(widget)
        side.addStretch(1)
        side.addWidget(self.cancel_button)
        self._outer.addWidget(self.qr, 1)
        self._outer.addLayout(side, 1)
        self.retranslate()

    @property
    def code_shown(self) -> str | None:
        return self.qr.text if not self.qr.isHidden() else None

    def set_portrait(self, portrait: bool) -> None:
        self._outer.setDirection(across(portrait))

    def start(self, amount: Decimal, wallet: str) -> None:
        """Asking the center for the QR: the amount and the app already, the code soon."""
        self._amount, self._wallet = amount, wallet
        self._seconds_left = None
        self.qr.set_text(None)
        self.qr.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.status.show_busy(lambda: self.tr("Preparing your QR code…"))
        self.retranslate()

    def show_code(self, code_url: str) -> None:
        if self.qr.text != code_url:
            self.qr.set_text(code_url)
        self.status.hide_status()

    def show_seconds_left(self, seconds: int) -> None:
        self._seconds_left = max(0, seconds)
        self._show_countdown()

    def show_closing(self) -> None:
        """Cancelled or timed out: the QR goes at once, so nobody pays a closing order."""
        self.qr.set_text(None)
        self.cancel_button.setEnabled(False)
        self._seconds_left = None
        self._show_countdown()
        self.status.show_busy(lambda: self.tr("Closing the payment… please wait."))

    def show_paying(self) -> None:
        self.status.show_busy(lambda: self.tr("Checking your payment… please wait."))

    def show_message(self, text: str | Words) -> None:
        self.cancel_button.setEnabled(True)
        self.status.show_message(text)

    def _show_countdown(self) -> None:
        seconds = self._seconds_left
        if seconds is None:
            self.countdown.setText("")
            return
        self.countdown.setText(
            self.tr("This QR code closes in {0}:{1}.").format(seconds // 60, f"{seconds % 60:02d}")
        )

    def clear(self) -> None:
        self._amount, self._wallet, self._seconds_left = None, "", None
        self.qr.set_text(None)
        self.status.hide_status()
        self.retranslate()

    def retranslate(self) -> None:
        app = wallet_name(self._wallet) if self._wallet else ""
        self.title.setText(self.tr("Scan this QR code with {0}").format(app))
        self.amount_caption.setText(self.tr("Amount"))
        self.amount.setText(money(self._amount) if self._amount is not None else "")
        self.steps.setText(
            self.tr(
                "Open {0}, touch Scan, point your phone at the QR code and confirm the payment."
            ).format(app)
        )
        self.cancel_button.setText(self.tr("Cancel payment"))
        self._show_countdown()
