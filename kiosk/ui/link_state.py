"""The link to the center and the center's lock, as signals on the UI thread.

The services tell of both on background threads; queued signals bring them here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.services.remote_commands import LockState


class LinkState(QObject):
    sig_online = Signal(bool)
    """(online): the center became reachable (True) or unreachable (False)."""

    sig_lock = Signal(object)
    """(LockState | None): the center locked the kiosk (with its message), or unlocked it."""

    sig_devices = Signal(object)
    """(dict[str, str]): each device's health now, after a change."""

    _sig_online_any_thread = Signal(bool)
    _sig_lock_any_thread = Signal(object)
    _sig_devices_any_thread = Signal(object)

    def __init__(self, services: UseCases | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        queued = Qt.ConnectionType.QueuedConnection
        self._sig_online_any_thread.connect(self.sig_online, queued)
        self._sig_lock_any_thread.connect(self.sig_lock, queued)
        self._sig_devices_any_thread.connect(self.sig_devices, queued)
        self._stops: list[Callable[[], None]] = []
        if services is not None and hasattr(services, "watch_connectivity"):
            self._stops.append(services.watch_connectivity(self._sig_online_any_thread.emit))
        if services is not None and hasattr(services, "watch_lock"):
            self._stops.append(services.watch_lock(self._sig_lock_any_thread.emit))
        if services is not None and hasattr(services, "watch_devices"):
            self._stops.append(services.watch_devices(self._sig_devices_any_thread.emit))
        self.online = bool(getattr(services, "online", True))
        self.lock_state: LockState | None = getattr(services, "lock_state", None)

    def teardown(self) -> None:
        for stop in self._stops:
            stop()
        self._stops = []
