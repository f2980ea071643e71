"""`kiosk update check`: the running kiosk watched until it proves the release works here.

A release passes when its window has painted, its back end is up (store opened and migrated,
devices opened, what the last run left resumed) and the center has answered its heartbeat.
Then the kiosk stops as it always does (the queue and the journal written) and exits 0; at the
deadline it exits 1 with what was missing.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.bootstrap import Kiosk

log = logging.getLogger(__name__)

PASSED = 0
FAILED = 1
LOOK_EVERY_MS = 250


class UpdateCheck:
    def __init__(self, seconds: float, version: str) -> None:
        from PySide6.QtCore import QTimer

        self._deadline = time.monotonic() + seconds
        self._version = version
        self._kiosk: Kiosk | None = None
        self._missing = "the back end did not come up"
        self._timer: Any = QTimer()
        self._timer.timeout.connect(self._look)
        self._timer.start(LOOK_EVERY_MS)

    def back_end_up(self, kiosk: Kiosk | None) -> None:
        if kiosk is None:
            self._end(FAILED, "the back end could not start")
            return
        self._kiosk = kiosk
        self._missing = "the center has not answered a heartbeat"
        if kiosk.fleet is not None:
            kiosk.fleet.heartbeat.beat_now()

    def _look(self) -> None:
        kiosk = self._kiosk
        if kiosk is not None and kiosk.fleet is not None and kiosk.fleet.heartbeat.last_beat:
            self._end(PASSED, "it started and the center answered its heartbeat")
            return
        if time.monotonic() > self._deadline:
            self._end(FAILED, self._missing)

    def _end(self, code: int, why: str) -> None:
        from PySide6.QtWidgets import QApplication

        self._timer.stop()
        verdict = "passes" if code == PASSED else "fails"
        print(f"kiosk: release {self._version} {verdict} its check: {why}", file=sys.stderr)
        log.log(logging.INFO if code == PASSED else logging.ERROR, "update check: %s", why)
        QApplication.exit(code)
