"""Decode as a cascade: the fast decoder first, and only for a frame it read nothing on, the
next stage, while the frame's time budget lasts.

A phone held up to the camera is tilted, dim or washed out, and its screen's pixel grid beats
against the camera's (moiré). zxing-cpp reads most such frames in a few milliseconds; a frame
it misses is tried on a smoothed copy (which melts the screen's grid and the camera's noise),
then on a thresholded copy (dim, low-contrast screens), then with zbar, whose scan lines read
some of what is left, then on a copy twice the size (small codes). A stage starts only if its
usual cost still fits in the budget: a frame that would overrun it is left to the next frame,
which the camera sends anyway.

Every stage checks its code's own error detection (Reed-Solomon for QR, the check symbol for
Code 128), and all stages look for the kiosk's kinds of code only, so trying harder does not
read a code that is not there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2

from drivers.camera.sources import pixels
from drivers.scanner.decoders import Decoder, PyzbarDecoder, ZxingDecoder

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

FRAME_BUDGET_S = 1 / 30  # the camera's 30 frames per second on one core
_COST_WEIGHT = 0.1  # how fast a stage's usual cost follows its recent ones


@dataclass(frozen=True)
class Reading:
    texts: list[str]
    stage: str | None  # the stage that read them; None when nothing was read
    skipped: int = 0  # stages left out because the budget was spent


class Enhanced:
    """A decoder reading a changed copy of the frame."""

    def __init__(
        self,
        name: str,
        decoder: Decoder,
        change: Callable[[NDArray[np.uint8]], NDArray[np.uint8]],
    ) -> None:
        self.name, self._decoder, self._change = name, decoder, change

    def decode(self, image: NDArray[np.uint8]) -> list[str]:
        return self._decoder.decode(self._change(image))


def smoothed(image: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Blurred by about one pixel: a screen's pixel grid and sensor noise melt away, a code's
    modules (two pixels and more) stay."""
    return pixels(cv2.GaussianBlur(image, (0, 0), 1.0))


def thresholded(image: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Smoothed, then black and white against each pixel's neighbourhood: a dim, low-contrast
    or unevenly lit screen becomes a clean code (smoothing first, or noise becomes specks)."""
    return pixels(
        cv2.adaptiveThreshold(
            smoothed(image), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 5
        )
    )


def enlarged(image: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Twice the size, smoothly: a small or far-tilted code's modules of two pixels or less
    become wide enough to sample."""
    return pixels(cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))


def kiosk_stages() -> list[Decoder]:
    zxing = ZxingDecoder(kiosk_codes_only=True)
    return [
        zxing,
        Enhanced("zxing smoothed", zxing, smoothed),
        Enhanced("zxing thresholded", zxing, thresholded),
        PyzbarDecoder(kiosk_codes_only=True),  # the slowest: what is left, if time is left
        Enhanced("zxing enlarged", zxing, enlarged),
    ]


class CascadeDecoder:
    name = "cascade"

    def __init__(
        self, stages: Sequence[Decoder] | None = None, budget_s: float | None = FRAME_BUDGET_S
    ) -> None:
        """``budget_s`` None: every stage on every frame (a still image, a test)."""
        self.stages = list(stages) if stages is not None else kiosk_stages()
        self.budget_s = budget_s
        self._usual_cost = [0.0] * len(self.stages)

    def read(self, image: NDArray[np.uint8]) -> Reading:
        started = time.perf_counter()
        for index, stage in enumerate(self.stages):
            spent = time.perf_counter() - started
            if (
                index
                and self.budget_s is not None
                and spent + self._usual_cost[index] > (self.budget_s)
            ):
                return Reading([], None, skipped=len(self.stages) - index)
            texts = stage.decode(image)
            cost = time.perf_counter() - started - spent
            usual = self._usual_cost[index]
            self._usual_cost[index] = cost if not usual else usual + _COST_WEIGHT * (cost - usual)
            if texts:
                return Reading(texts, stage.name)
        return Reading([], None)

    def decode(self, image: NDArray[np.uint8]) -> list[str]:
        return self.read(image).texts
