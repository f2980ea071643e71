"""What the kiosk sends on a call: the camera, its own screen, the microphone.

Each track is made afresh for every connection of a call (a reconnection is a new negotiation)
and reads from a source that lives as long as the kiosk: the camera's capture thread (the one
owner of the device), the newest picture of the screen, the microphone.
"""

from __future__ import annotations

import asyncio
import fractions
import math
import time
from typing import TYPE_CHECKING

import av
import numpy as np
from aiortc.mediastreams import (
    AUDIO_PTIME,
    VIDEO_CLOCK_RATE,
    VIDEO_TIME_BASE,
    AudioStreamTrack,
    MediaStreamError,
    VideoStreamTrack,
)

if TYPE_CHECKING:
    from drivers.contracts import Camera
    from kiosk.video.pictures import LatestPicture

CALL_WIDTH, CALL_HEIGHT = 640, 480
CALL_FPS = 15.0
SCREEN_FPS = 3.0


class PacedVideoTrack(VideoStreamTrack):
    """A video track at `fps` (aiortc's own pacing is fixed at 30 a second: twice the encoding
    this kiosk can afford for a picture that is not worth it)."""

    def __init__(self, fps: float) -> None:
        super().__init__()
        self._step = int(VIDEO_CLOCK_RATE / fps)
        self._first: float | None = None
        self._pts = 0
        self.sent = 0

    async def next_timestamp(self) -> tuple[int, fractions.Fraction]:
        if self.readyState != "live":
            raise MediaStreamError
        if self._first is None:
            self._first = time.time()
        else:
            self._pts += self._step
            wait = self._first + self._pts / VIDEO_CLOCK_RATE - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        self.sent += 1
        return self._pts, VIDEO_TIME_BASE


def _blank(width: int, height: int) -> av.VideoFrame:
    # A dark grey picture: "no picture yet" rather than a black that looks like a fault.
    image = np.full((height, width), 40, dtype=np.uint8)
    return av.VideoFrame.from_ndarray(image, format="gray")


class CameraTrack(PacedVideoTrack):
    """The resident, from the camera's newest frame (in colour when the camera gives it), at
    the track's own pace; a dark picture while the camera has none."""

    def __init__(self, camera: Camera | None, fps: float = CALL_FPS) -> None:
        super().__init__(fps)
        self._camera = camera

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = self._camera.latest() if self._camera is not None else None
        if frame is None:
            video = _blank(CALL_WIDTH, CALL_HEIGHT)
        elif frame.colour is not None:
            video = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame.colour), format="bgr24")
        else:
            video = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame.image), format="gray")
        video.pts, video.time_base = pts, time_base
        return video


class ScreenTrack(PacedVideoTrack):
    """What the resident sees on the kiosk, so staff see it too (a few pictures a second are
    put by the UI thread; each is sent until the next)."""

    def __init__(self, screen: LatestPicture, fps: float = SCREEN_FPS) -> None:
        super().__init__(fps)
        self._screen = screen

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        picture = self._screen.get()
        if picture is None:
            video = _blank(CALL_WIDTH, CALL_WIDTH * 9 // 16)
        else:
            video = av.VideoFrame.from_ndarray(picture, format="rgb24")
        video.pts, video.time_base = pts, time_base
        return video


class ToneTrack(AudioStreamTrack):
    """A quiet 440 Hz tone, 48 kHz mono: the demo kiosk's microphone, so that staff hear that
    audio flows end to end without a sound card."""

    rate = 48_000

    def __init__(self) -> None:
        super().__init__()
        self._began: float | None = None
        self._samples = 0

    async def recv(self) -> av.AudioFrame:
        # Paced like aiortc's own silent track: one 20 ms frame per 20 ms of wall time.
        samples = int(AUDIO_PTIME * self.rate)
        if self._began is None:
            self._began = time.time()
        else:
            wait = self._began + (self._samples / self.rate) - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        t = (np.arange(samples) + self._samples) / self.rate
        wave = (0.1 * 32767 * np.sin(2 * math.pi * 440 * t)).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(wave.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.rate
        frame.pts = self._samples
        frame.time_base = fractions.Fraction(1, self.rate)
        self._samples += samples
        return frame
