"""The SAM serial protocol of second-generation ID-card readers, as pure functions of bytes.

Frames (both ways): ``AA AA AA 96 69 | LEN_H LEN_L | payload | CHK``; LEN counts the payload
and CHK; CHK is the XOR of every byte from LEN_H to the last payload byte. A request's payload
is ``CMD PARA [data]``, a reply's ``SW1 SW2 SW3 [data]``. A receiver reads the 7-byte header,
then LEN more bytes (``FrameAssembler``). Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from drivers.idcard.errors import (
    BadLength,
    BadPreamble,
    ChecksumMismatch,
    ShortFrame,
    UnknownCommand,
    UnknownStatus,
)

PREAMBLE = bytes.fromhex("AAAAAA9669")
HEADER_SIZE = len(PREAMBLE) + 2  # preamble, LEN_H, LEN_L
# The longest real reply (text, photo and a 1024-byte fingerprint) has LEN 0x090A; anything far
# beyond is noise in the length bytes, and waiting for it would only end in a timeout.
MAX_LENGTH = 0x1000
TEXT_SIZE = 256
PHOTO_SIZE = 1024


class Command(Enum):
    """The requests of the protocol, by (CMD, PARA)."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    READ_SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_CARD = (0x30, 0x01)  # text and photo
    READ_ADDRESS = (0x30, 0x03)  # the appended (newest) address
    READ_CARD_FINGERPRINT = (0x30, 0x10)  # text, photo and fingerprint


_COMMANDS = {command.value: command for command in Command}


class SamStatus(Enum):
    """SW3 of a reply (SW1 SW2 are 00 00), with what it means to a technician."""

    OK = 0x90
    FIND_OK = 0x9F
    NO_SUCH_ITEM = 0x91
    CHECKSUM_ERROR = 0x10
    LENGTH_ERROR = 0x11
    BAD_COMMAND = 0x21
    UNAUTHORISED = 0x23
    UNKNOWN_ERROR = 0x24
    AUTHENTICATION_FAILED = 0x31
    AUTHENTICATION_FAILED_2 = 0x32
    VERIFICATION_FAILED = 0x33
    INFO_LENGTH_ERROR = 0x3F
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_NUMBER_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66
    NO_CARD = 0x80
    SELECT_FAILED = 0x81

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]

    def __str__(self) -> str:
        return f"{self.value:02X} ({self.meaning})"


_MEANINGS = {
    SamStatus.OK: "ok",
    SamStatus.FIND_OK: "card found",
    SamStatus.NO_SUCH_ITEM: "no such item",
    SamStatus.CHECKSUM_ERROR: "checksum error",
    SamStatus.LENGTH_ERROR: "length error",
    SamStatus.BAD_COMMAND: "bad command",
    SamStatus.UNAUTHORISED: "unauthorised",
    SamStatus.UNKNOWN_ERROR: "unknown error",
    SamStatus.AUTHENTICATION_FAILED: "authentication failed",
    SamStatus.AUTHENTICATION_FAILED_2: "authentication failed",
    SamStatus.VERIFICATION_FAILED: "verification failed",
    SamStatus.INFO_LENGTH_ERROR: "information length error",
    SamStatus.UNKNOWN_CARD_TYPE: "unknown card type",
    SamStatus.READ_FAILED: "read failed",
    SamStatus.RANDOM_NUMBER_FAILED: "random number failed",
    SamStatus.SAM_SELF_TEST_FAILED: "SAM self-test failed",
    SamStatus.SAM_NOT_AUTHORISED: "SAM not authorised",
    SamStatus.NO_CARD: "no card",
    SamStatus.SELECT_FAILED: "select failed",
}
_STATUSES = {status.value: status for status in SamStatus}


@dataclass(frozen=True)
class Reply:
    status: SamStatus
    data: bytes = b""

    def __repr__(self) -> str:
        # The data of a read reply is a person's card: its size only.
        return f"Reply({self.status}, {len(self.data)} data bytes)"


@dataclass(frozen=True, repr=False)
class CardRecord:
    """The blocks of a read reply: 256-byte text, photo (WLT), fingerprint (None if not asked)."""

    text: bytes
    photo: bytes
    fingerprint: bytes | None = None

    def __repr__(self) -> str:
        fingerprint = "none" if self.fingerprint is None else f"{len(self.fingerprint)} bytes"
        return (
            f"CardRecord(text {len(self.text)}, photo {len(self.photo)}, fingerprint {fingerprint})"
        )


# --- building ------------------------------------------------------------------------------------


def checksum(counted: bytes) -> int:
    """XOR of ``counted``: the bytes from LEN_H to the last payload byte."""
    check = 0
    for byte in counted:
        check ^= byte
    return check


def build_frame(payload: bytes) -> bytes:
    length = len(payload) + 1
    if length > MAX_LENGTH:
        raise BadLength(f"a payload of {len(payload)} bytes does not fit in a frame")
    counted = length.to_bytes(2, "big") + payload
    return PREAMBLE + counted + bytes([checksum(counted)])


def build_request(command: Command, data: bytes = b"") -> bytes:
    cmd, para = command.value
    return build_frame(bytes([cmd, para]) + data)


def build_reply(status: SamStatus, data: bytes = b"") -> bytes:
    return build_frame(bytes([0x00, 0x00, status.value]) + data)


