"""Pictures of codes as a camera sees them: a QR code on a grey frame, rotated, blurred, noisy,
under glare. Seeded and fast, for the virtual camera's demo images, tests and the decoding
benchmark."""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
import qrcode
from cv2.typing import MatLike
from numpy.typing import NDArray

WIDTH, HEIGHT = 640, 480


@dataclass(frozen=True)
class Blemishes:
    """What the camera and the light do to a code. Zero everywhere: a clean, square picture."""

    angle: float = 0.0  # degrees
    blur: int = 0  # Gaussian kernel size, odd; 0 none
    noise: float = 0.0  # standard deviation of Gaussian noise, grey levels
    glare: float = 0.0  # 0-1: strength of a bright spot over part of the code
    size: int = 240  # side of the code in pixels, quiet zone included


def qr_matrix(text: str) -> NDArray[np.uint8]:
    """The code's modules, 0 black and 255 white, with a four-module quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    modules = np.array(code.get_matrix(), dtype=bool)
    return np.where(modules, 0, 255).astype(np.uint8)


def blank_frame(seed: int) -> NDArray[np.uint8]:
    """A frame with no code: a soft gradient and some shapes, like a counter top and a hand."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    base = 90 + 60 * np.sin(x / (60 + seed % 40)) * np.cos(y / (80 + seed % 30))
    frame = base.astype(np.uint8)
    for _ in range(4):
        center = (int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT)))
        axes = (int(rng.integers(20, 120)), int(rng.integers(20, 120)))
        cv2.ellipse(
            frame, center, axes, float(rng.integers(0, 180)), 0, 360, int(rng.integers(0, 256)), -1
        )
    return frame


def code_picture(text: str, blemishes: Blemishes = Blemishes(), seed: int = 0) -> NDArray[np.uint8]:
    """A 640x480 grey frame with the QR code of ``text`` somewhere on it."""
    rng = random.Random(seed)
    matrix = qr_matrix(text)
    code = cv2.resize(matrix, (blemishes.size, blemishes.size), interpolation=cv2.INTER_NEAREST)
    frame = blank_frame(seed)
    frame[:] = (frame.astype(np.uint16) // 2 + 100).astype(np.uint8)  # the card it is on
    half = int(blemishes.size * 0.75)  # room for the rotated code
    cx = rng.randint(half, WIDTH - half) if 2 * half < WIDTH else WIDTH // 2
    cy = rng.randint(half, HEIGHT - half) if 2 * half < HEIGHT else HEIGHT // 2
    patch = np.full((2 * half, 2 * half), 255, np.uint8)
    offset = half - blemishes.size // 2
    patch[offset : offset + blemishes.size, offset : offset + blemishes.size] = code
    turn = cv2.getRotationMatrix2D((half, half), blemishes.angle, 1.0)
    turned = cv2.warpAffine(patch, turn, (2 * half, 2 * half), borderValue=255)
    y0, x0 = max(0, cy - half), max(0, cx - half)
    y1, x1 = min(HEIGHT, cy + half), min(WIDTH, cx + half)
    frame[y0:y1, x0:x1] = turned[
        y0 - (cy - half) : y1 - (cy - half), x0 - (cx - half) : x1 - (cx - half)
    ]
    image: MatLike = frame.astype(np.float32)
    if blemishes.glare:
        y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
        gx, gy = cx + rng.randint(-half // 2, half // 2), cy + rng.randint(-half // 2, half // 2)
        spot = np.exp(-((x - gx) ** 2 + (y - gy) ** 2) / (2 * (blemishes.size / 4) ** 2))
        image += blemishes.glare * 255 * spot
    if blemishes.blur:
        image = cv2.GaussianBlur(image, (blemishes.blur, blemishes.blur), 0)
    if blemishes.noise:
        image += np.random.default_rng(seed).normal(0, blemishes.noise, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8)
