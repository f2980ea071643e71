"""The reminder to take one's ID card when a session ends with the card still on the reader.

It lasts until the card is taken away, a new session starts, or `seconds` pass (a card forgotten
for good must not keep the kiosk from its idle screen). The card is not read again: whoever comes
next asks for it to be read, or lays their own card on the reader.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk.ui.background import DeviceSignals


class CardReminder(QObject):
    sig_over = Signal()
    """(): the reminder ended (the card was taken, time ran out, or a session started)."""

    def __init__(
        self, devices: DeviceSignals | None, *, seconds: float, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._devices = devices
        self._active = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(seconds * 1000))
        self._timer.timeout.connect(self.end)
        if devices is not None:
            devices.sig_id_card_present.connect(self._presence)

    @property
    def active(self) -> bool:
        return self._active

    def begin(self) -> bool:
        """A session ended: remind if a card lies on the reader; whether it does."""
        if self._devices is None or not self._devices.card_on_reader:
            return False
        self._active = True
        self._timer.start()
        QApplication.beep()  # the resident may already be turning away
        return True

    def end(self) -> None:
        if self._active:
            self._active = False
            self._timer.stop()
            self.sig_over.emit()

    def _presence(self, present: bool) -> None:
        if not present:
            self.end()

    def teardown(self) -> None:
        self._timer.stop()
        if self._devices is not None:
            self._devices.sig_id_card_present.disconnect(self._presence)
            self._devices = None
