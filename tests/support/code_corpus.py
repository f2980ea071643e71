"""The decoding corpus, seeded, for the decoding benchmark and its test.

Two parts: printed codes (a bill's QR on a grey frame, rotated, blurred, noisy, under glare,
small), and phones held up to the camera (`drivers.camera.phone_pictures`: tilted up to 40°,
gamma, low contrast, the screen's moiré, glare, blur, noise, JPEG), showing a bill's QR or a
payment code as a QR or a Code 128 barcode. Both parts have frames that must read nothing: no
code at all, a phone showing no code, and codes half hidden behind a thumb (corrupted: read
as the right text or not at all).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from drivers.camera.code_pictures import Blemishes, blank_frame, code_picture
from drivers.camera.phone_pictures import Symbol, phone_picture, random_shot

NO_CODE_SHARE = 0.2  # of the printed part
CORRUPTED_SHARE = 0.05  # of the phone part, and as many phones showing no code


@dataclass(frozen=True)
class Sample:
    image: NDArray[np.uint8]
    text: str | None  # None: no code in the frame
    kind: str
    readable: bool = True  # False: no code, or a corrupted one; any read of another text is false

    @property
    def must_read(self) -> bool:
        return self.readable and self.text is not None


def payment_code(rng: random.Random) -> str:
    """An 18-digit WeChat payment code (rules.codes)."""
    return "13" + "".join(rng.choice("0123456789") for _ in range(16))


def bill_code(rng: random.Random) -> str:
    return f"https://95598.js.sgcc.local/bill/{rng.randrange(10**9, 10**10)}"


def _code_text(rng: random.Random) -> str:
    choice = rng.randrange(3)
    if choice == 0:
        return payment_code(rng)
    if choice == 1:
        return bill_code(rng)
    return "".join(
        rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(rng.randint(8, 60))
    )


def printed_corpus(frames: int, seed: int) -> list[Sample]:
    """Printed QR codes as a camera sees them, a fifth of the frames without a code."""
    rng = random.Random(seed)
    samples = []
    for i in range(frames):
        if i % round(1 / NO_CODE_SHARE) == 0:
            samples.append(Sample(blank_frame(seed * 10_000 + i), None, "no code", False))
            continue
        small = rng.random() < 0.25
        blemishes = Blemishes(
            angle=rng.uniform(0, 360),
            # A small code has ~3-4 pixels a module: the 5-pixel blur would erase it outright
            # (a fixed-focus kiosk camera is sharp at the distance small codes are held at).
            blur=rng.choice([0, 3, 3] if small else [0, 3, 3, 5]),
            noise=rng.uniform(0, 14),
            glare=rng.choice([0.0, 0.0, rng.uniform(0.2, 0.6)]),
            size=rng.randint(110, 140) if small else rng.randint(150, 260),
        )
        kind = "small" if small else "glare" if blemishes.glare else "rotated+blur+noise"
        text = _code_text(rng)
        samples.append(Sample(code_picture(text, blemishes, seed=i), text, kind))
    return samples


def phone_corpus(frames: int, seed: int) -> list[Sample]:
    """Phones held up to the camera: bills' QR codes, payment codes as QR and as Code 128."""
    rng = random.Random(seed * 7919 + 1)
    odd_one = round(1 / CORRUPTED_SHARE)
    samples = []
    for i in range(frames):
        barcode = i % 3 == 0
        symbol = Symbol.CODE128 if barcode else Symbol.QR
        text = payment_code(rng) if barcode or i % 2 else bill_code(rng)
        shot = random_shot(rng, symbol)
        picture_seed = seed * 10_000 + i
        if i % odd_one == 1:
            hidden = replace(shot, damage=rng.uniform(0.45, 0.6))
            image = phone_picture(text, hidden, picture_seed)
            samples.append(Sample(image, text, "phone: corrupted", False))
        elif i % odd_one == 2:
            empty = replace(shot, blank_screen=True)
            samples.append(Sample(phone_picture(text, empty, picture_seed), None, "no code", False))
        else:
            kind = f"phone: {symbol.value} {'payment' if text[0] == '1' else 'bill'}"
            samples.append(Sample(phone_picture(text, shot, picture_seed), text, kind))
    return samples


def widened_corpus(printed: int, phones: int, seed: int) -> list[Sample]:
    return printed_corpus(printed, seed) + phone_corpus(phones, seed)
