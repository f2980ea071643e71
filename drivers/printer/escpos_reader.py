"""ESC/POS bytes read back into commands: what the simulated printer understands.

Pure and incremental: ``EscPosReader.feed(data)`` returns the commands completed so far and keeps
an unfinished one for the next call, as bytes arrive from a serial line in pieces. Unknown bytes
become ``Unknown`` commands instead of errors: a printer ignores what it does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10

# A picture larger than this is garbage, not a receipt line (and would exhaust memory).
MAX_RASTER_BYTES = 1 << 20


@dataclass(frozen=True)
class Text:
    data: bytes  # printable bytes, GB18030 in Chinese mode


@dataclass(frozen=True)
class LineFeed:
    pass


@dataclass(frozen=True)
class Initialize:
    pass


@dataclass(frozen=True)
class SetAlign:
    align: int  # 0 left, 1 centre, 2 right


@dataclass(frozen=True)
class SetBold:
    on: bool


@dataclass(frozen=True)
class SetSize:
    width: int  # 1-8 times
    height: int


@dataclass(frozen=True)
class PrintMode:
    """``ESC !``: emphasis and double width and height set at once (the font bits are ignored)."""

    bold: bool
    width: int  # 1 or 2 times
    height: int


@dataclass(frozen=True)
class ChineseMode:
    on: bool


@dataclass(frozen=True)
class FeedLines:
    lines: int


@dataclass(frozen=True)
class CutPaper:
    partial: bool


@dataclass(frozen=True)
class Raster:
    width_bytes: int
    height: int
    data: bytes  # rows of width_bytes, most significant bit leftmost, 1 = black


@dataclass(frozen=True)
class QrFunction:
    """One ``GS ( k`` function for the QR symbol (cn 49): fn 65 model, 67 size, 69 EC, 80 store,
    81 print."""

    fn: int
    params: bytes


@dataclass(frozen=True)
class StatusQuery:
    n: int  # DLE EOT n


@dataclass(frozen=True)
class PaperQuery:
    n: int  # GS r n


@dataclass(frozen=True)
class Unknown:
    data: bytes


Command = (
    Text
    | LineFeed
    | Initialize
    | SetAlign
    | SetBold
    | SetSize
    | PrintMode
    | ChineseMode
    | FeedLines
    | CutPaper
    | Raster
    | QrFunction
    | StatusQuery
    | PaperQuery
    | Unknown
)

# Commands of fixed length: (prefix, command byte) -> number of parameter bytes. Those not
# listed for a meaning below are understood and ignored (code page, line spacing, font, ...).
_FIXED = {
    (ESC, ord("@")): 0,
    (ESC, ord("a")): 1,
    (ESC, ord("E")): 1,
    (ESC, ord("d")): 1,
    (ESC, ord("t")): 1,
    (ESC, ord("!")): 1,
    (ESC, ord("2")): 0,
    (ESC, ord("3")): 1,
    (ESC, ord("-")): 1,
    (ESC, ord("M")): 1,
    (ESC, ord("G")): 1,
    (ESC, ord("J")): 1,
    (ESC, ord("{")): 1,
    (GS, ord("!")): 1,
    (GS, ord("r")): 1,
    (GS, ord("a")): 1,
    (GS, ord("B")): 1,
    (GS, ord("L")): 2,
    (GS, ord("W")): 2,
    (FS, ord("&")): 0,
    (FS, ord(".")): 0,
    (FS, ord("!")): 1,
    (DLE, 0x04): 1,
}


def _fixed(prefix: int, code: int, params: bytes) -> Command:
    p = params[0] if params else 0
    match (prefix, chr(code)):
        case (0x1B, "@"):
            return Initialize()
        case (0x1B, "a"):
            return SetAlign(p % 48 if p >= 48 else p)  # "0"/"1"/"2" mean 0/1/2 too
        case (0x1B, "E"):
            return SetBold(bool(p & 1))
        case (0x1B, "d"):
            return FeedLines(p)
        case (0x1B, "!"):
            return PrintMode(bool(p & 0x08), 2 if p & 0x20 else 1, 2 if p & 0x10 else 1)
        case (0x1D, "!"):
            return SetSize((p >> 4 & 7) + 1, (p & 7) + 1)
        case (0x1D, "r"):
            return PaperQuery(p)
        case (0x1C, "&"):
            return ChineseMode(True)
        case (0x1C, "."):
            return ChineseMode(False)
        case (0x10, "\x04"):
            return StatusQuery(p)
    return Unknown(bytes([prefix, code]) + params)


class EscPosReader:
    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Command]:
        self._buffer += data
        commands: list[Command] = []
        while self._buffer:
            parsed = self._one()
            if parsed is None:
                break  # an unfinished command: wait for more bytes
            command, used = parsed
            del self._buffer[:used]
            commands.append(command)
        return commands

    @property
    def pending(self) -> int:
        """Bytes of an unfinished command held back."""
        return len(self._buffer)

    def _one(self) -> tuple[Command, int] | None:
        b = self._buffer
        first = b[0]
        if first >= 0x20:
            end = 1
            while end < len(b) and b[end] >= 0x20:
                end += 1
            return Text(bytes(b[:end])), end
        if first == 0x0A:
            return LineFeed(), 1
        if first not in (ESC, GS, FS, DLE):
            return Unknown(bytes([first])), 1
        if len(b) < 2:
            return None
        code = b[1]
        if (first, code) in _FIXED:
            size = 2 + _FIXED[(first, code)]
            if len(b) < size:
                return None
            return _fixed(first, code, bytes(b[2:size])), size
        if first == GS and code == ord("V"):
            return self._cut()
        if first == GS and code == ord("v"):
            return self._raster()
        if first == GS and code == ord("("):
            return self._function()
        return Unknown(bytes(b[:2])), 2

    def _cut(self) -> tuple[Command, int] | None:
        b = self._buffer
        if len(b) < 3:
            return None
        m = b[2]
        if m in (0, 1, 48, 49):
            return CutPaper(partial=m in (1, 49)), 3
        if m in (65, 66):
            if len(b) < 4:
                return None
            return CutPaper(partial=m == 66), 4
        return Unknown(bytes(b[:3])), 3

    def _raster(self) -> tuple[Command, int] | None:
        b = self._buffer
        if len(b) < 8:
            return None
        if b[2] != ord("0"):
            return Unknown(bytes(b[:3])), 3
        width_bytes, height = b[4] | b[5] << 8, b[6] | b[7] << 8
        size = width_bytes * height
        if size > MAX_RASTER_BYTES or size == 0:
            return Unknown(bytes(b[:8])), 8
        if len(b) < 8 + size:
            return None
        return Raster(width_bytes, height, bytes(b[8 : 8 + size])), 8 + size

    def _function(self) -> tuple[Command, int] | None:
        b = self._buffer
        if len(b) < 5:
            return None
        length = b[3] | b[4] << 8
        if len(b) < 5 + length:
            return None
        body = bytes(b[5 : 5 + length])
        if b[2] == ord("k") and len(body) >= 2 and body[0] == 49:
            return QrFunction(body[1], body[2:]), 5 + length
        return Unknown(bytes(b[: 5 + length])), 5 + length
