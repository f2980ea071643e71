"""The newest frame, handed to every reader: the capture thread puts, readers take the latest.

A reader that is slower than the camera simply gets the newest frame next time: older ones are
dropped, never queued, so no reader ever holds up capture or falls behind it.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from drivers.contracts import Frame

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


class LatestFrame:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._latest: Frame | None = None
        self._next_index = 0

    @property
    def frame(self) -> Frame | None:
        return self._latest

    def reset(self) -> None:
        with self._changed:
            self._latest, self._next_index = None, 0

    def put(self, image: NDArray[np.uint8], colour: NDArray[np.uint8] | None = None) -> Frame:
        image.flags.writeable = False  # shared with every reader
        if colour is not None:
            colour.flags.writeable = False
        with self._changed:
            frame = Frame(image, self._next_index, time.monotonic(), colour)
            self._latest = frame
            self._next_index += 1
            self._changed.notify_all()
        return frame

    def wait_newer(self, newer_than: int, timeout: float) -> Frame | None:
        with self._changed:
            self._changed.wait_for(
                lambda: self._latest is not None and self._latest.index > newer_than, timeout
            )
            frame = self._latest
        return frame if frame is not None and frame.index > newer_than else None
