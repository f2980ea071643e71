"""What an ESC/POS printer says about itself: DLE EOT replies, GS r 1 and Automatic Status Back.

Pure functions of bytes. A reply that does not have the fixed bits of its format is not a status
at all (line noise, a printer still echoing, another device on the port): it raises
``InvalidStatusReply``, and the printer's status is then UNKNOWN, never "paper out".
python-escpos reads an empty or malformed reply as "no paper"; that is exactly the mistake this
module exists to avoid.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.contracts import DeviceError, PrinterStatus

DLE_EOT = b"\x10\x04"
TRANSMIT_PAPER_STATUS = b"\x1d\x72\x01"  # GS r 1


class StatusReplyError(DeviceError):
    """The printer's status could not be read."""


class InvalidStatusReply(StatusReplyError, ValueError):
    """Bytes came back, but not a status reply of the kind that was asked for."""


class StatusTimeout(StatusReplyError, TimeoutError):
    """The printer did not answer a status request in time."""


def status_request(n: int) -> bytes:
    """``DLE EOT n``: n=1 printer, 2 offline cause, 3 error cause, 4 roll paper."""
    if n not in (1, 2, 3, 4):
        raise ValueError(f"DLE EOT n must be 1-4, not {n}")
    return DLE_EOT + bytes([n])


# DLE EOT replies all look like 0xx1xx10: bits 1 and 4 set, bits 0 and 7 clear.
_EOT_FIXED_MASK, _EOT_FIXED_BITS = 0x93, 0x12


def _eot_byte(reply: bytes) -> int:
    if len(reply) != 1:
        raise InvalidStatusReply(f"a DLE EOT reply is one byte, got {len(reply)}")
    value = reply[0]
    if value & _EOT_FIXED_MASK != _EOT_FIXED_BITS:
        raise InvalidStatusReply(f"0x{value:02X} is not a DLE EOT reply (0xx1xx10)")
    return value


def is_eot_reply(reply: bytes) -> bool:
    """True for one byte with the fixed bits of a DLE EOT reply."""
    return len(reply) == 1 and reply[0] & _EOT_FIXED_MASK == _EOT_FIXED_BITS


@dataclass(frozen=True)
class PrinterReport:
    """n=1: the printer as a whole."""

    drawer_high: bool
    offline: bool
    waiting_for_recovery: bool
    feed_button: bool


@dataclass(frozen=True)
class OfflineCause:
    """n=2: why the printer is offline."""

    cover_open: bool
    feeding_by_button: bool
    stopped_at_paper_end: bool
    error: bool


@dataclass(frozen=True)
class ErrorCause:
    """n=3: what kind of error."""

    recoverable: bool
    autocutter: bool
    unrecoverable: bool
    auto_recoverable: bool


@dataclass(frozen=True)
class PaperReport:
    """n=4 (or GS r 1): the roll paper sensors."""

    near_end: bool
    paper_out: bool


def _bit(value: int, n: int) -> bool:
    return bool(value >> n & 1)


def parse_printer(reply: bytes) -> PrinterReport:
    v = _eot_byte(reply)
    return PrinterReport(_bit(v, 2), _bit(v, 3), _bit(v, 5), _bit(v, 6))


def parse_offline_cause(reply: bytes) -> OfflineCause:
    v = _eot_byte(reply)
    return OfflineCause(_bit(v, 2), _bit(v, 3), _bit(v, 5), _bit(v, 6))


def parse_error_cause(reply: bytes) -> ErrorCause:
    v = _eot_byte(reply)
    return ErrorCause(_bit(v, 2), _bit(v, 3), _bit(v, 5), _bit(v, 6))


def parse_paper(reply: bytes) -> PaperReport:
    v = _eot_byte(reply)
    # Both bits of a pair are set together; a printer with one sensor sets either: accept either.
    return PaperReport(near_end=bool(v & 0x0C), paper_out=bool(v & 0x60))


def parse_gs_r_paper(reply: bytes) -> PaperReport:
    """``GS r 1`` answers 0xx0xxxx: bits 0-1 near end, bits 2-3 paper end."""
    if len(reply) != 1 or reply[0] & 0x90:
        raise InvalidStatusReply(f"not a GS r 1 reply: {reply.hex(' ')}")
    v = reply[0]
    return PaperReport(near_end=bool(v & 0x03), paper_out=bool(v & 0x0C))


