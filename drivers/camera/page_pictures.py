"""Photographs of document pages as a kiosk's camera takes them, made with their true corners:
what the simulated camera holds up in demo mode, and the tests' corpus.

A printed A4 page (a heading, lines of text, a table) laid on a desk and photographed from an
angle: perspective up to some 30 degrees, turned either way, a shadow falling across, the
camera's noise and JPEG, sometimes shaken (motion blur) or out of focus; hard cases too: a white
page on a light desk, a page partly out of the frame, a page turned a quarter. Seeded, so a
failure is the same picture every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from drivers.camera.sources import pixels

WIDTH, HEIGHT = 1280, 960
A4 = (840, 1188)  # the page drawn at this size (w, h) before it is photographed


@dataclass(frozen=True)
class Shot:
    name: str
    picture: NDArray[np.uint8]
    corners: NDArray[np.float32]  # TL, TR, BR, BL as seen in the picture (of the page's top)
    blurred: bool = False
    hard: bool = False  # a case the kiosk may refuse, but must never get wrong


def printed_page(rng: random.Random) -> NDArray[np.uint8]:
    w, h = A4
    page = np.full((h, w, 3), 250, np.uint8)
    cv2.putText(
        page, "APPLICATION  FORM", (120, 120), cv2.FONT_HERSHEY_DUPLEX, 1.6, (20, 20, 20), 3
    )
    y = 200
    while y < 760:
        length = rng.randint(300, 700)
        cv2.putText(
            page, "x" * (length // 22), (80, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (40, 40, 40), 2
        )
        y += 42
    for row in range(6):  # a table
        cv2.line(page, (80, 800 + row * 50), (760, 800 + row * 50), (30, 30, 30), 2)
    for column in (80, 320, 560, 760):
        cv2.line(page, (column, 800), (column, 1050), (30, 30, 30), 2)
    return page


def desk(rng: random.Random, light: bool) -> NDArray[np.uint8]:
    base = rng.randint(215, 235) if light else rng.randint(40, 110)
    picture = np.full((HEIGHT, WIDTH, 3), base, np.float32)
    picture += np.random.default_rng(rng.randint(0, 10**6)).normal(0, 6, picture.shape)
    tint = np.array([rng.uniform(0.85, 1.1), rng.uniform(0.9, 1.05), rng.uniform(0.9, 1.15)])
    return np.clip(picture * tint, 0, 255).astype(np.uint8)


def _corners(rng: random.Random, out_of_frame: bool, quarter: bool) -> NDArray[np.float32]:
    """Where the page's corners land: a centred page, tilted, seen at an angle."""
    scale = rng.uniform(0.55, 0.72) * HEIGHT / A4[1]
    w, h = A4[0] * scale, A4[1] * scale
    if quarter:
        w, h = h, w
    cx = WIDTH / 2 + rng.uniform(-80, 80) + (WIDTH * 0.35 if out_of_frame else 0)
    cy = HEIGHT / 2 + rng.uniform(-50, 50)
    angle = np.deg2rad(rng.uniform(-12, 12))
    base = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    points = base @ turn.T
    # Perspective: the far edge shorter (the camera looks down at up to ~30 degrees).
    squeeze = rng.uniform(0.0, 0.22)
    side = rng.choice(["top", "left", "right"])
    if side == "top":
        points[:2, 0] *= 1 - squeeze
    elif side == "left":
        points[[0, 3], 1] *= 1 - squeeze
    else:
        points[[1, 2], 1] *= 1 - squeeze
    return (points + np.array([cx, cy])).astype(np.float32)


def shot(seed: int, *, blur: str = "", light_desk: bool = False, out_of_frame: bool = False,
         quarter: bool = False) -> Shot:  # fmt: skip
    rng = random.Random(seed)
    page = printed_page(rng)
    if quarter:
        page = pixels(cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE))
    h, w = page.shape[:2]
    corners = _corners(rng, out_of_frame, quarter)
    source = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    warp = cv2.getPerspectiveTransform(source, corners)
    picture = desk(rng, light_desk)
    warped = cv2.warpPerspective(page, warp, (WIDTH, HEIGHT))
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), warp, (WIDTH, HEIGHT))
    picture[mask > 127] = warped[mask > 127]
    # A shadow across: light falling off from one side.
    ramp = np.linspace(rng.uniform(0.55, 0.8), 1.0, WIDTH, dtype=np.float32)
    if rng.random() < 0.5:
        ramp = ramp[::-1]
    picture = np.clip(picture * ramp[None, :, None], 0, 255).astype(np.uint8)
    if blur == "motion":
        kernel = np.zeros((25, 25), np.float32)
        kernel[12, :] = 1 / 25
        picture = pixels(cv2.filter2D(picture, -1, kernel))
    elif blur == "focus":
        picture = pixels(cv2.GaussianBlur(picture, (0, 0), 6))
    noise = np.random.default_rng(seed).normal(0, 4, picture.shape)
    picture = np.clip(picture + noise, 0, 255).astype(np.uint8)
    jpeg = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(70, 92)])[1]
    picture = pixels(cv2.imdecode(jpeg, cv2.IMREAD_COLOR))  # type: ignore[arg-type]  # our own JPEG
    name = f"seed{seed}{'-' + blur if blur else ''}{'-light' if light_desk else ''}"
    name += "-out" if out_of_frame else ""
    name += "-quarter" if quarter else ""
    return Shot(name, picture, corners, blurred=bool(blur), hard=light_desk or out_of_frame)


def corpus() -> list[Shot]:
    shots = [shot(seed) for seed in range(30)]
    shots += [shot(100 + seed, quarter=True) for seed in range(5)]
    shots += [shot(200 + seed, blur="motion") for seed in range(4)]
    shots += [shot(300 + seed, blur="focus") for seed in range(4)]
    shots += [shot(400 + seed, light_desk=True) for seed in range(4)]
    shots += [shot(500 + seed, out_of_frame=True) for seed in range(3)]
    return shots
