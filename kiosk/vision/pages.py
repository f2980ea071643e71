"""A document page photographed by the camera: found, straightened, cropped, judged, compressed.

The page is the largest four-sided outline in the picture: edges of a lightly blurred grey
picture (Canny at thresholds from its median), closed, their outer contours simplified to
polygons; one with four corners covering a fair part of the picture is the page. Its corners,
ordered top-left, top-right, bottom-right, bottom-left, are warped to an upright rectangle with
the page's own proportions. Then it is judged: sharp enough (variance of the second derivative
in its weaker direction, on the page resized to a fixed width), lit enough, not washed out. A
white page on a white desk may have no edge to find: that is refused with a reason, never
guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import cast

import cv2
import numpy as np
from numpy.typing import NDArray

Picture = NDArray[np.uint8]


def pixels(image: object) -> Picture:
    """An 8-bit picture from OpenCV, whose type hints say only "some array"."""
    return cast("Picture", image)


def to_grey(image: Picture) -> Picture:
    return image if image.ndim == 2 else pixels(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))


JUDGED_WIDTH = 800  # the page is judged at this width, whatever the camera's resolution
# Variance of the second derivative, the weaker direction, at JUDGED_WIDTH: blurred pages of
# tests/support/page_corpus.py score under 60, sharp ones over 1,500.
MIN_SHARPNESS = 300.0
MIN_BRIGHTNESS = 70.0
MAX_GLARE = 0.12  # share of the page burnt to white
MIN_AREA = 0.15  # of the picture: anything smaller is not the page held to the camera


class PageProblem(StrEnum):
    """Why a picture is refused, in the resident's words (the screens translate them)."""

    NO_PAGE = "No page found. Lay the page flat inside the frame, on the dark mat."
    BLURRED = "The picture is blurred. Hold still and try again."
    DARK = "Too dark. Move the page into the light."
    GLARE = "Too much glare. Tilt the page away from the light."


@dataclass(frozen=True)
class PageLook:
    corners: tuple[tuple[float, float], ...] | None  # TL, TR, BR, BL in picture pixels
    page: NDArray[np.uint8] | None  # straightened and cropped, colour kept
    sharpness: float
    brightness: float
    problem: PageProblem | None

    @property
    def accepted(self) -> bool:
        return self.problem is None and self.page is not None


def look_at_page(image: NDArray[np.uint8]) -> PageLook:
    """Find, straighten and judge the page in a camera picture (BGR or grey)."""
    grey = to_grey(image)
    corners = find_corners(grey)
    if corners is None:
        return PageLook(None, None, 0.0, float(grey.mean()), PageProblem.NO_PAGE)
    page = straighten(image, corners)
    sharpness, brightness, glare = judge(page)
    problem = None
    if brightness < MIN_BRIGHTNESS:
        problem = PageProblem.DARK
    elif glare > MAX_GLARE:
        problem = PageProblem.GLARE
    elif sharpness < MIN_SHARPNESS:
        problem = PageProblem.BLURRED
    as_tuples = tuple((float(x), float(y)) for x, y in corners)
    return PageLook(as_tuples, page, sharpness, brightness, problem)


def find_corners(grey: NDArray[np.uint8]) -> NDArray[np.float32] | None:
    """The page's four corners (TL, TR, BR, BL), or None when no page outline is there."""
    scale = 640 / max(grey.shape)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    median = float(np.median(blurred))
    # Sharp edges first; then softer ones, so a shaken picture is found and told blurred.
    for low, high in ((0.5, 1.2), (0.2, 0.5)):
        edges = cv2.Canny(blurred, max(5, low * median), max(15, high * median))
        polygon = _page_outline(pixels(cv2.dilate(edges, np.ones((3, 3), np.uint8))))
        if polygon is not None:
            return _refined(grey, order_corners(polygon / scale))
    return None


def _page_outline(edges: NDArray[np.uint8]) -> NDArray[np.float32] | None:
    """The largest four-cornered outline covering a fair part of the picture."""
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    area_needed = MIN_AREA * edges.shape[0] * edges.shape[1]
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        if cv2.contourArea(contour) < area_needed:
            break
        hull = cv2.convexHull(contour)
        perimeter = cv2.arcLength(hull, True)
        for tolerance in (0.02, 0.03, 0.04):
            polygon = cv2.approxPolyDP(hull, tolerance * perimeter, True)
            if len(polygon) == 4:
                return polygon.reshape(4, 2).astype(np.float32)
    return None


def _refined(grey: NDArray[np.uint8], corners: NDArray[np.float32]) -> NDArray[np.float32]:
    """Each corner moved onto the page's own corner at full resolution (the dilated edges of the
    small picture sit a pixel or two outside it)."""
    size = max(3, int(max(grey.shape) / 320))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 30, 0.05)
    refined = corners.reshape(-1, 1, 2).copy()
    cv2.cornerSubPix(grey, refined, (size, size), (-1, -1), criteria)
    moved = np.linalg.norm(refined.reshape(4, 2) - corners, axis=1)
    # A corner that wandered to some text is kept where the outline put it.
    return np.where((moved < 2 * size)[:, None], refined.reshape(4, 2), corners).astype(np.float32)


def order_corners(points: NDArray[np.float32]) -> NDArray[np.float32]:
    """Top-left, top-right, bottom-right, bottom-left, whatever order they were found in."""
    total = points.sum(axis=1)
    difference = np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[np.argmin(total)],
            points[np.argmin(difference)],
            points[np.argmax(total)],
            points[np.argmax(difference)],
        ],
        dtype=np.float32,
    )


def straighten(image: NDArray[np.uint8], corners: NDArray[np.float32]) -> NDArray[np.uint8]:
    """The page warped upright, as wide and tall as its edges are long."""
    tl, tr, br, bl = corners
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32
    )
    warp = cv2.getPerspectiveTransform(corners, target)
    return pixels(cv2.warpPerspective(image, warp, (max(width, 1), max(height, 1))))


def judge(page: NDArray[np.uint8]) -> tuple[float, float, float]:
    """(sharpness, brightness, share burnt to white) of a straightened page."""
    grey = to_grey(page)
    scale = JUDGED_WIDTH / grey.shape[1]
    resized = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    # The weaker of the two directions: a shaken picture is sharp across its smear, blurred along.
    along_x = cv2.Sobel(resized, cv2.CV_64F, 2, 0, ksize=3).var()
    along_y = cv2.Sobel(resized, cv2.CV_64F, 0, 2, ksize=3).var()
    sharpness = float(min(along_x, along_y))
    return sharpness, float(resized.mean()), float((resized >= 253).mean())


def page_jpeg(page: NDArray[np.uint8], *, long_side: int = 1600, quality: int = 75) -> bytes:
    """The page as the center gets it: at most `long_side` pixels, JPEG."""
    scale = min(1.0, long_side / max(page.shape[:2]))
    if scale < 1.0:
        page = pixels(cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the page could not be compressed")
    return data.tobytes()