@dataclass(frozen=True)
class PrinterCondition:
    """Everything the four DLE EOT replies (or one ASB block) tell, and what it comes to."""

    printer: PrinterReport
    offline_cause: OfflineCause
    error_cause: ErrorCause
    paper: PaperReport

    @property
    def error(self) -> bool:
        e = self.error_cause
        return self.offline_cause.error or e.autocutter or e.unrecoverable or e.recoverable

    @property
    def status(self) -> PrinterStatus:
        """The one status the kiosk acts on; the worst condition wins."""
        if self.offline_cause.cover_open:
            return PrinterStatus.COVER_OPEN
        if self.paper.paper_out or self.offline_cause.stopped_at_paper_end:
            return PrinterStatus.PAPER_OUT
        if self.printer.offline or self.error:
            return PrinterStatus.OFFLINE
        if self.paper.near_end:
            return PrinterStatus.PAPER_NEAR_END
        return PrinterStatus.ONLINE

    @property
    def detail(self) -> str:
        """Technician's words for what is wrong, e.g. "autocutter error"."""
        parts = []
        e = self.error_cause
        for flag, words in (
            (self.offline_cause.cover_open, "cover open"),
            (self.paper.paper_out, "paper out"),
            (self.paper.near_end and not self.paper.paper_out, "paper near end"),
            (e.autocutter, "autocutter error"),
            (e.unrecoverable, "unrecoverable error"),
            (e.recoverable and not e.autocutter, "recoverable error"),
            (self.status is PrinterStatus.OFFLINE and not self.error, "offline"),
        ):
            if flag:
                parts.append(words)
        return ", ".join(parts) or "online"


def parse_condition(replies: tuple[bytes, bytes, bytes, bytes]) -> PrinterCondition:
    """The replies to DLE EOT 1, 2, 3 and 4, in that order."""
    return PrinterCondition(
        parse_printer(replies[0]),
        parse_offline_cause(replies[1]),
        parse_error_cause(replies[2]),
        parse_paper(replies[3]),
    )


def status_of(replies: tuple[bytes | None, ...]) -> PrinterStatus:
    """The status for replies as read (None: no answer): UNKNOWN unless all four are valid."""
    if len(replies) != 4 or any(reply is None for reply in replies):
        return PrinterStatus.UNKNOWN
    try:
        return parse_condition(replies).status  # type: ignore[arg-type]
    except InvalidStatusReply:
        return PrinterStatus.UNKNOWN


ASB_LENGTH = 4


def parse_asb(block: bytes) -> PrinterCondition:
    """An Automatic Status Back block (``GS a n``): 4 bytes, first 0xx1xx00, then 0xx0xxxx."""
    if len(block) != ASB_LENGTH:
        raise InvalidStatusReply(f"an ASB block is 4 bytes, got {len(block)}")
    b1, b2, b3, b4 = block
    if b1 & 0x93 != 0x10 or any(b & 0x90 for b in (b2, b3, b4)):
        raise InvalidStatusReply(f"not an ASB block: {block.hex(' ')}")
    return PrinterCondition(
        # Byte 1: bit 2 drawer, 3 offline, 5 cover open, 6 feed button; byte 2 the error causes.
        PrinterReport(_bit(b1, 2), _bit(b1, 3), False, False),
        OfflineCause(_bit(b1, 5), _bit(b1, 6), bool(b3 & 0x0C), False),
        ErrorCause(_bit(b2, 2), _bit(b2, 3), _bit(b2, 5), _bit(b2, 6)),
        PaperReport(near_end=bool(b3 & 0x03), paper_out=bool(b3 & 0x0C)),
    )


# What a printer in each state answers to DLE EOT 1-4: the golden replies (devices.md) that the
# simulator sends and the tests read back.
GOLDEN_REPLIES: dict[str, tuple[int, int, int, int]] = {
    "normal": (0x12, 0x12, 0x12, 0x12),
    "near-end": (0x12, 0x12, 0x12, 0x1E),
    "paper-out": (0x1A, 0x32, 0x12, 0x7E),  # offline, stopped at paper end, both sensors
    "cover-open": (0x1A, 0x16, 0x12, 0x12),
    "offline": (0x1A, 0x12, 0x12, 0x12),
    "cutter-error": (0x1A, 0x52, 0x1A, 0x12),  # offline, error; n=3: autocutter
}
