"""The simulator's ESC/POS reader: our own bytes read back, in any pieces, and noise survived."""

from __future__ import annotations

import random

from drivers.contracts import Align, Cut, Feed, PrintJob, QrCode, TextLine, TextSize
from drivers.printer.escpos_bytes import MODELS, job_bytes
from drivers.printer.escpos_reader import (
    ChineseMode,
    CutPaper,
    EscPosReader,
    FeedLines,
    Initialize,
    PrintMode,
    QrFunction,
    Raster,
    SetSize,
    StatusQuery,
    Text,
    Unknown,
)

JOB = PrintJob(
    (
        TextLine("缴费凭证", size=TextSize.DOUBLE, align=Align.CENTER),
        TextLine("户名: 王𠮷"),
        QrCode("https://inv.example/e?id=42"),
        Feed(2),
        Cut(),
    )
)


def test_our_bytes_read_back_the_same_in_any_pieces() -> None:
    data = job_bytes(JOB, MODELS["58mm"]) + b"\x10\x04\x04"
    whole = EscPosReader().feed(data)
    reader, pieces = EscPosReader(), []
    for byte in data:
        pieces += reader.feed(bytes([byte]))
    assert _merged(pieces) == _merged(whole) and reader.pending == 0
    kinds = [type(c) for c in whole]
    assert kinds[:2] == [Initialize, ChineseMode] and SetSize(2, 2) in whole
    assert b"".join(c.data for c in whole if isinstance(c, Text)).decode("gb18030") == "缴费凭证"
    assert sum(isinstance(c, Raster) for c in whole) == 1
    assert [c.fn for c in whole if isinstance(c, QrFunction)] == [65, 67, 69, 80, 81]
    assert FeedLines(2) in whole and CutPaper(partial=True) in whole
    assert whole[-1] == StatusQuery(4)


def _merged(commands: list) -> list:
    """Adjacent text runs as one: where a run is split depends on how the bytes arrived."""
    out: list = []
    for command in commands:
        if isinstance(command, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].data + command.data)
        else:
            out.append(command)
    return out


def test_an_absurd_raster_header_is_skipped_not_awaited() -> None:
    commands = EscPosReader().feed(b"\x1d\x76\x30\x00\xff\xff\xff\xff" + b"\x10\x04\x01")
    assert isinstance(commands[0], Unknown) and commands[-1] == StatusQuery(1)


def test_noise_never_crashes_the_reader() -> None:
    rng = random.Random(7)
    reader = EscPosReader()
    for _ in range(20_000):
        for command in reader.feed(rng.randbytes(rng.randrange(1, 16))):
            assert command is not None
    # After noise, a complete command at a boundary still reads.
    reader = EscPosReader()
    assert reader.feed(b"\x07\x1b\x40") == [Unknown(b"\x07"), Initialize()]


def test_esc_bang_reads_as_emphasis_and_double_width_and_height() -> None:
    commands = EscPosReader().feed(b"\x1b!\x38\x1b!\x20\x1b!\x10\x1b!\x00")
    assert commands == [
        PrintMode(bold=True, width=2, height=2),
        PrintMode(bold=False, width=2, height=1),
        PrintMode(bold=False, width=1, height=2),
        PrintMode(bold=False, width=1, height=1),
    ]
