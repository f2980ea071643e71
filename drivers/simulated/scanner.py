"""A code scanner you show codes to by calling ``show_code``.

Like a real presentation scanner it reads a code held in front of it once: showing the same code
again within ``dedup_window_s`` of the last time it was seen is the same read.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from drivers.contracts import CodeScanner, DataEvent, DeviceState, ScannedCode, ScanSource
from drivers.scanner.dedup import RepeatFilter
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
        self._latency = float(read_latency_s)
        self._repeats = RepeatFilter(dedup_window_s, clock)

    def show_code(self, text: str) -> bool:
        """Hold a code in front of the scanner. True if that made a read (a DataEvent follows).

        Nothing is read while the scanner is not enabled, as with a real one switched off.
        """
        if not isinstance(text, str) or not text:
            raise ValueError("a scanned code is a non-empty str")
        if self.state is not DeviceState.ENABLED:
            return False
        if not self._repeats.is_new(text):
            return False
        code = ScannedCode(text, ScanSource.SIMULATED)
        self._emit(DataEvent(self.name, code), delay=self._latency)
        return True

    def _on_disable(self) -> None:
        self._repeats.reset()  # a code shown again after re-enabling is a new read
