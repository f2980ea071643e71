"""The kiosk's end of a video call: signalling over one signed socket, media over WebRTC
(aiortc), all on one asyncio loop in its own thread, so the UI thread never waits on either.

The kiosk sends the offer (aiortc gathers every candidate first; the staff browser answers).
aiortc has no ICE restart: when the media path drops and does not come back within
`RECONNECT_AFTER_S`, the kiosk negotiates the same call again with a new connection and the
next `attempt`. When the socket drops, it is opened again and the call resumed by its id.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.services.video_help import CallListener, CallRecord, OwnPicture
from kiosk.video.pictures import LatestPicture
from sync.protocol.calls import CallContext, EndReason, PushDone, new_call_id

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from drivers.contracts import Camera
    from kiosk.video.call import Call
    from sync.credentials import Credentials

log = logging.getLogger(__name__)


@dataclass
class LinkStats:
    """Counters for the maintenance screen, tests and benchmarks."""

    calls: int = 0
    staff_frames: int = 0
    audio_frames: int = 0
    attempts: int = 0


@dataclass(frozen=True)
class VideoSettings:
    center_url: str
    kiosk_id: str
    credentials: Credentials | None
    ca_bundle: str | None = None
    # Offer loopback among the host candidates: aioice leaves 127.0.0.1 out, which a demo or a
    # test with the kiosk and the staff browser on one machine needs.
    loopback_candidates: bool = False
    # "tone" (the demo's), or "" for no microphone. A real kiosk names its ALSA device
    # ("alsa:default"), which on a desktop audio server carries its echo canceller.
    microphone: str = "tone"
    speaker: str = ""  # "alsa:default", or "" to count what arrives and drop it


class VideoLink:
    """The `VideoHelp` port over aiortc. Its thread and loop start with the first call."""

    def __init__(
        self,
        settings: VideoSettings,
        camera: Camera | None,
        record: Callable[[CallRecord], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._camera = camera
        self._record = record
        self._clock = clock
        self._screen = LatestPicture()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Lock()
        self._call: Call | None = None
        self._fit = (0, 0)
        self.stats = LinkStats()

    # -- the port (any thread) ------------------------------------------------------------

    @property
    def in_call(self) -> bool:
        call = self._call
        return call is not None and not call.ended

    def place_call(self, context: CallContext, listener: CallListener) -> str:
        call_id = new_call_id()
        self._submit(self._place(call_id, context, listener))
        return call_id

    def hang_up(self) -> None:
        call = self._call
        if call is not None and self._loop is not None:
            self._submit(call.hang_up(EndReason.RESIDENT))

    def push_done(self, call_id: str, push_id: str, ok: bool, detail: str = "") -> None:
        call = self._call
        if call is not None and call.call_id == call_id:
            done = PushDone(call_id=call_id, push_id=push_id, ok=ok, detail=detail)
            self._submit(call.send(done))

    def own_picture(self) -> OwnPicture | None:
        frame = self._camera.latest() if self._camera is not None else None
        if frame is None:
            return None
        return OwnPicture(frame.index, frame.colour if frame.colour is not None else frame.image)

    def fit_pictures(self, width: int, height: int) -> None:
        self._fit = (width, height)

    def screen_picture(self, picture: NDArray[np.uint8]) -> None:
        self._screen.put(picture)

    def close(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        call = self._call
        if call is not None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(call.hang_up(EndReason.RESIDENT), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        self._loop = self._thread = None

    # -- the loop's thread ------------------------------------------------------------------

    def _submit(self, job: Coroutine[Any, Any, None]) -> None:
        loop = self._ensure_loop()
        asyncio.run_coroutine_threadsafe(job, loop)

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._started:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=_run_forever,
                    args=(loop, self._settings.loopback_candidates),
                    name="video-link",
                    daemon=True,
                )
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    async def _place(self, call_id: str, context: CallContext, listener: CallListener) -> None:
        # aiortc and FFmpeg are imported with the first call, not with the kiosk: a kiosk that
        # is never called does not carry them (some 50 MiB).
        from kiosk.video.call import Call

        previous = self._call
        if previous is not None and not previous.ended:
            await previous.hang_up(EndReason.RESIDENT)
        call = Call(self, call_id, context, listener)
        self._call = call
        self.stats.calls += 1
        await call.run()


def _run_forever(loop: asyncio.AbstractEventLoop, loopback_candidates: bool) -> None:
    if loopback_candidates:
        _offer_loopback()  # here, on the link's thread: importing aioice is no work for the UI
    asyncio.set_event_loop(loop)
    # aiortc encodes in the loop's executor. Two threads for good (the camera and the screen):
    # the default pool grows to six, each thread with its own malloc arena, and the kiosk's
    # memory grew with them over its first twenty calls.
    loop.set_default_executor(
        concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="video-encode")
    )
    loop.run_forever()


def _offer_loopback() -> None:
    """Let aioice offer 127.0.0.1 as well (it leaves loopback out on purpose)."""
    from aioice import ice

    original = ice.get_host_addresses
    if getattr(original, "with_loopback", False):
        return

    def with_loopback(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        found = original(use_ipv4, use_ipv6)
        return [*found, "127.0.0.1"] if use_ipv4 and "127.0.0.1" not in found else found

    with_loopback.with_loopback = True  # type: ignore[attr-defined]
    ice.get_host_addresses = with_loopback
