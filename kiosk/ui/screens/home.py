"""The service menu. Only services that work today are offered."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk.ui.widgets import Screen, Tile, label


class HomeScreen(Screen):
    name = "home"

    sig_bills = Signal()
    """(): the resident wants to look up bills and usage."""

    sig_help = Signal()
    """(): the resident wants a person."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(30)
        self.title = label("title")
        layout.addWidget(self.title)
        self._tiles = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._tiles.setSpacing(40)
        self.bills_tile = Tile()
        self.bills_tile.clicked.connect(self.sig_bills)
        self.help_tile = Tile()
        self.help_tile.clicked.connect(self.sig_help)
        self._tiles.addWidget(self.bills_tile)
        self._tiles.addWidget(self.help_tile)
        layout.addLayout(self._tiles, 1)
        self.retranslate()

    def set_portrait(self, portrait: bool) -> None:
        direction = (
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        self._tiles.setDirection(direction)

    def retranslate(self) -> None:
        self.title.setText(self.tr("What would you like to do?"))
        self.bills_tile.set_texts(
            self.tr("Bills and usage"), self.tr("Look up what you owe and your monthly usage")
        )
        self.help_tile.set_texts(
            self.tr("Help / talk to staff"),
            self.tr("The hotline and the nearest staffed service hall"),
        )
