"""A member of staff answering video calls, in Python: signs in to the staff console over HTTP,
holds the staff socket (sync.protocol.calls) and answers the kiosk's offers with an aiortc peer
that sends a test picture and a tone and counts what arrives, the kiosk's camera and screen
told apart by their order in the offer, as the console's page does.

For tests and benchmarks that need many calls without a browser; the console's page itself is
driven in Chromium by tests/e2e.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import av
import numpy as np
import requests
from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from PySide6.QtCore import QThread
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from kiosk.video.tracks import CALL_FPS, PacedVideoTrack, ToneTrack
from sync.protocol.calls import STAFF_SOCKET_PATH


@dataclass
class Received:
    camera_frames: int = 0
    screen_frames: int = 0
    audio_frames: int = 0
    screen_sizes: set[tuple[int, int]] = field(default_factory=set)
    connected_at: float | None = None
    first_camera_at: float | None = None


def sign_in(center_url: str, login: str, password: str) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{center_url}/staff/login", timeout=10)
    found = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert found, form.text[:300]
    answer = browser.post(
        f"{center_url}/staff/login",
        data={"login": login, "password": password, "csrf": found.group(1)},
        timeout=30,
        allow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]
    return browser


class StaffCamera(PacedVideoTrack):
    """An agent's camera as the console asks the browser for it: 640x480 at 15 a second, a
    moving picture (so the encoder has work, as with a face)."""

    def __init__(self) -> None:
        super().__init__(CALL_FPS)
        row = np.linspace(0, 255, 640, dtype=np.float32).astype(np.uint8)
        self._picture = np.tile(row, (480, 1))

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        picture = np.roll(self._picture, self.sent * 8, axis=1)
        frame = av.VideoFrame.from_ndarray(picture, format="gray")
        frame.pts, frame.time_base = pts, time_base
        return frame


def _pump_qt() -> bool:
    """Let Qt handle what waits, when called on the thread of a running QApplication."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if app is None or app.thread() is not QThread.currentThread():
        return False
    QCoreApplication.processEvents()
    return True


