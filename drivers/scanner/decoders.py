"""Turn a grey picture into the texts of the codes in it, with the library chosen by name.

``cascade`` (the default: zxing-cpp, then a smoothed frame, a thresholded frame, the phone's
screen warped flat, zbar and an enlarged frame for what it missed, within the frame's time
budget; see ``cascade.py``), ``zxing`` (zxing-cpp alone: fastest and the best reader in our
measurements, a self-contained wheel), ``pyzbar`` (needs the system's libzbar0, no Micro QR)
and ``opencv`` (OpenCV's QRCodeDetector, QR only, the weakest: kept as a baseline). Each library
is imported when its decoder is made, so a kiosk that uses one does not load the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


class Decoder(Protocol):
    name: str

    def decode(self, image: NDArray[np.uint8]) -> list[str]:
        """Texts of the codes found in ``image`` (grey, height x width); [] when none."""


class ZxingDecoder:
    name = "zxing"

    def __init__(self, kiosk_codes_only: bool = False) -> None:
        import zxingcpp

        self._read = zxingcpp.read_barcodes
        # Looking for fewer kinds of code is several times faster on a busy frame, and a kind
        # never looked for is never misread.
        self._formats = (
            (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode,
             zxingcpp.BarcodeFormat.Code128)
            if kiosk_codes_only
            else ()
        )  # fmt: skip

    def decode(self, image: NDArray[np.uint8]) -> list[str]:
        # The library takes a tuple of formats (its `|` of formats is deprecated); its type
        # stub still names only the older set type.
        formats = self._formats
        found = self._read(image, formats=formats) if formats else self._read(image)  # type: ignore[arg-type]
        return [result.text for result in found if result.valid and result.text]


class PyzbarDecoder:
    name = "pyzbar"

    def __init__(self, kiosk_codes_only: bool = False) -> None:
        from pyzbar import pyzbar

        self._decode = pyzbar.decode
        self._symbols = (
            [pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.CODE128] if kiosk_codes_only else None
        )

    def decode(self, image: NDArray[np.uint8]) -> list[str]:
        texts = []
        for symbol in self._decode(image, symbols=self._symbols):
            try:
                texts.append(symbol.data.decode("utf-8"))
            except UnicodeDecodeError:
                continue  # not text: no code of ours, nor a payment code
        return [text for text in texts if text]


class OpenCvDecoder:
    name = "opencv"

    def __init__(self) -> None:
        import cv2

        self._detector = cv2.QRCodeDetector()

    def decode(self, image: NDArray[np.uint8]) -> list[str]:
        try:
            text, _, _ = self._detector.detectAndDecode(image)
        except Exception:  # cv2.error on degenerate corner sets: no code read
            return []
        return [text] if text else []


def _cascade() -> Decoder:
    from drivers.scanner.cascade import CascadeDecoder

    return CascadeDecoder()


DECODERS: dict[str, Callable[[], Decoder]] = {
    "cascade": _cascade,
    "zxing": ZxingDecoder,
    "pyzbar": PyzbarDecoder,
    "opencv": OpenCvDecoder,
}


def decoder_named(name: str) -> Decoder:
    """The decoder ``name`` names (config: ``decoder = "cascade"``); ValueError if unknown."""
    try:
        make = DECODERS[name]
    except KeyError:
        raise ValueError(f"unknown decoder {name!r}; known: {', '.join(DECODERS)}") from None
    return make()