def build_read_data(record: CardRecord) -> bytes:
    """The data of a read reply: the block lengths (big-endian), then the blocks."""
    blocks = [record.text, record.photo]
    if record.fingerprint is not None:
        blocks.append(record.fingerprint)
    return b"".join(len(block).to_bytes(2, "big") for block in blocks) + b"".join(blocks)


# --- parsing -------------------------------------------------------------------------------------


def frame_length(header: bytes | bytearray) -> int:
    """LEN from a frame's first 7 bytes: how many bytes follow the header."""
    if len(header) < HEADER_SIZE:
        raise ShortFrame(f"a header is {HEADER_SIZE} bytes, got {len(header)}")
    if header[: len(PREAMBLE)] != PREAMBLE:
        raise BadPreamble("the frame does not start with AA AA AA 96 69")
    # Masked and parenthesised: LEN_H is the high byte (not ``b[5] << 8 + b[6]``).
    length = ((header[5] & 0xFF) << 8) | (header[6] & 0xFF)
    if not 3 <= length <= MAX_LENGTH:
        raise BadLength(f"LEN {length} is outside 3-{MAX_LENGTH}")
    return length


def frame_payload(frame: bytes) -> bytes:
    """The payload of a whole frame, its length and checksum verified."""
    length = frame_length(frame)
    if len(frame) < HEADER_SIZE + length:
        raise ShortFrame(f"LEN says {HEADER_SIZE + length} bytes, got {len(frame)}")
    if len(frame) > HEADER_SIZE + length:
        raise BadLength(f"LEN says {HEADER_SIZE + length} bytes, got {len(frame)}")
    counted, check = frame[len(PREAMBLE) : -1], frame[-1]
    if checksum(counted) != check:
        raise ChecksumMismatch(f"check byte {check:02X}, frame sums to {checksum(counted):02X}")
    return bytes(counted[2:])


def parse_request(frame: bytes) -> tuple[Command, bytes]:
    payload = frame_payload(frame)
    if len(payload) < 2:
        raise ShortFrame("a request needs CMD and PARA")
    command = _COMMANDS.get((payload[0], payload[1]))
    if command is None:
        raise UnknownCommand(f"unknown command {payload[0]:02X} {payload[1]:02X}")
    return command, payload[2:]


def parse_reply(frame: bytes) -> Reply:
    payload = frame_payload(frame)
    if len(payload) < 3:
        raise ShortFrame("a reply needs SW1 SW2 SW3")
    status = _STATUSES.get(payload[2])
    if payload[0] or payload[1] or status is None:
        raise UnknownStatus(f"unknown status {payload[0]:02X} {payload[1]:02X} {payload[2]:02X}")
    return Reply(status, payload[3:])


def parse_read_data(data: bytes, *, with_fingerprint: bool = False) -> CardRecord:
    """Split a read reply's data (after SW3) into its blocks, every length checked."""
    count = 3 if with_fingerprint else 2
    if len(data) < 2 * count:
        raise ShortFrame(f"read data needs {count} block lengths, got {len(data)} bytes")
    sizes = [int.from_bytes(data[i : i + 2], "big") for i in range(0, 2 * count, 2)]
    if sizes[0] != TEXT_SIZE:
        raise BadLength(f"text block of {sizes[0]} bytes, not {TEXT_SIZE}")
    if sizes[1] > PHOTO_SIZE:
        raise BadLength(f"photo of {sizes[1]} bytes, more than {PHOTO_SIZE}")
    if 2 * count + sum(sizes) != len(data):
        raise BadLength(f"block lengths add up to {sum(sizes)}, data holds {len(data) - 2 * count}")
    blocks, at = [], 2 * count
    for size in sizes:
        blocks.append(bytes(data[at : at + size]))
        at += size
    return CardRecord(blocks[0], blocks[1], blocks[2] if with_fingerprint else None)


class FrameAssembler:
    """Collects bytes into frames: read ``needed`` bytes (7, then LEN more), feed, take.

    Bytes before a preamble (line noise, the tail of an abandoned reply) are dropped and
    counted in ``discarded``. A header with an impossible LEN raises BadLength and is dropped,
    so the next feed starts clean.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.discarded = 0

    @property
    def needed(self) -> int:
        """How many more bytes complete the frame being collected (at least 1)."""
        if len(self._buffer) < HEADER_SIZE:
            return HEADER_SIZE - len(self._buffer)
        return max(1, HEADER_SIZE + frame_length(self._buffer) - len(self._buffer))

    def clear(self) -> None:
        self.discarded += len(self._buffer)
        self._buffer.clear()

    def feed(self, data: bytes) -> bytes | None:
        """Add ``data``; returns the first complete frame (checksum not yet verified) or None."""
        self._buffer += data
        self._resync()
        if len(self._buffer) < HEADER_SIZE:
            return None
        try:
            length = frame_length(self._buffer)
        except BadLength:
            self.clear()
            raise
        end = HEADER_SIZE + length
        if len(self._buffer) < end:
            return None
        frame = bytes(self._buffer[:end])
        del self._buffer[:end]
        self._resync()
        return frame

    def _resync(self) -> None:
        start = self._buffer.find(PREAMBLE)
        if start < 0:
            # Keep a tail that may be the start of a preamble still arriving.
            keep = next(
                (n for n in range(len(PREAMBLE) - 1, 0, -1) if self._buffer.endswith(PREAMBLE[:n])),
                0,
            )
            start = len(self._buffer) - keep
        if start:
            self.discarded += start
            del self._buffer[:start]
