"""A page of the knowledge base as cards: energy-saving advice, or the service commitments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.ui.information.text import said
from kiosk.ui.local_text import CHINESE
from kiosk.ui.widgets import Screen, card, label, scrolling

if TYPE_CHECKING:
    from kiosk.services.screen_types import Article


class ArticlesScreen(Screen):
    """`topic` names the screen ("info_advice", "info_commitments") and picks its title."""

    def __init__(self, topic: str) -> None:
        super().__init__()
        self.name = topic
        self._articles: list[Article] = []
        self._language = CHINESE
        self._portrait = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        outer.addWidget(scrolling(body))
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(60, 30, 60, 30)
        self._layout.setSpacing(24)
        self.title = label("title")
        self._layout.addWidget(self.title)
        self._cards = QWidget()
        self._grid = QGridLayout(self._cards)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(24)
        self._layout.addWidget(self._cards)
        self._layout.addStretch(1)
        self.card_titles: list[str] = []
        self.retranslate()

    def set_articles(self, articles: Sequence[Article]) -> None:
        self._articles = list(articles)
        self._fill()

    def set_language(self, language: str) -> None:
        self._language = language
        self._fill()

    def set_portrait(self, portrait: bool) -> None:
        self._portrait = portrait
        self._fill()

    def _fill(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        columns = 1 if self._portrait else 2
        self.card_titles = []
        for index, article in enumerate(self._articles):
            box = card()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(30, 20, 30, 24)
            box_layout.setSpacing(10)
            heading = said(article.title, self._language)
            box_layout.addWidget(label("heading", heading))
            for paragraph in said(article.body, self._language).strip().splitlines():
                box_layout.addWidget(label("", paragraph))
            box_layout.addStretch(1)
            self._grid.addWidget(box, index // columns, index % columns)
            self.card_titles.append(heading)
        for column in range(2):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def retranslate(self) -> None:
        if self.name == "info_advice":
            self.title.setText(self.tr("Saving energy"))
        else:
            self.title.setText(self.tr("Our service commitments"))
