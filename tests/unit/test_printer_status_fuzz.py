"""100,000 random and mutated replies through the status parsers: each is a status or an
InvalidStatusReply, nothing else, and nothing but four valid replies with the paper-end bits set
ever reads as paper out."""

from __future__ import annotations

import random

import pytest

from drivers.contracts import PrinterStatus
from drivers.printer.status import (
    GOLDEN_REPLIES,
    InvalidStatusReply,
    parse_asb,
    parse_gs_r_paper,
    parse_offline_cause,
    parse_paper,
    parse_printer,
    status_of,
)

pytestmark = pytest.mark.fuzz

ROUNDS = 100_000
GOLDEN = [bytes([b]) for replies in GOLDEN_REPLIES.values() for b in replies]


def _reply(rng: random.Random) -> bytes | None:
    roll = rng.random()
    if roll < 0.05:
        return None  # timeout
    if roll < 0.5:
        mutated = bytearray(rng.choice(GOLDEN))
        mutated[0] ^= 1 << rng.randrange(8)
        return bytes(mutated) if rng.random() < 0.8 else bytes(mutated) + rng.randbytes(1)
    if roll < 0.7:
        return rng.choice(GOLDEN)
    return rng.randbytes(rng.randrange(0, 6))


def test_status_parsers_never_crash_and_never_guess_paper_out() -> None:
    rng = random.Random(20240503)
    outcomes: dict[str, int] = {"valid": 0, "invalid": 0, "asb": 0}
    for _ in range(ROUNDS):
        replies = tuple(_reply(rng) for _ in range(4))
        status = status_of(replies)
        assert isinstance(status, PrinterStatus)
        valid = all(r is not None and len(r) == 1 and r[0] & 0x93 == 0x12 for r in replies)
        if not valid:
            assert status is PrinterStatus.UNKNOWN
        elif status is PrinterStatus.PAPER_OUT:
            assert replies[3][0] & 0x60 or replies[1][0] & 0x20  # type: ignore[index]
        for parse in (parse_printer, parse_offline_cause, parse_paper, parse_gs_r_paper):
            try:
                parse(replies[0] or b"")
                outcomes["valid"] += 1
            except InvalidStatusReply:
                outcomes["invalid"] += 1
        block = b"".join(r or b"" for r in replies)
        try:
            assert isinstance(parse_asb(block).status, PrinterStatus)
            outcomes["asb"] += 1
        except InvalidStatusReply:
            assert len(block) != 4 or block[0] & 0x93 != 0x10 or any(b & 0x90 for b in block[1:])
    # The generator reaches both sides of every parser.
    assert outcomes["valid"] > ROUNDS and outcomes["invalid"] > ROUNDS and outcomes["asb"]
