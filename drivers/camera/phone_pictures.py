"""Pictures of a phone held up to the camera: a code on a phone's screen, as a fixed kiosk
camera sees it. The screen's pixel grid is resampled by the camera (moiré), the phone is tilted
(perspective), the screen is dim or washed out (gamma, low contrast), a lamp shines on the glass
(glare), and the camera blurs, adds noise and compresses. Seeded: the same seed gives the same
picture, for the decoding benchmark and its test.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
import zxingcpp
from cv2.typing import MatLike
from numpy.typing import NDArray

from drivers.camera.code_pictures import HEIGHT, WIDTH, blank_frame, qr_matrix

SCREEN_GRID = 3  # camera-side samples per screen pixel: the last row and column are the gap


class Symbol(StrEnum):
    QR = "qr"
    CODE128 = "code128"  # the barcode a wallet shows above its QR


@dataclass(frozen=True)
class PhoneShot:
    """How the phone is held and what the camera and the light do to it."""

    symbol: Symbol = Symbol.QR
    size: int = 200  # the code's width in the frame, pixels, before the tilt
    tilt: float = 0.0  # degrees the screen leans away from the camera
    tilt_axis: float = 0.0  # degrees: the direction it leans in
    turn: float = 0.0  # degrees in the screen's plane
    gamma: float = 1.0  # > 1 darkens the mid tones, < 1 washes them out
    contrast: float = 1.0  # 0-1: the share of the grey range between the screen's black and white
    moire: float = 0.0  # 0-1: how dark the gaps between the screen's pixels are
    glare: float = 0.0  # 0-1: a lamp's reflection on the glass
    blur: float = 0.0  # Gaussian sigma, pixels
    noise: float = 0.0  # standard deviation, grey levels
    jpeg: int = 0  # JPEG quality 1-100; 0 none
    damage: float = 0.0  # 0-1: share of the code's width hidden behind a thumb (corrupted code)
    blank_screen: bool = False  # the phone shows no code: a frame that must read nothing


def code_modules(text: str, symbol: Symbol) -> NDArray[np.uint8]:
    """The code's modules, 0 black and 255 white, quiet zone included; a barcode is one row."""
    if symbol is Symbol.QR:
        return qr_matrix(text)
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    row = np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=1), dtype=np.uint8)[:1]
    return row


