"""The center's lock: while it holds, residents see its message and nothing else.

A payment being settled keeps its screens until its outcome is shown and the session ends; the
lock takes hold then. Unlocking goes back to the idle screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.ui.home.locked import LockedScreen

if TYPE_CHECKING:
    from kiosk.services.remote_commands import LockState


class LockGuard(QObject):
    sig_locked = Signal()
    """(): the lock takes hold now: any session ends and the locked screen is shown."""

    sig_unlocked = Signal()
    """(): the lock is lifted: back to the idle screen."""

    def __init__(
        self,
        screen: LockedScreen,
        *,
        settling_payment: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._screen = screen
        self._settling_payment = settling_payment
        self._state: LockState | None = None
        self._locked = False

    @property
    def state(self) -> LockState | None:
        """What the center said last: locked (with its message) or not (None)."""
        return self._state

    @property
    def locked(self) -> bool:
        """Whether the lock holds now (it waits for a payment being settled)."""
        return self._locked

    def set_state(self, state: LockState | None) -> None:
        self._state = state
        if state is None:
            if self._locked:
                self._locked = False
                self.sig_unlocked.emit()
            return
        self._screen.show_message(state.message_zh, state.message_en)
        if self._settling_payment():
            return
        self._locked = True
        self.sig_locked.emit()

    def session_ended(self) -> None:
        """A lock that waited for a payment to be settled takes hold now."""
        self._locked = self._state is not None

    def redirect(self, name: str) -> str:
        """No way past the center's lock but its unlock."""
        return self._screen.name if self._locked else name
