"""The information screens and the reference data behind them, kept up to date on screen.

The library is told of new data on the puller's thread; a queued signal brings it to the UI
thread, where every screen that shows reference data is filled again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.ui.information.articles import ArticlesScreen
from kiosk.ui.information.guides import GuidesScreen
from kiosk.ui.information.menu import ADVICE, COMMITMENTS, InfoMenuScreen
from kiosk.ui.information.prices import PricesScreen
from kiosk.ui.widgets import Screen

if TYPE_CHECKING:
    from kiosk.services.reference import ReferenceLibrary


def notices_on(library: ReferenceLibrary, day: dt.date) -> list[dict[str, str]]:
    """The idle screen's notices for `day`, in both languages: those in season only."""
    return [{"zh": t.zh, "en": t.en} for t in library.notices(day)]


class Information(QObject):
    """Owns the information screens; `sig_changed` after new reference data was shown."""

    sig_library_changed = Signal()
    """(): the library has new data (emitted on any thread, handled on the UI thread)."""

    sig_changed = Signal()
    """(): the screens show the new data; others (idle notices, settings) may re-read it."""

    def __init__(
        self,
        library: ReferenceLibrary,
        today: Callable[[], dt.date],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self._today = today
        self.menu = InfoMenuScreen()
        self.prices = PricesScreen()
        self.advice = ArticlesScreen(ADVICE)
        self.commitments = ArticlesScreen(COMMITMENTS)
        self.guides = GuidesScreen()
        self.sig_library_changed.connect(self.refresh, Qt.ConnectionType.QueuedConnection)
        self._unwatch = library.watch(self.sig_library_changed.emit)
        self.refresh()

    @property
    def screens(self) -> tuple[Screen, ...]:
        return (self.menu, self.prices, self.advice, self.commitments, self.guides)

    def notices(self) -> list[dict[str, str]]:
        return notices_on(self.library, self._today())

    def refresh(self) -> None:
        library = self.library
        self.prices.set_tariff(library.electricity_tariff(), library.tariffs().explanation)
        knowledge = library.knowledge()
        self.advice.set_articles(knowledge.energy_saving)
        self.commitments.set_articles(knowledge.commitments)
        self.guides.set_guides(knowledge.guides)
        self.sig_changed.emit()

    def set_language(self, language: str) -> None:
        for screen in (self.prices, self.advice, self.commitments, self.guides):
            screen.set_language(language)

    def teardown(self) -> None:
        self._unwatch()
