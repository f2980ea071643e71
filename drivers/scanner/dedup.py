"""One read per code shown: a scanner (or a camera) sees a code held in front of it many times
a second; the same text again within the window is the same read."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RepeatFilter:
    """``is_new(text)`` is False for the text last seen less than ``window_s`` ago.

    Each sighting restarts the window, so a code held still for a minute is read once; after
    it has been away for the window it reads again. Thread-safe; the clock is injectable.
    """

    def __init__(self, window_s: float = 1.5, clock: Callable[[], float] = time.monotonic):
        if not isinstance(window_s, int | float) or not 0 <= window_s <= 60:
            raise ValueError(f"dedup window must be 0-60 seconds, not {window_s!r}")
        self.window_s = float(window_s)
        self._clock = clock
        self._lock = threading.Lock()
        self._last_text: str | None = None
        self._last_seen = float("-inf")

    def is_new(self, text: str) -> bool:
        now = self._clock()
        with self._lock:
            repeat = text == self._last_text and now - self._last_seen < self.window_s
            self._last_text, self._last_seen = text, now
        return not repeat

    def reset(self) -> None:
        """Forget the last code: the next sighting of it is a new read (after re-enabling)."""
        with self._lock:
            self._last_text = None
