"""Decode as a cascade: the fast decoder first, and only for a frame it read nothing on, the
next stage, while the frame's time budget lasts.

A phone held up to the camera is tilted, dim or washed out, and its screen's pixel grid beats
against the camera's (moiré). zxing-cpp reads most such frames in a few milliseconds; a frame
it misses is tried on a smoothed copy (which melts the screen's grid and the camera's noise),
then on a thresholded copy (dim, low-contrast screens), then on the frame's largest
quadrilaterals (a phone's screen, its bezel) warped flat at twice their size (a phone tilted
far, its code small or blurred), then with zbar, whose scan lines read some of what is left,
then on a copy twice the size (small codes). A stage starts only if its usual cost still fits
in the budget: a frame that would overrun it is left to the next frame, which the camera
sends anyway.

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
import numpy as np

from drivers.camera.sources import pixels
from drivers.scanner.decoders import Decoder, PyzbarDecoder, ZxingDecoder

if TYPE_CHECKING:
    from numpy.typing import NDArray

FRAME_BUDGET_S = 1 / 30  # the camera's 30 frames per second on one core
_COST_WEIGHT = 0.1  # how fast a stage's usual cost follows its recent ones
_SMALLEST_SCREEN = 1 / 80  # of the frame's area: a smaller outline is not a phone held up
_FILLED = 1.1  # a quadrilateral's hull at most this much larger than its four corners
_FLATTENED_SCALE = 2.0  # a flattened code's size, of its outline's in the frame
_FLATTENED_SIDE = 1024  # pixels at most, so a large outline does not cost a large warp


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


def _corners_in_turn(quad: NDArray[np.float32]) -> NDArray[np.float32]:
    """The four corners in turn around their middle, the way the flat square's are listed (a
    warp between the two orders never mirrors the code, which a QR reader would not read)."""
    middle = quad.mean(axis=0)
    return quad[np.argsort(np.arctan2(quad[:, 1] - middle[1], quad[:, 0] - middle[0]))]


def quadrilaterals(image: NDArray[np.uint8], most: int) -> list[NDArray[np.float32]]:
    """The largest four-cornered outlines in the frame, largest first: a phone's screen against
    its dark bezel, or the bezel against the room. Edges of a smoothed copy (no screen grid,
    no noise), thickened so a corner's edge stays one outline, each outline's hull cut to its
    four strongest corners; one of two nearly the same outline is kept."""
    # Low edge thresholds: a dim screen (a third of the grey range) still stands out from the
    # bezel, which is darker than any screen.
    edges = cv2.Canny(cv2.GaussianBlur(image, (0, 0), 1.5), 20, 60)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    outlines, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    smallest = image.shape[0] * image.shape[1] * _SMALLEST_SCREEN
    found: list[tuple[float, NDArray[np.float32]]] = []
    for outline in outlines:
        if cv2.contourArea(outline) < smallest:
            continue
        hull = cv2.convexHull(outline)
        # Corners within 4 % of the outline's length: a rounded corner or a finger on the
        # edge does not add one.
        corners = cv2.approxPolyDP(hull, 0.04 * cv2.arcLength(hull, True), True)
        area = cv2.contourArea(corners)
        # Four corners, and the hull no larger than they are: a real quadrilateral, not an
        # oval or a blob cut down to four points.
        if (
            len(corners) == 4
            and cv2.isContourConvex(corners)
            and cv2.contourArea(hull) < _FILLED * area
        ):
            found.append((area, corners.reshape(4, 2).astype(np.float32)))
    kept: list[tuple[float, NDArray[np.float32]]] = []
    for area, quad in sorted(found, key=lambda pair: -pair[0]):
        # The thickened edge's inner and outer sides are the same outline twice: as large
        # (within a tenth) and centred within a few pixels. The bezel is a quarter larger.
        if not any(
            area > 0.9 * other and np.abs(quad.mean(0) - twin.mean(0)).max() < 8
            for other, twin in kept
        ):
            kept.append((area, quad))
    return [_corners_in_turn(quad) for _, quad in kept[:most]]


def flattened(image: NDArray[np.uint8], quad: NDArray[np.float32]) -> NDArray[np.uint8]:
    """The quadrilateral ``quad`` warped to a flat rectangle at twice its size: a tilted code's
    squeezed far side gets back its modules' width, and the near side as much again."""
    sides = np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1)
    width = min(int(_FLATTENED_SCALE * max(sides[0], sides[2])), _FLATTENED_SIDE)
    height = min(int(_FLATTENED_SCALE * max(sides[1], sides[3])), _FLATTENED_SIDE)
    flat = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    warp = cv2.getPerspectiveTransform(quad, flat)
    return pixels(
        cv2.warpPerspective(
            image, warp, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
        )
    )


class Rectified:
    """zxing-cpp on the frame's two largest quadrilaterals warped flat, then on the largest one
    thresholded: a phone tilted far, its code small and blurred, whose finder patterns the
    frame-wide stages do not find or whose far modules are too thin to sample. The screen and
    its bezel are the two largest outlines on a phone; a third one read nothing more in our
    measurements and cost as much again."""

    name = "zxing rectified"

    def __init__(self, decoder: Decoder) -> None:
        self._decoder = decoder

    def decode(self, image: NDArray[np.uint8]) -> list[str]:
        # The plain warps first (cheaper, and they read most), the threshold last: it reads a
        # dim or glared screen's code, and the largest outline holds the code whichever it is.
        flats: list[NDArray[np.uint8]] = []
        for quad in quadrilaterals(image, most=2):
            flats.append(flattened(image, quad))
            if texts := self._read(flats[-1]):
                return texts
        return self._read(thresholded(flats[0])) if flats else []

    def _read(self, flat: NDArray[np.uint8]) -> list[str]:
        # A barcode warped flat is often read on two lines: one text, once.
        return list(dict.fromkeys(self._decoder.decode(flat)))


def kiosk_stages() -> list[Decoder]:
    zxing = ZxingDecoder(kiosk_codes_only=True)
    return [
        zxing,
        Enhanced("zxing smoothed", zxing, smoothed),
        Enhanced("zxing thresholded", zxing, thresholded),
        # Before zbar: it reads nearly all that zbar and the enlarged frame read, and more,
        # and leaves zbar the time to read the rest.
        Rectified(zxing),
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
