"""The session's record and its inactivity clock.

A session starts with a touch on the idle screen (or a card or code shown to a device) and ends
with Finish, Back from the menu, the center's lock, or the clock running out. Any touch in the
window keeps it going; a payment being settled holds the clock (its own timeout governs). What
the center is told when it ends is only the names of the screens seen, the language and the
text size: no personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.domain.session import EndReason, InactivityClock, Phase, SessionSummary

_TOUCH_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


class SessionClock(QObject):
    """Ticks five times a second; watches every touch on its window while a session runs."""

    sig_tick = Signal()
    """(): a tick, in or out of a session (the time on screen follows it)."""

    sig_warning = Signal(int)
    """(seconds left): the session is about to end for lack of a touch."""

    sig_calm = Signal()
    """(): a tick of a session in no danger of ending (any warning is over)."""

    sig_expired = Signal()
    """(): no touch for too long: the session must end."""

    def __init__(
        self,
        window: QWidget,
        *,
        timeout_s: float,
        warning_s: float,
        monotonic: Callable[[], float],
        wallclock: Callable[[], dt.datetime],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._timeout_s = timeout_s
        self._warning_s = warning_s
        self._monotonic = monotonic
        self._wallclock = wallclock
        self._clock: InactivityClock | None = None
        self._started_at: dt.datetime | None = None
        self._visited: list[str] = []
        self._warned = False
        self._holds: set[str] = set()  # what holds the clock now: a payment, a call
        self._ticker = QTimer(self)
        self._ticker.setInterval(200)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- the session -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._clock is not None

    @property
    def timeout_s(self) -> float | None:
        """The running session's inactivity limit (None out of a session)."""
        return self._clock.timeout_s if self._clock is not None else None

    @property
    def seconds_left(self) -> int | None:
        """Whole seconds until the session ends without a touch (None out of a session)."""
        return self._clock.state(self._monotonic()).seconds_left if self._clock else None

    def set_limits(self, timeout_s: float, warning_s: float) -> None:
        """Taken by the next session; the one going on keeps its clock."""
        self._timeout_s = timeout_s
        self._warning_s = warning_s

    def start(self) -> None:
        self._clock = InactivityClock(self._timeout_s, self._warning_s, self._monotonic())
        self._started_at = self._wallclock()
        self._visited = []

    def visited(self, screen: str) -> None:
        """A screen was shown: its name goes into the session's summary."""
        if self._clock is not None:
            self._visited.append(screen)

    def stop(self, reason: EndReason, *, language: str, large_text: bool) -> SessionSummary | None:
        """End the session: its summary, or None when none was running."""
        if self._clock is None or self._started_at is None:
            return None
        summary = SessionSummary(
            started_at=self._started_at,
            ended_at=self._wallclock(),
            reason=reason,
            screens=tuple(self._visited),
            language=language,
            large_text=large_text,
        )
        self._clock = None
        self._holds = set()
        self._started_at = None
        self._warned = False
        return summary

    # -- keeping it going ------------------------------------------------------------------

    def touch(self) -> None:
        if self._clock is not None:
            self._clock.touch(self._monotonic())

    def more_time(self) -> None:
        self.touch()
        self.tick()

    def stay(self, seconds: float | None) -> None:
        """The screen now shown stays at least `seconds` without a touch (None: the usual)."""
        if self._clock is not None:
            self._clock.stay(seconds, self._monotonic())

    @property
    def held_for_payment(self) -> bool:
        return "payment" in self._holds

    def hold(self) -> None:
        """A payment is being settled: its own timeout governs, not the inactivity clock."""
        if self._clock is not None:
            self._clock.hold()

    def release(self) -> None:
        if self._clock is not None:
            self._clock.release(self._monotonic())

    def hold_for_payment(self, hold: bool) -> None:
        self._hold_while("payment", hold)

    def hold_for_call(self, hold: bool) -> None:
        """A video call is on: the resident is talking, not idle."""
        self._hold_while("call", hold)

    def _hold_while(self, what: str, hold: bool) -> None:
        # One hold per session and cause at most: a release never meets a clock it did not hold.
        if hold and self._clock is not None and what not in self._holds:
            self._holds.add(what)
            self.hold()
        elif not hold and what in self._holds:
            self._holds.discard(what)
            self.release()

    def tick(self) -> None:
        self.sig_tick.emit()
        if self._clock is None:
            return
        state = self._clock.state(self._monotonic())
        if state.phase is Phase.EXPIRED:
            self.sig_expired.emit()
        elif state.phase is Phase.WARNING:
            if not self._warned:
                self._warned = True
                QApplication.beep()
            self.sig_warning.emit(state.seconds_left)
        else:
            self._warned = False
            self.sig_calm.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._clock is not None
            and event.type() in _TOUCH_EVENTS
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            self._clock.touch(self._monotonic())
        return False

    def teardown(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._ticker.stop()