class StaffPeer:
    """One agent's browser, without the browser. Every method returns at once or waits with
    a timeout; the socket and the peer connection live on the peer's own loop."""

    def __init__(
        self, center_url: str, browser: requests.Session, *, auto_take: bool = False
    ) -> None:
        self.center_url = center_url.rstrip("/")
        self.browser = browser
        self.auto_take = auto_take  # take every call that waits (benchmarks)
        self._asked: set[str] = set()
        self.messages: list[dict[str, Any]] = []
        self.received = Received()
        self.answers = 0
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._socket: ClientConnection | None = None
        self._pc: RTCPeerConnection | None = None
        self._ice: list[Any] = []
        self._reader: asyncio.Future[None] | None = None
        self._counting: set[asyncio.Future[None]] = set()

    # -- from the test's thread ------------------------------------------------------------

    def connect(self) -> None:
        self._run(self._connect())

    def take(self, call_id: str) -> None:
        self.send({"type": "take", "call_id": call_id})

    def hang_up(self, call_id: str) -> None:
        self.send({"type": "hang_up", "call_id": call_id})

    def push(self, call_id: str, kind: str, *, screen: str = "", text: str = "") -> None:
        self.send(
            {"type": "push", "call_id": call_id, "kind": kind, "screen": screen, "text": text}
        )

    def send(self, message: dict[str, Any]) -> None:
        self._run(self._send(message))

    def wait_for(
        self, test: Callable[[dict[str, Any]], bool], timeout: float = 10.0
    ) -> dict[str, Any]:
        """The first message (seen so far or to come) that passes `test`. On the Qt thread of
        a test, Qt keeps running meanwhile: the kiosk's window answers what staff ask."""
        deadline = time.monotonic() + timeout
        while True:
            with self._changed:
                found = next((m for m in self.messages if test(m)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(m["type"], m.get("ok"), m.get("code")) for m in self.messages]
                    raise TimeoutError(f"no such message within {timeout} s: {seen}")
                if not _pump_qt():
                    self._changed.wait(min(left, 0.05))
            if threading.current_thread() is threading.main_thread():
                time.sleep(0.005)

    def waiting_call(self, timeout: float = 10.0) -> str:
        """The id of the first call waiting in the queue."""
        queue = self.wait_for(
            lambda m: m["type"] == "queue" and any(not c.get("taken_by") for c in m["calls"]),
            timeout,
        )
        return next(c["call_id"] for c in queue["calls"] if not c.get("taken_by"))

    def wait_until(self, test: Callable[[Received], bool], timeout: float = 10.0) -> Received:
        deadline = time.monotonic() + timeout
        while not test(self.received):
            if time.monotonic() > deadline:
                raise TimeoutError(f"not within {timeout} s: {self.received}")
            _pump_qt()
            time.sleep(0.02)
        return self.received

    def end_media(self) -> None:
        """Close the peer connection but keep the socket (the call goes on: a new offer)."""
        self._run(self._close_pc())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._run(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _run(self, job: Any, timeout: float = 15.0) -> Any:
        return asyncio.run_coroutine_threadsafe(job, self._loop).result(timeout)

    # -- on the peer's loop ------------------------------------------------------------------

    async def _connect(self) -> None:
        parts = urlsplit(self.center_url)
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.browser.cookies)
        self._socket = await connect(
            f"ws://{parts.netloc}{STAFF_SOCKET_PATH}",
            additional_headers={"Cookie": cookie, "Origin": self.center_url},
            open_timeout=5,
            proxy=None,
        )
        self._reader = asyncio.ensure_future(self._read())

    async def _send(self, message: dict[str, Any]) -> None:
        assert self._socket is not None
        await self._socket.send(json.dumps(message))

    async def _read(self) -> None:
        assert self._socket is not None
        with contextlib.suppress(ConnectionClosed):
            async for raw in self._socket:
                message = json.loads(raw)
                if message["type"] == "taken":
                    self._ice = message.get("ice_servers", [])
                elif message["type"] == "offer":
                    await self._answer(message)
                elif message["type"] == "ended":
                    await self._close_pc()
                elif message["type"] == "queue" and self.auto_take:
                    for waiting in message["calls"]:
                        if not waiting.get("taken_by") and waiting["call_id"] not in self._asked:
                            self._asked.add(waiting["call_id"])
                            await self._send({"type": "take", "call_id": waiting["call_id"]})
                with self._changed:
                    self.messages.append(message)
                    self._changed.notify_all()

    async def _answer(self, offer: dict[str, Any]) -> None:
        await self._close_pc()
        # One transport for all, as a browser bundles: aiortc's default leaves a second video
        # track on a transport that bundling stopped.
        pc = RTCPeerConnection(
            RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        )
        self._pc = pc
        pc.addTrack(ToneTrack())
        pc.addTrack(StaffCamera())
        received = self.received

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self._counting.add(asyncio.ensure_future(self._count(pc, track)))

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            if pc.connectionState == "connected" and received.connected_at is None:
                received.connected_at = time.monotonic()

        await pc.setRemoteDescription(RTCSessionDescription(offer["sdp"], "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        await self._send(
            {
                "type": "answer",
                "call_id": offer["call_id"],
                "sdp": pc.localDescription.sdp,
                "attempt": offer["attempt"],
            }
        )
        self.answers += 1

    async def _count(self, pc: RTCPeerConnection, track: MediaStreamTrack) -> None:
        received = self.received
        if track.kind == "audio":
            kind = "audio"
        else:
            # The kiosk's offer: audio, then its camera, then its screen.
            videos = [t for t in pc.getTransceivers() if t.kind == "video"]
            kind = "camera" if videos and videos[0].receiver.track is track else "screen"
        with contextlib.suppress(MediaStreamError, asyncio.CancelledError):
            while True:
                frame = await track.recv()
                if kind == "audio":
                    received.audio_frames += 1
                elif kind == "camera":
                    received.camera_frames += 1
                    if received.first_camera_at is None:
                        received.first_camera_at = time.monotonic()
                else:
                    received.screen_frames += 1
                    received.screen_sizes.add((frame.width, frame.height))  # type: ignore[union-attr]

    async def _close_pc(self) -> None:
        pc, self._pc = self._pc, None
        if pc is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pc.close(), 5)

    async def _close(self) -> None:
        await self._close_pc()
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            self._reader.cancel()
