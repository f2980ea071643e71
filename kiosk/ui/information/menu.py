"""Information (信息查询): prices, energy-saving advice, service commitments, business guides.

Everything here is read from the reference data kept on the kiosk, so it works offline too.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout

from kiosk.ui.widgets import Screen, Tile, label

PRICES, ADVICE, COMMITMENTS, GUIDES = (
    "info_prices",
    "info_advice",
    "info_commitments",
    "info_guides",
)


class InfoMenuScreen(Screen):
    name = "info"

    sig_open = Signal(str)
    """(screen name): one of the information screens."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(30)
        self.title = label("title")
        layout.addWidget(self.title)
        self._grid = QGridLayout()
        self._grid.setSpacing(30)
        self.tiles: dict[str, Tile] = {}
        for target in (PRICES, ADVICE, COMMITMENTS, GUIDES):
            tile = Tile()
            tile.clicked.connect(lambda _=False, t=target: self.sig_open.emit(t))
            self.tiles[target] = tile
        layout.addLayout(self._grid, 1)
        self.set_portrait(False)
        self.retranslate()

    def set_portrait(self, portrait: bool) -> None:
        columns = 1 if portrait else 4
        for index, tile in enumerate(self.tiles.values()):
            self._grid.addWidget(tile, index // columns, index % columns)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Information"))
        texts = {
            PRICES: (
                self.tr("Electricity prices"),
                self.tr("The price tiers, and what a year of use costs"),
            ),
            ADVICE: (self.tr("Saving energy"), self.tr("Simple ways to use less electricity")),
            COMMITMENTS: (
                self.tr("Our service commitments"),
                self.tr("How fast we connect, repair and answer"),
            ),
            GUIDES: (
                self.tr("Business guides"),
                self.tr("What to bring and how long each business takes"),
            ),
        }
        for target, (heading, description) in texts.items():
            self.tiles[target].set_texts(heading, description)
