"""A code scanner you show codes to by calling ``show_code``.

Like a real presentation scanner it reads a code held in front of it once: showing the same code
again within ``dedup_window_s`` of the last time it was seen is the same read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from drivers.contracts import CodeScanner, DataEvent, DeviceState, ScannedCode, ScanSource
from drivers.simulated.cable import Cable, check_sim_url


class SimulatedScanner(CodeScanner, Cable):
    def __init__(
        self,
        name: str | None = None,
        url: str = "sim://scanner",
        dedup_window_s: float = 1.5,
        read_latency_s: float = 0.01,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(name)
        check_sim_url(url, "scanner")
        for option, value in (
            ("dedup_window_s", dedup_window_s),
            ("read_latency_s", read_latency_s),
        ):
            if not isinstance(value, int | float) or not 0 <= value <= 60:
                raise ValueError(f"{option} must be 0-60 seconds, not {value!r}")
        self._window = float(dedup_window_s)
        self._latency = float(read_latency_s)
        self._clock = clock
        self._lock = threading.Lock()
        self._last_text: str | None = None
        self._last_seen = float("-inf")

    def show_code(self, text: str) -> bool:
        """Hold a code in front of the scanner. True if that made a read (a DataEvent follows).

        Nothing is read while the scanner is not enabled, as with a real one switched off.
        """
        if not isinstance(text, str) or not text:
            raise ValueError("a scanned code is a non-empty str")
        if self.state is not DeviceState.ENABLED:
            return False
        now = self._clock()
        with self._lock:
            repeat = text == self._last_text and now - self._last_seen < self._window
            self._last_text, self._last_seen = text, now
        if repeat:
            return False
        code = ScannedCode(text, ScanSource.SIMULATED)
        self._emit(DataEvent(self.name, code), delay=self._latency)
        return True

    def _on_disable(self) -> None:
        with self._lock:
            self._last_text = None  # a code shown again after re-enabling is a new read
