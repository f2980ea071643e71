"""What the scanners read over a link (serial port, grabbed input device) share: the link's
lifecycle, refusing an unreadable scan with its reason, and one read per code per window."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import Enum
from typing import Protocol

from drivers.contracts import (
    CodeScanner,
    DataEvent,
    DeviceUnavailable,
    ErrorEvent,
    ScannedCode,
    ScanSource,
)
from drivers.link import LinkError, LinkSupervisor
from drivers.scanner.dedup import RepeatFilter

log = logging.getLogger(__name__)


class Framer(Protocol):
    def reset(self) -> None:
        """Forget a partial code (its other half will never come)."""


class LinkedScanner(CodeScanner):
    """Subclasses set `_supervisor` and `_framer` (anything with `reset()`) in `__init__`."""

    _supervisor: LinkSupervisor
    _framer: Framer

    def __init__(self, name: str | None, dedup_window_s: float) -> None:
        super().__init__(name)
        self._repeats = RepeatFilter(dedup_window_s)
        self._fresh_start = threading.Event()  # ask the session to drop what came while disabled
        self._flushed = threading.Event()
        self.rejected = 0  # scans refused since open, for the maintenance screen

    def _on_open(self) -> None:
        try:
            self._supervisor.open_once()
        except DeviceUnavailable:
            raise  # already typed, with the technician's fix
        except LinkError as error:
            raise DeviceUnavailable(str(error)) from error
        self.rejected = 0
        self._supervisor.start()

    def _on_close(self) -> None:
        self._supervisor.stop()
        self._framer.reset()

    def _on_back(self) -> None:
        self._framer.reset()  # half a code from before the loss will never be finished
        self._become_available()

    def _start_fresh_if_asked(self, discard: Callable[[], object]) -> None:
        """On the session's thread: after an enable, drop what came while disabled.

        Codes shown while disabled were for nobody: not read late, not glued onto the next.
        """
        if not self._fresh_start.is_set():
            return
        self._fresh_start.clear()
        discard()
        self._framer.reset()
        self._listening_again()
        self._flushed.set()

    def _listening_again(self) -> None:
        """Called once stale input is gone, before `enable()` is told it may return."""

    def _refuse(self, reason: Enum, size: str, tell: bool) -> None:
        """An unreadable scan: counted and logged always, told to the application if `tell`."""
        self.rejected += 1
        log.info("%s: refused a scan: %s (%s)", self.name, reason.value, size)
        if tell:
            message = f"unreadable scan refused: {reason.value}"
            self._emit(ErrorEvent(self.name, message, retryable=False, cause=reason))

    def _deliver(self, text: str, source: ScanSource) -> None:
        if self._repeats.is_new(text):
            self._emit(DataEvent(self.name, ScannedCode(text, source)))
