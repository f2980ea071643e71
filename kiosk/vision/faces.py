"""The resident's face at the real-name check: is there one, only one, in the middle and near
enough, and are its eyes open or shut.

OpenCV's bundled Haar cascades do the finding (the frontal face, then the eyes inside its upper
half); they ship in the wheel, so nothing is downloaded. The face is looked for on the picture
shrunk to LOOKED_AT_WIDTH (a few milliseconds), the eyes on the face's upper band at a fixed
width, so a near face and a far one are judged alike. This is one signal only: the active check
(kiosk/domain/liveness.py) watches the eyes close and open again, and the center's identity
service and its staff decide.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.vision.pages import pixels, to_grey

LOOKED_AT_WIDTH = 320
EYES_BAND_WIDTH = 160  # the face's upper band is looked at this wide for eyes
MIN_FACE_WIDTH = 0.15  # of the picture's width (some 100 pixels at 640): smaller is too far away
MAX_FACE_WIDTH = 0.60
OFF_CENTRE = 0.15  # how far (of the picture) the face's middle may be from the picture's

_cascades = threading.local()  # a cascade is not safe to share between threads


class FaceProblem(StrEnum):
    """Why the picture will not do yet, in the resident's words (the screens translate them)."""

    NO_FACE = "Look at the camera, with your face inside the oval."
    MORE_THAN_ONE = "Only one person in front of the camera, please."
    NOT_CENTRED = "Move so that your face is in the middle of the oval."
    TOO_FAR = "Come a little closer to the camera."
    TOO_CLOSE = "Move back a little from the camera."


class Eyes(StrEnum):
    OPEN = "open"  # an eye found on each side of the face
    SHUT = "shut"  # a face, and no eye in it
    UNSURE = "unsure"  # one eye, or no face to look in


@dataclass(frozen=True)
class FaceLook:
    faces: int
    box: tuple[int, int, int, int] | None  # x, y, width, height of the largest face, in pixels
    eyes: Eyes
    problem: FaceProblem | None
    centre: tuple[float, float] | None  # the face's middle, as shares of the picture
    width: float  # the face's width, as a share of the picture's

    @property
    def good(self) -> bool:
        return self.problem is None


def look_at_face(image: NDArray[np.uint8]) -> FaceLook:
    """Find and judge the face in a camera picture (BGR or grey)."""
    grey = to_grey(image)
    height, width = grey.shape
    scale = LOOKED_AT_WIDTH / width
    small = _evened(
        pixels(cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    )
    found = _cascade("haarcascade_frontalface_alt2.xml").detectMultiScale(
        small, scaleFactor=1.1, minNeighbors=5, minSize=(24, 24)
    )
    if len(found) == 0:
        return FaceLook(0, None, Eyes.UNSURE, FaceProblem.NO_FACE, None, 0.0)
    x, y, w, h = (int(v / scale) for v in max(found, key=lambda box: box[2] * box[3]))
    centre = ((x + w / 2) / width, (y + h / 2) / height)
    share = w / width
    eyes = _eyes(grey[y : y + h, x : x + w])
    problem = None
    if len(found) > 1:
        problem = FaceProblem.MORE_THAN_ONE
    elif share < MIN_FACE_WIDTH:
        problem = FaceProblem.TOO_FAR
    elif share > MAX_FACE_WIDTH:
        problem = FaceProblem.TOO_CLOSE
    elif abs(centre[0] - 0.5) > OFF_CENTRE or abs(centre[1] - 0.5) > OFF_CENTRE:
        problem = FaceProblem.NOT_CENTRED
    return FaceLook(len(found), (x, y, w, h), eyes, problem, centre, share)


def face_jpeg(
    image: NDArray[np.uint8], box: tuple[int, int, int, int], *, long_side: int = 480
) -> bytes:
    """The face and a margin around it (hair, chin, a little shoulder), as the identity service
    gets it: at most `long_side` pixels, JPEG."""
    x, y, w, h = box
    height, width = image.shape[:2]
    left, right = max(0, x - w // 2), min(width, x + w + w // 2)
    top, bottom = max(0, y - h // 2), min(height, y + h + h // 2)
    crop = image[top:bottom, left:right]
    scale = min(1.0, long_side / max(crop.shape[:2]))
    if scale < 1.0:
        crop = pixels(cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    ok, data = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ValueError("the face could not be compressed")
    return data.tobytes()


def _eyes(face: NDArray[np.uint8]) -> Eyes:
    """Open, shut or unsure, from the band of the face where eyes are (a fifth to three fifths
    down): an eye found each side of the middle is open."""
    h, w = face.shape
    band = face[h // 5 : h * 3 // 5, :]
    if band.size == 0:
        return Eyes.UNSURE
    scale = EYES_BAND_WIDTH / w
    band = _evened(pixels(cv2.resize(band, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)))
    found = _cascade("haarcascade_eye.xml").detectMultiScale(
        band, scaleFactor=1.1, minNeighbors=4, minSize=(16, 16), maxSize=(60, 60)
    )
    sides = {bool(ex + ew / 2 > EYES_BAND_WIDTH / 2) for ex, _ey, ew, _eh in found}
    if len(sides) == 2:
        return Eyes.OPEN
    return Eyes.SHUT if not sides else Eyes.UNSURE


def _evened(grey: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Contrast evened out tile by tile (CLAHE): a dark face before a bright wall, or light from
    one side, is found as well as an evenly lit one (a global histogram evening is not enough)."""
    clahe = _cascades.__dict__.get("clahe")
    if clahe is None:
        clahe = _cascades.clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    return pixels(clahe.apply(grey))


def _cascade(name: str) -> cv2.CascadeClassifier:
    loaded: dict[str, cv2.CascadeClassifier] = _cascades.__dict__.setdefault("by_name", {})
    if name not in loaded:
        cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)  # type: ignore[attr-defined]
        if cascade.empty():
            raise RuntimeError(f"OpenCV's {name} is missing: opencv-python-headless 4.x ships it")
        loaded[name] = cascade
    return loaded[name]
