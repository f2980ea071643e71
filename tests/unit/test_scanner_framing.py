"""The serial scanner's framing, from raw bytes: suffixes, split reads, garbage, fuzz."""

from __future__ import annotations

import random

import pytest

from drivers.scanner.framing import (
    MAX_CODE_BYTES,
    CodeLine,
    LineFramer,
    RejectedLine,
    RejectReason,
    judge_line,
)
from drivers.scanner.models import MODELS, model_named

PAY = "134567890123456789"


@pytest.mark.parametrize("suffix", [b"\r", b"\r\n", b"\n"])
def test_each_suffix_ends_a_code(suffix: bytes) -> None:
    framer = LineFramer()
    assert framer.feed(PAY.encode() + suffix + b"https://x/bill/1" + suffix) == [
        CodeLine(PAY),
        CodeLine("https://x/bill/1"),
    ]
    assert framer.pending == 0


def test_crlf_split_across_reads_is_one_line_not_two() -> None:
    framer = LineFramer()
    assert framer.feed(b"ABC\r") == [CodeLine("ABC")]
    assert framer.feed(b"\nDEF\r") == [CodeLine("DEF")]
    assert framer.feed(b"\n") == []


def test_a_code_arriving_byte_by_byte_is_one_code() -> None:
    framer = LineFramer()
    lines = [line for byte in b"3201000001\r\n" for line in framer.feed(bytes([byte]))]
    assert lines == [CodeLine("3201000001")]


def test_a_partial_line_waits_and_reset_forgets_it() -> None:
    framer = LineFramer()
    assert framer.feed(b"13456") == []
    assert framer.pending == 5
    framer.reset()
    assert framer.feed(b"789\r") == [CodeLine("789")]


def test_utf8_codes_are_text() -> None:
    assert LineFramer().feed("电费-单号\r".encode()) == [CodeLine("电费-单号")]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"AB\x00CD", RejectReason.CONTROL_BYTES),
        (b"\x1b[2J", RejectReason.CONTROL_BYTES),
        (b"AB\x7f", RejectReason.CONTROL_BYTES),
        (b"\xff\xfe\x80", RejectReason.NOT_TEXT),
        ("A\u0085B".encode(), RejectReason.CONTROL_BYTES),
        (b"   ", RejectReason.BLANK),
        (b"9" * (MAX_CODE_BYTES + 1), RejectReason.TOO_LONG),
    ],
)
def test_garbage_lines_are_refused_with_their_reason(raw: bytes, reason: RejectReason) -> None:
    assert judge_line(raw) == RejectedLine(reason, len(raw))


def test_an_overlong_line_is_refused_once_and_skipped_to_its_end() -> None:
    framer = LineFramer(max_bytes=8)
    lines = framer.feed(b"0123456789ABCDEF" * 10)
    assert lines == [RejectedLine(RejectReason.TOO_LONG, 9)]
    assert framer.pending == 0  # bounded: babble without a suffix does not grow the buffer
    assert framer.feed(b"still-the-same\rOK\r") == [CodeLine("OK")]


def test_command_acknowledgements_are_not_lines() -> None:
    gm65 = model_named("gm65")
    framer = LineFramer(ignore=(gm65.acknowledgement,))
    assert framer.feed(gm65.acknowledgement + b"CODE\r") == [CodeLine("CODE")]


def test_models_are_data_with_the_documented_trigger_bytes() -> None:
    assert not MODELS["continuous"].triggered
    assert MODELS["honeywell"].start == bytes.fromhex("16 54 0D")
    assert MODELS["honeywell"].stop == bytes.fromhex("16 55 0D")
    assert MODELS["gm65"].start == bytes.fromhex("7E 00 08 01 00 02 01 AB CD")
    assert MODELS["zebra-ssi"].start == bytes.fromhex("04 E4 04 00 FF 14")
    with pytest.raises(ValueError, match="known models"):
        model_named("acme")


def test_the_repr_of_a_code_hides_most_of_it() -> None:
    assert PAY not in repr(CodeLine(PAY))


def _mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(4)
        at = rng.randrange(len(out) + 1)
        if op == 0:
            out.insert(at, rng.randrange(256))
        elif op == 1 and out:
            del out[min(at, len(out) - 1)]
        elif op == 2 and out:
            out[min(at, len(out) - 1)] = rng.randrange(256)
        else:
            out[at:at] = rng.choice([b"\r", b"\n", b"\r\n", b"\x00", b"\xff" * 40])
    return bytes(out)


@pytest.mark.fuzz
def test_fuzz_100000_random_and_mutated_inputs_never_crash() -> None:
    rng = random.Random(20240603)
    seeds = [PAY.encode() + b"\r", b"https://95598/bill/3201000001\r\n", "电费\n".encode()]
    framer = LineFramer(max_bytes=64)
    codes = rejected = 0
    for i in range(100_000):
        data = _mutate(rng, rng.choice(seeds)) if i % 2 else rng.randbytes(rng.randint(0, 24))
        for line in framer.feed(data):
            if isinstance(line, CodeLine):
                codes += 1
                text = line.text
                assert text.strip() and len(text.encode()) <= 64
                assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text)
            else:
                rejected += 1
                assert isinstance(line.reason, RejectReason) and line.length > 0
        assert framer.pending <= 64
    assert codes > 1000 and rejected > 1000  # both paths were exercised
