"""After a session, while the resident's ID card still lies on the reader: "take your card".

Shown in the language the resident used, in large type; a touch starts a new session, as on the
idle screen, since whoever touches it is at the kiosk (the card is not read into that session).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QVBoxLayout

from kiosk.ui.widgets import Screen, card, label


class TakeCardScreen(Screen):
    name = "take_card"

    sig_start = Signal()
    """(): someone touched the screen."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 60, 80, 60)
        layout.setSpacing(40)
        box = card()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(60, 50, 60, 50)
        box_layout.setSpacing(30)
        self.title = label("display")
        self.detail = label("title")
        for text in (self.title, self.detail):
            text.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box_layout.addWidget(text)
        layout.addStretch(1)
        layout.addWidget(box)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Please take your ID card"))
        self.detail.setText(self.tr("Your ID card is still on the card reader."))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.sig_start.emit()
        event.accept()
