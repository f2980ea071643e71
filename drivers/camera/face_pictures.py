"""Faces as the kiosk's camera films them at the real-name check, drawn, never photographed: what
the simulated camera shows in demo mode, and the tests' corpus.

A head and shoulders in front of a wall: shaded skin of several tones, hair, brows, eyes open
(white, iris, pupil) or shut (a lid line), nose and mouth. Each picture is filmed as a camera
would: light falling from one side, the head tilted a little, the sensor's noise, JPEG. Seeded,
so a failure is the same picture every run. A "resident" is a sequence of such frames: looking,
then closing the eyes for a moment, then looking again; a "photo held up" is one frame, still.

No real person's face is in the project: these drawings are what OpenCV's bundled Haar cascades
find as faces (frontal face, eyes), which is all the kiosk's check asks of a picture.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from drivers.camera.sources import pixels

WIDTH, HEIGHT = 640, 480
SKIN_TONES = ((140, 175, 215), (120, 160, 205), (105, 140, 190), (150, 185, 225))  # BGR
WALLS = ((150, 160, 170), (200, 200, 195), (120, 130, 110), (175, 165, 150))


@dataclass(frozen=True)
class Sitter:
    """One drawn person: where their face is and how it looks, fixed across their frames."""

    centre: tuple[float, float] = (0.5, 0.48)  # of the picture
    size: float = 1.0  # 1.0: a face some 190 pixels wide in a 640-wide picture
    skin: int = 0
    wall: int = 0
    tilt: float = 0.0  # degrees
    light: float = 0.0  # -1 (from the left) .. 1 (from the right)


def face_picture(
    sitter: Sitter = Sitter(),
    *,
    eyes_open: bool = True,
    others: tuple[Sitter, ...] = (),
    seed: int = 0,
) -> NDArray[np.uint8]:
    """One BGR frame of `sitter` (and of `others` beside them), filmed with noise and JPEG."""
    rng = random.Random(seed)
    picture = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    picture[:] = WALLS[sitter.wall % len(WALLS)]
    for person in (*others, sitter):
        _draw_person(picture, person, eyes_open=eyes_open if person is sitter else True)
    return _filmed(picture, sitter, rng)


def resident_blinking(
    sitter: Sitter = Sitter(), *, looking: int = 14, shut: int = 6, seed: int = 0
) -> list[NDArray[np.uint8]]:
    """A resident doing the check: `looking` frames eyes open, `shut` frames eyes closed
    (at 15 frames a second, some 0.4 s), then open again; played in a loop by the camera."""
    frames = [face_picture(sitter, seed=seed + i) for i in range(looking)]
    frames += [face_picture(sitter, eyes_open=False, seed=seed + 100 + i) for i in range(shut)]
    return frames


def _draw_person(picture: NDArray[np.uint8], sitter: Sitter, *, eyes_open: bool) -> None:
    s = sitter.size
    cx, cy = int(sitter.centre[0] * WIDTH), int(sitter.centre[1] * HEIGHT)
    skin = np.array(SKIN_TONES[sitter.skin % len(SKIN_TONES)], np.float32)
    # shoulders and neck
    cv2.ellipse(
        picture,
        (cx, int(cy + 230 * s)),
        (int(190 * s), int(110 * s)),
        0,
        180,
        360,
        (90, 70, 60),
        -1,
    )
    cv2.rectangle(
        picture,
        (int(cx - 40 * s), int(cy + 60 * s)),
        (int(cx + 40 * s), int(cy + 140 * s)),
        tuple(int(c * 0.85) for c in skin),
        -1,
    )
    # the face, shaded towards its edges
    fw, fh = int(95 * s), int(125 * s)
    x0, x1 = max(cx - fw, 0), min(cx + fw + 1, WIDTH)
    y0, y1 = max(cy - fh, 0), min(cy + fh + 1, HEIGHT)
    if x0 < x1 and y0 < y1:
        yy, xx = np.mgrid[y0:y1, x0:x1]
        distance = ((xx - cx) / fw) ** 2 + ((yy - cy) / fh) ** 2
        inside = distance <= 1.0
        shade = np.clip(1.0 - 0.45 * distance, 0, 1)[..., None] * skin
        region = picture[y0:y1, x0:x1]
        region[inside] = shade[inside].astype(np.uint8)
    # hair
    cv2.ellipse(
        picture, (cx, int(cy - 70 * s)), (int(100 * s), int(70 * s)), 0, 180, 360, (30, 30, 35), -1
    )
    eye_y = int(cy - 20 * s)
    for side in (-1, 1):
        x = cx + side * int(38 * s)
        socket = tuple(int(c * 0.76) for c in skin)
        cv2.ellipse(picture, (x, eye_y), (int(24 * s), int(14 * s)), 0, 0, 360, socket, -1)
        cv2.ellipse(
            picture,
            (x, int(eye_y - 20 * s)),
            (int(24 * s), int(7 * s)),
            0,
            180,
            360,
            (40, 40, 45),
            max(1, int(5 * s)),
        )
        if eyes_open:
            cv2.ellipse(
                picture, (x, eye_y), (int(16 * s), int(8 * s)), 0, 0, 360, (235, 235, 235), -1
            )
            cv2.circle(picture, (x, eye_y), int(7 * s), (40, 30, 25), -1)
            cv2.circle(picture, (x, eye_y), max(1, int(3 * s)), (5, 5, 5), -1)
        else:  # the lid, closed: skin with its lash line
            cv2.ellipse(
                picture,
                (x, eye_y),
                (int(16 * s), int(8 * s)),
                0,
                0,
                360,
                tuple(int(c * 0.9) for c in skin),
                -1,
            )
            cv2.ellipse(
                picture,
                (x, eye_y),
                (int(16 * s), int(5 * s)),
                0,
                0,
                180,
                (60, 80, 110),
                max(1, int(2 * s)),
            )
    nose = tuple(int(c * 0.8) for c in skin)
    cv2.line(
        picture,
        (cx, int(cy - 10 * s)),
        (cx - int(8 * s), int(cy + 30 * s)),
        nose,
        max(1, int(3 * s)),
    )
    cv2.ellipse(
        picture,
        (cx, int(cy + 35 * s)),
        (int(14 * s), int(6 * s)),
        0,
        0,
        180,
        tuple(int(c * 0.66) for c in skin),
        -1,
    )
    cv2.ellipse(
        picture, (cx, int(cy + 65 * s)), (int(26 * s), int(9 * s)), 0, 0, 180, (70, 70, 150), -1
    )


def _filmed(picture: NDArray[np.uint8], sitter: Sitter, rng: random.Random) -> NDArray[np.uint8]:
    out: NDArray[np.float32] = picture.astype(np.float32)
    if sitter.light:  # light from one side: a gradient across the picture
        ramp = np.linspace(-sitter.light, sitter.light, WIDTH, dtype=np.float32)
        out *= (1.0 + 0.35 * ramp)[None, :, None]
    if sitter.tilt:
        turn = cv2.getRotationMatrix2D((WIDTH / 2, HEIGHT / 2), sitter.tilt, 1.0)
        out = np.asarray(
            cv2.warpAffine(out, turn, (WIDTH, HEIGHT), borderMode=cv2.BORDER_REPLICATE),
            np.float32,
        )
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 4.0, out.shape)
    filmed = np.clip(out + noise, 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", filmed, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(70, 90)])
    assert ok
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
    assert decoded is not None
    return pixels(decoded)
