"""Takes the window's picture on the UI thread for a caller on another thread, which makes the
PNG: grabbing a widget must happen on the UI thread, encoding a full-screen PNG need not."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QIODevice, QObject, Qt, Signal
from PySide6.QtGui import QImage


class _Asked:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.picture: QImage | None = None
        self.masked = False


class ScreenTaker(QObject):
    _sig_take = Signal(object)

    def __init__(
        self, take: Callable[[], tuple[QImage, bool]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._take_now = take
        self._sig_take.connect(self._take, Qt.ConnectionType.QueuedConnection)

    def take(self, timeout_s: float = 5.0) -> tuple[bytes, bool]:
        """From any thread but the UI's: the PNG and whether it was masked."""
        asked = _Asked()
        self._sig_take.emit(asked)
        if not asked.done.wait(timeout_s) or asked.picture is None:
            raise TimeoutError(f"the screen could not be taken within {timeout_s:g} s")
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # PySide6 wants the format as str here; its stubs say bytes.
        asked.picture.save(buffer, "PNG")  # type: ignore[call-overload]
        return bytes(buffer.data().data()), asked.masked

    def _take(self, asked: _Asked) -> None:
        try:
            asked.picture, asked.masked = self._take_now()
        finally:
            asked.done.set()