def _screen(text: str, shot: PhoneShot, rng: random.Random) -> NDArray[np.uint8]:
    """The phone's screen in screen pixels: white around the code, as a wallet shows it."""
    modules = code_modules(text, shot.symbol)
    rows, columns = modules.shape
    pixels_a_module = rng.randint(3, 6)  # phones draw codes at whole screen pixels a module
    if rows == 1:  # a barcode: bars a quarter as tall as the code is wide
        rows = max(12, columns // 4)
        modules = np.repeat(modules, rows, axis=0)
    code = np.repeat(np.repeat(modules, pixels_a_module, 0), pixels_a_module, 1)
    if shot.blank_screen:  # the wallet's page without its code: a few grey blocks of text
        code[:] = 255
        for line in range(2, code.shape[0] - 8, 14):
            code[line : line + 6, 8 : rng.randint(20, code.shape[1] - 8)] = 90
    if shot.damage:  # a thumb over one side of the code
        hidden = int(code.shape[1] * shot.damage)
        code[:, code.shape[1] - hidden :] = 140
    margin = code.shape[1] // 10
    bordered = cv2.copyMakeBorder(
        code, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255
    )
    return np.asarray(bordered, dtype=np.uint8)


def _pixel_grid(screen: NDArray[np.uint8], moire: float) -> NDArray[np.float32]:
    """Each screen pixel as SCREEN_GRID camera samples, the gap between pixels darker."""
    big = np.repeat(np.repeat(screen.astype(np.float32), SCREEN_GRID, 0), SCREEN_GRID, 1)
    cell = np.ones((SCREEN_GRID, SCREEN_GRID), np.float32)
    cell[-1, :] = cell[:, -1] = 1.0 - moire
    return big * np.tile(cell, (screen.shape[0], screen.shape[1]))


def _corners(width: int, height: int, shot: PhoneShot, centre: tuple[float, float]) -> MatLike:
    """Where the screen's corners land: turned, leaned away by ``tilt``, seen by a pinhole."""
    scale = shot.size / width
    half = np.array([[-width, -height], [width, -height], [width, height], [-width, height]]) / 2
    points = np.hstack([half * scale, np.zeros((4, 1))])
    axis = math.radians(shot.tilt_axis)
    lean = math.radians(shot.tilt)
    ux, uy = math.cos(axis), math.sin(axis)  # the axis the screen leans around, in its plane
    c, s = math.cos(lean), math.sin(lean)
    # Rodrigues' rotation about (ux, uy, 0).
    lean_matrix = np.array(
        [
            [c + ux * ux * (1 - c), ux * uy * (1 - c), uy * s],
            [ux * uy * (1 - c), c + uy * uy * (1 - c), -ux * s],
            [-uy * s, ux * s, c],
        ]
    )
    turn = math.radians(shot.turn)
    turn_matrix = np.array(
        [[math.cos(turn), -math.sin(turn), 0], [math.sin(turn), math.cos(turn), 0], [0, 0, 1]]
    )
    placed = points @ turn_matrix.T @ lean_matrix.T
    focal = 700.0  # pixels: a kiosk camera's wide-ish lens at 640x480
    depth = focal + placed[:, 2]
    projected = placed[:, :2] * (focal / depth)[:, None]
    return (projected + np.array(centre)).astype(np.float32)


def phone_picture(text: str, shot: PhoneShot = PhoneShot(), seed: int = 0) -> NDArray[np.uint8]:
    """A 640x480 grey frame of a phone showing the code of ``text`` (or no code at all)."""
    rng = random.Random(seed)
    screen = _screen(text, shot, rng)
    lit = _pixel_grid(screen, shot.moire)
    height, width = lit.shape
    reach = shot.size * 0.75
    centre = (
        rng.uniform(min(reach, WIDTH / 2), max(WIDTH - reach, WIDTH / 2)),
        rng.uniform(min(reach, HEIGHT / 2), max(HEIGHT - reach, HEIGHT / 2)),
    )
    corners = _corners(width, height, shot, centre)
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    warp = cv2.getPerspectiveTransform(source, corners)
    # Linear resampling with no smoothing first, as a sensor samples: the screen grid aliases.
    on_camera = cv2.warpPerspective(lit, warp, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    covered = cv2.warpPerspective(np.ones_like(lit), warp, (WIDTH, HEIGHT)) > 0.5
    # The phone's body: a dark bezel a little larger than its screen.
    bezel = cv2.getPerspectiveTransform(source, _grown(corners, 1.12))
    body = cv2.warpPerspective(np.ones_like(lit), bezel, (WIDTH, HEIGHT)) > 0.5
    frame = blank_frame(seed).astype(np.float32) * 0.6 + 60  # the room behind the phone
    frame[body] = 25
    # An emissive screen: its black is the camera's grey, its white not quite white.
    black = rng.uniform(10, 60)
    white = black + shot.contrast * (235 - black)
    shown = black + (white - black) * (on_camera / 255.0) ** shot.gamma
    frame[covered] = shown[covered]
    image: MatLike = frame
    if shot.glare:
        y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
        gx, gy = corners[rng.randrange(4)] * 0.4 + np.array(centre) * 0.6
        radius = shot.size / rng.uniform(4, 7)
        spot = np.exp(-((x - gx) ** 2 + (y - gy) ** 2) / (2 * radius**2))
        image = image + shot.glare * 255 * spot
    if shot.blur:
        image = cv2.GaussianBlur(image, (0, 0), shot.blur)
    if shot.noise:
        image = image + np.random.default_rng(seed).normal(0, shot.noise, image.shape)
    picture = np.clip(image, 0, 255).astype(np.uint8)
    if shot.jpeg:
        _, encoded = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, shot.jpeg])
        picture = np.asarray(cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE), dtype=np.uint8)
    return np.asarray(picture, dtype=np.uint8)


def _grown(corners: MatLike, factor: float) -> MatLike:
    middle = corners.mean(axis=0)
    return ((corners - middle) * factor + middle).astype(np.float32)


def random_shot(rng: random.Random, symbol: Symbol) -> PhoneShot:
    """A phone held up the way residents hold one: tilted and turned, and some of the screen's
    and the camera's blemishes (each in about half the shots) at a random strength."""
    barcode = symbol is Symbol.CODE128

    def some(strength: float, none: float = 0.0) -> float:
        return strength if rng.random() < 0.5 else none

    return PhoneShot(
        symbol=symbol,
        size=rng.randint(440, 580) if barcode else rng.randint(160, 300),
        tilt=rng.uniform(0, 40),
        tilt_axis=rng.uniform(0, 360),
        # A barcode turned further has no scan line across all its bars; wallets show it level.
        turn=rng.uniform(-8, 8) if barcode else rng.uniform(0, 360),
        gamma=some(rng.choice([rng.uniform(0.45, 0.8), rng.uniform(1.4, 2.4)]), 1.0),
        contrast=some(rng.uniform(0.3, 0.6), 1.0),
        # A barcode has no error correction: glare that washes out its bars across the whole
        # height, or blur that merges its 2-3 pixel bars, leaves nothing for any decoder.
        moire=some(rng.uniform(0.1, 0.35 if barcode else 0.5)),
        glare=some(rng.uniform(0.15, 0.35) if barcode else rng.uniform(0.2, 0.5)),
        blur=some(rng.uniform(0.5, 1.1 if barcode else 1.6)),
        noise=rng.uniform(1, 3) + some(rng.uniform(0, 5)),
        jpeg=int(some(rng.randint(35, 85))),
    )
