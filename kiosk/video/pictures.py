"""The newest picture of the kiosk's screen, handed from the UI thread to the call's screen
track. Light on purpose: the link holds one from the kiosk's start, before any call."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


class LatestPicture:
    """The newest picture of something (the kiosk's screen), put by one thread, read by another.
    RGB, height x width x 3."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._picture: NDArray[np.uint8] | None = None
        self.puts = 0

    def put(self, picture: NDArray[np.uint8]) -> None:
        with self._lock:
            self._picture = picture
            self.puts += 1

    def get(self) -> NDArray[np.uint8] | None:
        with self._lock:
            return self._picture
