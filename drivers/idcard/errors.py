"""What can go wrong between the kiosk and an ID-card reader, each as its own type.

None of these carries a card's content in its message: a message may reach a log.
"""

from __future__ import annotations

from drivers.contracts import DeviceError


class IdCardReaderError(DeviceError):
    """Base of every error of the ID-card reader's protocol and card data."""


class FrameError(IdCardReaderError):
    """Bytes that are not a well-formed frame of the SAM protocol."""


class ShortFrame(FrameError):
    """Fewer bytes than the header or its LEN promise."""


class BadPreamble(FrameError):
    """The frame does not start with AA AA AA 96 69."""


class BadLength(FrameError):
    """LEN is impossible, or disagrees with the bytes received or with the lengths inside."""


class ChecksumMismatch(FrameError):
    """The XOR check byte does not match the frame."""


class UnknownStatus(FrameError):
    """A reply whose SW1 SW2 SW3 is not in the protocol's table."""


class UnknownCommand(FrameError):
    """A request whose CMD PARA is not in the protocol's table."""


class NoAnswer(IdCardReaderError):
    """The reader did not answer (completely) within the exchange's timeout."""


class ReaderRefused(IdCardReaderError):
    """A well-formed reply saying the command failed (no card, select failed, read failed...)."""

    def __init__(self, status: object, doing: str) -> None:
        super().__init__(f"{doing}: the reader answered {status}")
        self.status = status


class CardTextError(IdCardReaderError):
    """The card's text block is not one of the layouts we know, or a field in it is invalid."""


class UnsupportedCardType(CardTextError):
    """A card type marker (bytes 248-249) this driver does not read."""


class InvalidIdNumber(CardTextError):
    """The ID number's shape or GB 11643 check digit is wrong."""
