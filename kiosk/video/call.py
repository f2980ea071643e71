"""One video call on the link's loop: its signalling socket, its peer connection (aiortc), its
state. Imported by the link with the first call.

The kiosk sends the offer (aiortc gathers every candidate first; the staff browser answers).
aiortc has no ICE restart: when the media path drops and does not come back within
`RECONNECT_AFTER_S`, the kiosk negotiates the same call again with a new connection and the
next `attempt`. When the socket drops, it is opened again and the call resumed by its id.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import time
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCRtpCodecCapability,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from kiosk.services.video_help import CallListener, CallRecord, CallState, CallUpdate
from kiosk.video.tracks import CameraTrack, ScreenTrack, ToneTrack
from sync.call_socket import CallSocket, CallSocketClosed
from sync.protocol.calls import (
    RESUME_WITHIN_S,
    Answered,
    CallContext,
    Closed,
    Ended,
    EndReason,
    IceServer,
    KioskCall,
    KioskHangUp,
    KioskOffer,
    Push,
    PushDone,
    RelayedAnswer,
    SocketError,
    Waiting,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from kiosk.video.link import LinkStats, VideoLink

log = logging.getLogger(__name__)

# A media path "disconnected" this long is negotiated again (Chrome and aiortc may flip to
# disconnected on one lost consent check: not ended at once).
RECONNECT_AFTER_S = 3.0
# A call whose media does not come back after this many new negotiations ends.
MAX_ATTEMPTS = 5
# Staff's picture is handed to the screen at most this often.
PICTURE_EVERY_S = 1 / 15


# A media path "disconnected" this long is negotiated again (Chrome and aiortc may flip to
# disconnected on one lost consent check: not ended at once).
class Call:
    """One call, on the link's loop: its socket, its current peer connection, its state."""

    def __init__(
        self, link: VideoLink, call_id: str, context: CallContext, listener: CallListener
    ) -> None:
        self.link = link
        self.call_id = call_id
        self.context = context
        self.listener = listener
        self.ended = False
        self.socket: CallSocket | None = None
        self.pc: RTCPeerConnection | None = None
        self.attempt = 0
        self.ice_servers: list[IceServer] = []
        self.agent = ""
        self.started = link._clock()
        self.started_mono = time.monotonic()
        self.answered_mono: float | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self._drop_timer: asyncio.TimerHandle | None = None

    # -- telling -------------------------------------------------------------------------

    def tell(self, state: CallState, **details: Any) -> None:
        try:
            self.listener.call_changed(CallUpdate(state, self.call_id, **details))
        except Exception:
            log.exception("the call's listener failed")

    async def send(self, message: KioskCall | KioskOffer | KioskHangUp | PushDone) -> None:
        if self.socket is None:
            return
        try:
            await self.socket.send(message)
        except CallSocketClosed:
            log.info("call %s: the socket closed while sending", self.call_id[:8])

    # -- the call ----------------------------------------------------------------------------

    async def run(self) -> None:
        self.tell(CallState.CONNECTING)
        try:
            await self._open_socket()
        except CallSocketClosed as error:
            log.info("video help: %s", error)
            self.tell(CallState.UNREACHABLE)
            await self._finish("unreachable")
            return
        while not self.ended:
            socket = self.socket
            assert socket is not None
            try:
                message = await socket.receive()
            except CallSocketClosed:
                if self.ended:
                    break
                if not await self._resume():
                    self.tell(CallState.ENDED, reason=EndReason.LINK_LOST)
                    await self._finish(EndReason.LINK_LOST)
                break
            if message is None:
                log.warning("call %s: a frame from the center that is no message", self.call_id[:8])
                continue
            await self._handle(message)

    async def _open_socket(self) -> None:
        settings = self.link._settings
        socket = CallSocket(
            settings.center_url,
            settings.kiosk_id,
            settings.credentials,
            ca_bundle=settings.ca_bundle,
        )
        await socket.open()
        self.socket = socket
        await socket.send(KioskCall(call_id=self.call_id, context=self.context))

    async def _resume(self) -> bool:
        """The socket dropped mid-call: open it again and resume the call by its id."""
        deadline = time.monotonic() + RESUME_WITHIN_S * 0.8
        delay = 0.25
        while not self.ended and time.monotonic() < deadline:
            try:
                await self._open_socket()
                log.info("call %s: socket back, call resumed", self.call_id[:8])
                return True
            except CallSocketClosed:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
        return False

    async def _handle(self, message: object) -> None:
        if isinstance(message, Waiting):
            self.tell(CallState.WAITING, place=message.place, estimate_s=message.estimate_s)
        elif isinstance(message, Closed):
            self.tell(CallState.CLOSED, hours=message.hours, reason=message.reason)
            await self._finish(EndReason.CLOSED)
        elif isinstance(message, Answered):
            self.agent, self.ice_servers = message.agent, list(message.ice_servers)
            if self.answered_mono is None:
                self.answered_mono = time.monotonic()
            self.tell(CallState.ANSWERED, agent=self.agent)
            await self._negotiate()
        elif isinstance(message, RelayedAnswer):
            if self.pc is not None and message.attempt == self.attempt:
                await self.pc.setRemoteDescription(
                    RTCSessionDescription(sdp=message.sdp, type="answer")
                )
        elif isinstance(message, Ended):
            self.tell(CallState.ENDED, reason=message.reason)
            await self._finish(message.reason)
        elif isinstance(message, Push):
            try:
                self.listener.pushed(message)
            except Exception:
                log.exception("a push from staff failed")
                await self.send(PushDone(call_id=self.call_id, push_id=message.push_id, ok=False))
        elif isinstance(message, SocketError):
            log.warning("call %s: the center said %s", self.call_id[:8], message.code)

    async def hang_up(self, reason: EndReason) -> None:
        if self.ended:
            return
        await self.send(KioskHangUp(call_id=self.call_id, reason=reason))
        self.tell(CallState.ENDED, reason=reason)
        await self._finish(reason)

    async def _finish(self, outcome: str) -> None:
        if self.ended:
            return
        self.ended = True
        if self._drop_timer is not None:
            self._drop_timer.cancel()
        for task in list(self.tasks):
            task.cancel()
        await self._close_pc()
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await self.socket.close()
        # What the call left in reference cycles is freed now, not at some later full
        # collection: on the link's thread, between calls, where nobody waits on it. Then
        # the memory its encoders' threads freed goes back to the system.
        gc.collect()
        _give_back_freed_memory()
        now = time.monotonic()
        answered = self.answered_mono
        record = CallRecord(
            call_id=self.call_id,
            started_at=self.started,
            outcome=outcome,
            agent=self.agent,
            waited_s=round((answered or now) - self.started_mono, 1),
            talked_s=round(now - answered, 1) if answered is not None else 0.0,
        )
        if self.link._record is not None:
            try:
                await asyncio.get_running_loop().run_in_executor(None, self.link._record, record)
            except Exception:
                log.exception("the call's record was not kept")

    # -- media ---------------------------------------------------------------------------

    async def _negotiate(self) -> None:
        """A new peer connection and its offer: the first, or after the link dropped."""
        if self.ended:
            return
        if self.attempt >= MAX_ATTEMPTS:
            await self.hang_up(EndReason.LINK_LOST)
            return
        await self._close_pc()
        self.attempt += 1
        self.link.stats.attempts += 1
        servers = [
            RTCIceServer(urls=s.urls, username=s.username, credential=s.credential)
            for s in self.ice_servers
        ]
        # An empty list, not None: aiortc would fall back to a public STUN server. One transport
        # for every track: with aiortc's default ("balanced") a second video track stays on a
        # transport that bundling has stopped, and the screen would never reach staff.
        pc = RTCPeerConnection(
            RTCConfiguration(iceServers=servers, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        )
        self.pc = pc
        link = self.link
        settings = link._settings
        microphone = _microphone(settings.microphone)
        if microphone is not None:
            pc.addTrack(microphone)
        else:
            pc.addTransceiver("audio", direction="recvonly")
        # In this order: staff's page tells the camera from the screen by it.
        camera, screen = CameraTrack(link._camera), ScreenTrack(link._screen)
        for track in (camera, screen):
            pc.addTrack(track)
        for transceiver in pc.getTransceivers():
            if transceiver.kind == "video":
                transceiver.setCodecPreferences(_video_codecs())
        attempt = self.attempt

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            taking = self._take_video if track.kind == "video" else self._take_audio
            self._spawn(taking(track))

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            if pc is not self.pc or self.ended:
                return
            state = pc.connectionState
            if state == "connected":
                if self._drop_timer is not None:
                    self._drop_timer.cancel()
                    self._drop_timer = None
                self.tell(CallState.TALKING, agent=self.agent)
            elif state in ("disconnected", "failed", "closed"):
                # "closed" here is the other side's doing (ours drops the connection first):
                # staff's browser lost its connection. The call goes on over a new one.
                log.info("call %s: media %s, attempt %d", self.call_id[:8], state, attempt)
                self._link_dropped(attempt, at_once=state != "disconnected")

        await pc.setLocalDescription(await pc.createOffer())
        local = pc.localDescription
        await self.send(KioskOffer(call_id=self.call_id, sdp=local.sdp, attempt=attempt))

    def _link_dropped(self, attempt: int, at_once: bool) -> None:
        if self._drop_timer is not None and not at_once:
            return
        self.tell(CallState.RECONNECTING, agent=self.agent)
        loop = asyncio.get_running_loop()

        def again() -> None:
            self._drop_timer = None
            if not self.ended and attempt == self.attempt:
                self._spawn(self._negotiate())

        if self._drop_timer is not None:
            self._drop_timer.cancel()
        self._drop_timer = loop.call_later(0 if at_once else RECONNECT_AFTER_S, again)

    def _spawn(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(job)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _take_video(self, track: MediaStreamTrack) -> None:
        stats, last = self.link.stats, 0.0
        with contextlib.suppress(MediaStreamError, asyncio.CancelledError):
            while True:
                frame = await track.recv()
                stats.staff_frames += 1
                now = time.monotonic()
                if now - last >= PICTURE_EVERY_S:
                    last = now
                    self.listener.staff_picture(_fitted(frame, self.link._fit))

    async def _take_audio(self, track: MediaStreamTrack) -> None:
        stats = self.link.stats
        speaker = _speaker(self.link._settings.speaker)
        try:
            if speaker is not None:
                speaker.addTrack(_Counting(track, stats))
                await speaker.start()
                await asyncio.Event().wait()  # until the call's tasks are cancelled
            else:
                with contextlib.suppress(MediaStreamError):
                    while True:
                        await track.recv()
                        stats.audio_frames += 1
        except asyncio.CancelledError:
            pass
        finally:
            if speaker is not None:
                with contextlib.suppress(Exception):
                    await speaker.stop()

    async def _close_pc(self) -> None:
        pc, self.pc = self.pc, None
        if pc is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pc.close(), 5)
            # Its handlers close over it: a cycle that held a connection's encoders and buffers
            # (megabytes) until a full collection, so memory grew call after call.
            pc.remove_all_listeners()


def _give_back_freed_memory() -> None:
    """glibc keeps what threads freed in their arenas; each call's encoder threads would leave
    their share behind (resident memory grew ~3 MiB a call for the first fifteen)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return  # not glibc: nothing to ask
    libc.malloc_trim(0)


def _video_codecs() -> list[RTCRtpCodecCapability]:
    """VP8 first, H.264 for a browser without it. H.264 encodes the camera for less (4.9
    against 7.7 ms a frame here), but libx264 starts threads of its own for each call, and the
    kiosk's resident memory crept up call after call (some 0.5 MiB each); with VP8 it stays
    flat, and a call is still under a third of one core."""
    codecs = RTCRtpSender.getCapabilities("video").codecs
    rank = {"video/VP8": 0, "video/H264": 1}
    wanted = [c for c in codecs if c.mimeType in rank]
    wanted.sort(key=lambda c: rank[c.mimeType])
    return wanted + [c for c in codecs if c.mimeType == "video/rtx"]


def _fitted(frame: Any, fit: tuple[int, int]) -> NDArray[np.uint8]:
    """`frame` scaled by FFmpeg's scaler to fit `fit` (a third of what scaling the picture
    afterwards cost, and off the UI thread), in the screen's own pixel layout (BGRA in memory:
    Qt's RGB32), so that drawing it converts nothing."""
    width, height = fit
    if width <= 0 or height <= 0:
        width, height = frame.width, frame.height
    scale = min(width / frame.width, height / frame.height)
    size = max(2, round(frame.width * scale) // 2 * 2), max(2, round(frame.height * scale) // 2 * 2)
    return frame.reformat(
        width=size[0], height=size[1], format="bgra", interpolation="FAST_BILINEAR"
    ).to_ndarray()


class _Counting(MediaStreamTrack):
    """Passes an audio track on to the speaker, counting its frames."""

    kind = "audio"

    def __init__(self, track: MediaStreamTrack, stats: LinkStats) -> None:
        super().__init__()
        self._track, self._stats = track, stats

    async def recv(self) -> Any:
        frame = await self._track.recv()
        self._stats.audio_frames += 1
        return frame


def _microphone(name: str) -> MediaStreamTrack | None:
    if name == "tone":
        return ToneTrack()
    if name.startswith("alsa:"):
        from aiortc.contrib.media import MediaPlayer

        try:
            player = MediaPlayer(name[5:], format="alsa", options={"channels": "1"})
        except Exception as error:  # av raises its own errors for a missing device
            log.warning("the microphone %s could not be opened: %s", name, error)
            return None
        return player.audio
    return None


def _speaker(name: str) -> Any:
    if not name.startswith("alsa:"):
        return None
    from aiortc.contrib.media import MediaRecorder

    try:
        return MediaRecorder(name[5:], format="alsa")
    except Exception as error:
        log.warning("the speaker %s could not be opened: %s", name, error)
        return None
