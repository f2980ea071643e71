"""A camera read through OpenCV: one capture thread owns the device from open to close.

While enabled it reads pictures as fast as the camera gives them (or at ``fps`` for a file
source) and keeps only the newest, so the decoder, document capture and the video link each
take the latest frame and none of them ever holds up capture. When the camera stops answering
it is reported unavailable and opened again with back-off; frames flow again once it is back.
"""

from __future__ import annotations

import logging
import threading
import time

from drivers.camera.latest_frame import LatestFrame
from drivers.camera.sources import FrameSource, SourceLost, grey, source_for
from drivers.contracts import (
    Camera,
    CameraCapabilities,
    DeviceState,
    DeviceUnavailable,
    Frame,
    HealthStatus,
)
from drivers.link import Backoff

log = logging.getLogger(__name__)


class OpenCvCamera(Camera):
    def __init__(
        self,
        url: str = "v4l2:///dev/video0",
        name: str | None = None,
        fps: float = 15.0,
        width: int = 640,
        height: int = 480,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__(name)
        if not isinstance(fps, int | float) or not 1 <= fps <= 60:
            raise ValueError(f"fps must be 1-60, not {fps!r}")
        self.url = url
        self._source: FrameSource = source_for(url, width, height, fps)
        self.capabilities = CameraCapabilities(width, height, float(fps))
        self._frames = LatestFrame()
        self._backoff = backoff or Backoff()
        self._stop = threading.Event()
        self._wake = threading.Event()  # enabled: start reading now
        self._capture: threading.Thread | None = None
        self._connected = False
        self._enabled_at = 0.0

    def latest(self) -> Frame | None:
        return self._frames.frame

    def wait_for_frame(self, newer_than: int = -1, timeout: float = 1.0) -> Frame | None:
        return self._frames.wait_newer(newer_than, timeout)

    # lifecycle

    def _on_open(self) -> None:
        try:
            self._source.open()
        except SourceLost as error:
            raise DeviceUnavailable(str(error)) from error
        self._connected = True
        self._frames.reset()
        self._stop.clear()
        self._capture = threading.Thread(target=self._run, name=f"{self.name}-capture", daemon=True)
        self._capture.start()

    def _on_enable(self) -> None:
        self._enabled_at = time.monotonic()
        self._wake.set()

    def _on_close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._capture is not None:
            self._capture.join(timeout=3.0)
            self._capture = None
        self._source.close()
        self._connected = False

    def _health_when_open(self) -> tuple[HealthStatus, str]:
        if self.state is not DeviceState.ENABLED:
            return HealthStatus.OK, "idle"
        frame = self._frames.frame
        last = max(frame.at if frame is not None else 0.0, self._enabled_at)
        if time.monotonic() - last > 3 / self.capabilities.fps + 0.5:
            return HealthStatus.WARNING, "enabled but no recent frame"
        return HealthStatus.OK, f"capturing at up to {self.capabilities.fps:g} fps"

    # the capture thread

    def _run(self) -> None:
        period = 1.0 / self.capabilities.fps
        due = time.monotonic()
        while not self._stop.is_set():
            if not self._connected and not self._reconnect():
                continue
            if self.state is not DeviceState.ENABLED:
                self._wake.wait(0.2)
                self._wake.clear()
                due = time.monotonic()
                continue
            try:
                image = self._source.read()
            except SourceLost as error:
                log.warning("%s: camera lost: %s", self.name, error)
                self._source.close()
                self._connected = False
                self._become_unavailable(str(error))
                self._stop.wait(self._backoff.next())
                continue
            # Grey for the decoders, which read nothing else; the colour kept beside it, for
            # the video call (a reference, not a copy).
            self._frames.put(grey(image), image if image.ndim == 3 else None)
            if self._source.paced:
                # Late (a slow machine): skip ahead rather than burst to catch up.
                due = max(due + period, time.monotonic())
                self._stop.wait(due - time.monotonic())

    def _reconnect(self) -> bool:
        try:
            self._source.open()
        except SourceLost:
            self._stop.wait(self._backoff.next())
            return False
        self._connected = True
        self._backoff.reset()
        log.info("%s: camera back", self.name)
        self._become_available()
        return True
