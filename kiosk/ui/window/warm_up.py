"""Each later screen drawn once, off screen, while the kiosk waits for its first resident.

The first time a screen is painted, Qt polishes its widgets, computes its layout and rasterises
its glyphs (the Chinese ones are large); on the bill screen that made showing a fetched bill a
60 ms stall of the UI thread. Drawn once beforehand, a screen shows in about half that. One
screen per turn of the event loop, so a touch in between is answered at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QSize, QTimer
from PySide6.QtWidgets import QWidget


class WarmUp(QObject):
    def __init__(
        self,
        screens: Sequence[QWidget],
        size: Callable[[], QSize],
        parent: QObject | None = None,
    ) -> None:
        """`size`: the size a screen is shown at (a hidden page of a stack keeps its own)."""
        super().__init__(parent)
        self._waiting = list(screens)
        self._size = size
        self.drawn = 0

    def start(self) -> None:
        # With this object as the context: a window closed while it warms up (its screens
        # deleted) stops it, rather than leaving a turn that reaches a deleted screen.
        QTimer.singleShot(0, self, self._next)

    def _next(self) -> None:
        if not self._waiting:
            return
        screen = self._waiting.pop(0)
        if not screen.isVisible():  # one on screen has been drawn already
            screen.resize(self._size())  # laid out, and its glyphs drawn, at the real size
            screen.grab()
        self.drawn += 1
        QTimer.singleShot(0, self, self._next)
