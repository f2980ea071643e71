"""A code scanner that reads codes from a camera's pictures.

It decodes the newest frame on its own thread, then the newest again: frames that came while it
was decoding are skipped, never queued, and capture never waits for decoding. A code seen again
within the dedup window is the same read. Given a ``camera`` (the kiosk's one camera, shared
with document capture and the video link) it only reads from it; given a camera ``url`` it
makes and runs its own ``OpenCvCamera``. Either way it is unavailable while the camera is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from drivers.camera.opencv_camera import OpenCvCamera
from drivers.contracts import (
    Camera,
    CodeScanner,
    DataEvent,
    DeviceEvent,
    DeviceState,
    HealthStatus,
    ScannedCode,
    ScanSource,
    StatusEvent,
)
from drivers.scanner.decoders import Decoder, decoder_named
from drivers.scanner.dedup import RepeatFilter

log = logging.getLogger(__name__)


class CameraScanner(CodeScanner):
    def __init__(
        self,
        camera: Camera | None = None,
        url: str = "v4l2:///dev/video0",
        name: str | None = None,
        decoder: str | Decoder = "cascade",
        dedup_window_s: float = 1.5,
        fps: float = 15.0,
    ) -> None:
        super().__init__(name)
        self._owns_camera = camera is None
        self.camera: Camera = camera or OpenCvCamera(url, name=f"{self.name}-camera", fps=fps)
        self.decoder = decoder_named(decoder) if isinstance(decoder, str) else decoder
        self._repeats = RepeatFilter(dedup_window_s)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.frames_decoded = 0
        self.decode_seconds = 0.0

    # lifecycle hooks

    def _on_open(self) -> None:
        if self._owns_camera:
            self.camera.open()
        self._unsubscribe = self.camera.subscribe(self._follow_camera)

    def _on_enable(self) -> None:
        if self._owns_camera:
            self.camera.enable()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"{self.name}-decode", daemon=True)
        self._thread.start()

    def _on_disable(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3.0)
            self._thread = None
        if self._owns_camera and self.camera.state is DeviceState.ENABLED:
            self.camera.disable()
        self._repeats.reset()

    def _on_close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._owns_camera and self.camera.state is not DeviceState.CLOSED:
            self.camera.close()

    def _health_when_open(self) -> tuple[HealthStatus, str]:
        camera = self.camera.check_health()
        if camera.status is not HealthStatus.OK:
            return camera.status, f"camera: {camera.detail}"
        if self.frames_decoded:
            per_frame = 1000 * self.decode_seconds / self.frames_decoded
            return HealthStatus.OK, f"{self.decoder.name}, {per_frame:.1f} ms per frame"
        return HealthStatus.OK, self.decoder.name

    # the camera's comings and goings

    def _follow_camera(self, event: DeviceEvent) -> None:
        if not isinstance(event, StatusEvent) or not isinstance(event.status, DeviceState):
            return
        if event.status is DeviceState.UNAVAILABLE:
            self._become_unavailable(f"camera: {event.detail}")
        else:
            self._become_available()

    # the decoding thread

    def _run(self) -> None:
        last = -1
        while not self._stop.is_set():
            frame = self.camera.wait_for_frame(newer_than=last, timeout=0.2)
            if frame is None:
                continue
            last = frame.index
            started = time.perf_counter()
            try:
                texts = self.decoder.decode(frame.image)
            except Exception:
                # One bad frame must not end scanning: log it and take the next.
                log.exception("%s: %s failed on frame %d", self.name, self.decoder.name, last)
                continue
            finally:
                self.decode_seconds += time.perf_counter() - started
                self.frames_decoded += 1
            if self.state is not DeviceState.ENABLED:
                continue
            for text in texts:
                if self._repeats.is_new(text):
                    self._emit(DataEvent(self.name, ScannedCode(text, ScanSource.CAMERA)))
