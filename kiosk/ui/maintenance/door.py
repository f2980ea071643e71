"""The hidden knock on the resident's window that opens the technician's door.

It listens to every touch the application gets; a touch in a bottom corner of the idle or
out-of-service screen is the knock's, not the screen's (it starts no session).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.domain.technician_access import SecretKnock, corner_at


class MaintenanceDoor(QObject):
    sig_knocked = Signal()
    """(): the whole knock was done: ask for the PIN."""

    def __init__(
        self,
        window: QWidget,
        may_knock: Callable[[], bool],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._may_knock = may_knock
        self._monotonic = monotonic
        self._knock = SecretKnock()
        app = QApplication.instance()
        assert app is not None
        self._app = app
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.MouseButtonPress or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self._window or not self._may_knock():
            return False
        assert isinstance(event, QMouseEvent)
        point = self._window.mapFromGlobal(event.globalPosition().toPoint())
        width, height = self._window.width(), self._window.height()
        if self._knock.touch(point.x(), point.y(), width, height, self._monotonic()):
            self.sig_knocked.emit()
        return corner_at(point.x(), point.y(), width, height) is not None

    def teardown(self) -> None:
        self._app.removeEventFilter(self)
