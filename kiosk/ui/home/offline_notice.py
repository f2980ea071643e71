"""The card that says plainly that the center cannot be reached, and what still works."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QVBoxLayout

from kiosk.ui.widgets import Retranslated, label


class OfflineNotice(Retranslated, QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("offlineNotice")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = label("message")
        layout.addWidget(self.text)
        self.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setText(
            self.tr(
                "The service center cannot be reached right now. You can still read the "
                "information pages (prices, guides, advice), reprint a receipt of a payment "
                "made here, and get help by phone. Looking up bills and paying by WeChat Pay "
                "or Alipay are not available right now."
            )
        )
