"""A camera that films a moving test pattern: 640x480 grey frames at a set rate, on its own thread
while enabled. ``latest()`` is the newest frame; ``wait_for_frame`` waits for a newer one.

It starts filming when first watched (``latest`` or ``wait_for_frame``) after being enabled: a
kiosk that has not used its camera yet neither spends a core drawing frames nobody reads nor
carries numpy's 15 MiB from its start.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from drivers.contracts import Camera, CameraCapabilities, DeviceState, Frame, HealthStatus
from drivers.simulated.cable import Cable, check_sim_url

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

WIDTH, HEIGHT = 640, 480
_BAR = 24  # width of the bright bar that sweeps across, so consecutive frames differ visibly


def _gradient() -> NDArray[np.uint8]:
    import numpy as np

    row = np.linspace(0, 200, WIDTH, dtype=np.float32).astype(np.uint8)
    return np.tile(row, (HEIGHT, 1))


class SimulatedCamera(Camera, Cable):
    def __init__(self, name: str | None = None, url: str = "sim://camera", fps: float = 15.0):
        super().__init__(name)
        check_sim_url(url, "camera")
        if not isinstance(fps, int | float) or not 1 <= fps <= 60:
            raise ValueError(f"fps must be 1-60, not {fps!r}")
        self.capabilities = CameraCapabilities(WIDTH, HEIGHT, float(fps))
        self._background: NDArray[np.uint8] | None = None
        self._new_frame = threading.Condition()
        self._latest: Frame | None = None
        self._next_index = 0
        self._stop = threading.Event()
        self._watched = threading.Event()  # set by a reader, or by disabling (to end the wait)
        self._capture: threading.Thread | None = None
        self._enabled_at = 0.0
        self._held_up: list[tuple[NDArray[np.uint8], NDArray[np.uint8] | None]] | None = None

    def hold_up(self, picture: NDArray[np.uint8] | Sequence[NDArray[np.uint8]] | None) -> None:
        """Film `picture` (grey, or BGR colour) from the next frame on, as if it were held in
        front of the lens (a document page, a photo); a sequence of pictures is filmed one per
        frame, in a loop (a resident who moves, blinks); None goes back to the test pattern."""
        if picture is None:
            self._held_up = None
            return
        import cv2
        import numpy as np

        from drivers.camera.sources import grey as grey_of
        from drivers.camera.sources import pixels

        held: list[tuple[NDArray[np.uint8], NDArray[np.uint8] | None]] = []
        pictures = [picture] if isinstance(picture, np.ndarray) else list(picture)
        for one in pictures:
            colour: NDArray[np.uint8] | None = None
            one = pixels(cv2.resize(one, (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA))
            if one.ndim == 3:
                colour = one
                colour.flags.writeable = False
            grey = grey_of(one)
            grey.flags.writeable = False
            held.append((grey, colour))
        self._held_up = held

    def latest(self) -> Frame | None:
        self._watched.set()
        return self._latest

    def wait_for_frame(self, newer_than: int = -1, timeout: float = 1.0) -> Frame | None:
        self._watched.set()
        with self._new_frame:
            self._new_frame.wait_for(
                lambda: self._latest is not None and self._latest.index > newer_than, timeout
            )
            frame = self._latest
        return frame if frame is not None and frame.index > newer_than else None

    def _on_open(self) -> None:
        self._latest, self._next_index = None, 0

    def _on_enable(self) -> None:
        self._stop.clear()
        self._watched.clear()
        self._enabled_at = time.monotonic()
        self._capture = threading.Thread(target=self._run, name=f"{self.name}-capture", daemon=True)
        self._capture.start()

    def _on_disable(self) -> None:
        self._stop.set()
        self._watched.set()
        if self._capture is not None:
            self._capture.join(timeout=2.0)
            self._capture = None

    def _health_when_open(self) -> tuple[HealthStatus, str]:
        if self.state is not DeviceState.ENABLED:
            return HealthStatus.OK, "idle"
        if not self._watched.is_set():
            return HealthStatus.OK, "ready, films when watched"
        frame = self._latest
        stale_after = 3 / self.capabilities.fps + 0.5
        last = frame.at if frame is not None else self._enabled_at
        if time.monotonic() - last > stale_after:
            return HealthStatus.WARNING, "enabled but no recent frame"
        return HealthStatus.OK, f"capturing {self.capabilities.fps:g} fps"

    def _run(self) -> None:
        self._watched.wait()
        self._enabled_at = time.monotonic()  # frames are due from now, not from enabling
        if self._background is None:
            self._background = _gradient()
        period = 1.0 / self.capabilities.fps
        due = time.monotonic()
        while not self._stop.is_set():
            if self.state is DeviceState.ENABLED:  # an unplugged camera films nothing
                held = self._held_up
                if held:
                    self._publish(*held[self._next_index % len(held)])
                else:
                    self._publish(self._draw(self._next_index))
            due += period
            # Late (a slow machine): skip ahead rather than burst to catch up.
            due = max(due, time.monotonic())
            self._stop.wait(due - time.monotonic())

    def _draw(self, index: int) -> NDArray[np.uint8]:
        import numpy as np

        assert self._background is not None  # made before the first frame is drawn
        shift = (index * 8) % WIDTH
        image = np.roll(self._background, shift, axis=1)
        bar = (index * 16) % (WIDTH - _BAR)
        image[:, bar : bar + _BAR] = 255
        image.flags.writeable = False  # shared with every reader of latest()
        return image

    def _publish(self, image: NDArray[np.uint8], colour: NDArray[np.uint8] | None = None) -> None:
        frame = Frame(image, self._next_index, time.monotonic(), colour)
        with self._new_frame:
            self._latest = frame
            self._next_index += 1
            self._new_frame.notify_all()
