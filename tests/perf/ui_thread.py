"""Watching the UI thread in the benchmarks: wait while Qt runs, and measure how long it could
not react.

A 5 ms precise timer on the UI thread records when it really fires; every gap beyond its
interval is time the screen could not answer a touch. Import after the QApplication exists.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer

INTERVAL_MS = 5


def run_until(condition: Callable[[], bool], limit_s: float) -> bool:
    """Let Qt run until `condition()` holds or `limit_s` passes; returns `condition()`."""
    loop = QEventLoop()
    deadline = time.monotonic() + limit_s
    while not condition() and time.monotonic() < deadline:
        loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)
    return condition()


def live_for(seconds: float) -> None:
    """Run Qt's own event loop for `seconds`, as the kiosk's runs: nothing polls, so the CPU
    spent meanwhile is the kiosk's own (`run_for` turns the loop by hand, and costs a core)."""
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def run_for(seconds: float) -> None:
    until = time.monotonic() + seconds
    run_until(lambda: time.monotonic() > until, seconds + 1)


class StallMeter:
    """`start()`, let Qt run, `stop()`; then `gaps()` in ms beyond the timer's interval."""

    def __init__(self) -> None:
        self._ticks: list[int] = []
        self._clock = QElapsedTimer()
        self._clock.start()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(lambda: self._ticks.append(self._clock.nsecsElapsed()))

    def start(self) -> None:
        self._ticks.clear()
        self._timer.start(INTERVAL_MS)

    def stop(self) -> list[float]:
        """Stop; the gaps measured since `start()`, sorted."""
        self._timer.stop()
        return self.gaps()

    def gaps(self) -> list[float]:
        pairs = itertools.pairwise(self._ticks)
        return sorted((b - a) / 1e6 - INTERVAL_MS for a, b in pairs)
