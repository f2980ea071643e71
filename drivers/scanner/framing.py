"""Cut a serial scanner's byte stream into codes: pure, no I/O, unit-tested with raw bytes.

A scanner ends each code with CR, CR LF or LF (its suffix setting). Whatever is not a clean
code becomes a ``RejectedLine`` with a typed reason, so line noise, a half-sent line or a wrong
baud rate is reported to the technician and never taken for a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

CR, LF = 0x0D, 0x0A
MAX_CODE_BYTES = 512  # longer than any payment code or bill QR; a line past this is noise


class RejectReason(Enum):
    TOO_LONG = "line too long"
    CONTROL_BYTES = "control bytes in line"
    NOT_TEXT = "not UTF-8 text"
    BLANK = "blank line"


@dataclass(frozen=True)
class CodeLine:
    text: str

    def __repr__(self) -> str:
        # Lines may be payment codes: keep them whole out of logs.
        return f"CodeLine({self.text[:4]!r}…, len={len(self.text)})"


@dataclass(frozen=True)
class RejectedLine:
    reason: RejectReason
    length: int  # bytes dropped, for the technician; the bytes themselves are not kept


FramedLine = CodeLine | RejectedLine


def judge_line(raw: bytes) -> FramedLine:
    """A complete line (suffix removed) as a code, or why it is not one."""
    if len(raw) > MAX_CODE_BYTES:
        return RejectedLine(RejectReason.TOO_LONG, len(raw))
    if any(b < 0x20 or b == 0x7F for b in raw):
        return RejectedLine(RejectReason.CONTROL_BYTES, len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return RejectedLine(RejectReason.NOT_TEXT, len(raw))
    if any(0x80 <= ord(ch) < 0xA0 for ch in text):  # C1 controls survive UTF-8 decoding
        return RejectedLine(RejectReason.CONTROL_BYTES, len(raw))
    if not text.strip():
        return RejectedLine(RejectReason.BLANK, len(raw))
    return CodeLine(text)


class LineFramer:
    """Feeds on bytes as they arrive, returns the lines they complete.

    Deterministic and free of I/O (like pyserial's ``LineReader`` minus the thread). CR, LF and
    CR LF all end a line; the LF of a CR LF split across two reads does not make an empty line.
    A line that grows past ``max_bytes`` is rejected once and skipped up to its end, so a
    scanner babbling without suffixes cannot grow the buffer without bound. ``ignore`` are
    replies a scanner model sends to commands (acknowledgements), dropped where a line starts.
    """

    def __init__(self, max_bytes: int = MAX_CODE_BYTES, ignore: tuple[bytes, ...] = ()) -> None:
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        self.max_bytes = max_bytes
        self._ignore = tuple(i for i in ignore if i)
        self._buffer = bytearray()
        self._skipping = False  # inside an overlong line, already rejected
        self._after_cr = False  # the last byte ended a line with CR: a LF now is its pair

    @property
    def pending(self) -> int:
        """Bytes of an unfinished line held (a partial line the scanner has not ended yet)."""
        return len(self._buffer)

    def reset(self) -> None:
        """Forget a partial line (the link was lost: its other half will never come)."""
        self._buffer.clear()
        self._skipping = False
        self._after_cr = False

    def feed(self, data: bytes) -> list[FramedLine]:
        lines: list[FramedLine] = []
        for byte in data:
            if byte == LF and self._after_cr:
                self._after_cr = False
                continue
            self._after_cr = byte == CR
            if byte in (CR, LF):
                self._end_line(lines)
                continue
            if self._skipping:
                continue
            self._buffer.append(byte)
            self._drop_acknowledgement()
            if len(self._buffer) > self.max_bytes:
                lines.append(RejectedLine(RejectReason.TOO_LONG, len(self._buffer)))
                self._buffer.clear()
                self._skipping = True
        return lines

    def _end_line(self, lines: list[FramedLine]) -> None:
        if self._skipping:
            self._skipping = False
            return
        if self._buffer:
            lines.append(judge_line(bytes(self._buffer)))
            self._buffer.clear()

    def _drop_acknowledgement(self) -> None:
        for reply in self._ignore:
            if len(self._buffer) == len(reply) and self._buffer == reply:
                self._buffer.clear()
                return
