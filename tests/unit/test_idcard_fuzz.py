"""Fuzzing the ID-card parsers: random and mutated frames, seeded, 100,000 and more.

Every input must end in a parsed reply or card, or in one of our typed errors
(IdCardReaderError); anything else (IndexError, UnicodeDecodeError, ValueError...) is a crash.
"""

from __future__ import annotations

import random
import time

import pytest

from drivers.idcard.card_text import build_card_text, parse_card_text
from drivers.idcard.errors import IdCardReaderError
from drivers.idcard.protocol import (
    PREAMBLE,
    CardRecord,
    FrameAssembler,
    SamStatus,
    build_read_data,
    build_reply,
    parse_read_data,
    parse_reply,
)
from drivers.simulated.idcard import load_deck

pytestmark = pytest.mark.fuzz

DECK = load_deck()
FRAMES = 100_000


def _valid_replies() -> list[bytes]:
    replies = [build_reply(status) for status in SamStatus]
    replies += [build_reply(SamStatus.FIND_OK, bytes(4)), build_reply(SamStatus.OK, bytes(8))]
    for card in DECK:
        text = build_card_text(card)
        replies.append(build_reply(SamStatus.OK, build_read_data(CardRecord(text, card.photo))))
        replies.append(
            build_reply(SamStatus.OK, build_read_data(CardRecord(text, card.photo, b"\x01" * 64)))
        )
    return replies


def mutate(frame: bytes, rng: random.Random) -> bytes:
    data = bytearray(frame)
    for _ in range(rng.choice((1, 1, 1, 2, 3, 8))):
        how = rng.randrange(5)
        at = rng.randrange(len(data) + 1)
        if how == 0 and data:  # flip bits
            at = min(at, len(data) - 1)
            data[at] ^= 1 << rng.randrange(8)
        elif how == 1:  # insert
            data[at:at] = rng.randbytes(rng.randint(1, 4))
        elif how == 2 and data:  # delete
            del data[at : at + rng.randint(1, 4)]
        elif how == 3:  # truncate
            del data[at:]
        else:  # overwrite a byte inside the text block (past the checksum's reach if resummed)
            if len(data) > 300:
                data[rng.randrange(14, 270)] = rng.randrange(256)
                check = 0
                for byte in data[5:-1]:
                    check ^= byte
                data[-1] = check
    return bytes(data)


def random_frame(rng: random.Random) -> bytes:
    kind = rng.randrange(3)
    if kind == 0:
        return rng.randbytes(rng.randint(0, 40))
    body = rng.randbytes(rng.randint(0, 300))
    if kind == 1:  # a plausible header on random content
        return PREAMBLE + len(body).to_bytes(2, "big") + body
    return PREAMBLE + rng.randbytes(2) + body


def decode(frame: bytes) -> object:
    """What the driver does with one reply, as pure calls."""
    reply = parse_reply(frame)
    if reply.status is SamStatus.OK and len(reply.data) > 8:
        fingerprint = reply.data[4:6] != b"\x01\x00" and len(reply.data) > 1286
        record = parse_read_data(reply.data, with_fingerprint=fingerprint)
        return parse_card_text(record.text, record.photo)
    return reply


def test_100k_random_and_mutated_frames_give_results_or_typed_errors() -> None:
    rng = random.Random(20240603)
    valid = _valid_replies()
    outcomes = {"parsed": 0, "typed error": 0}
    started = time.monotonic()
    for n in range(FRAMES):
        frame = mutate(rng.choice(valid), rng) if n % 4 else random_frame(rng)
        try:
            decode(frame)
            outcomes["parsed"] += 1
        except IdCardReaderError:
            outcomes["typed error"] += 1
    elapsed = time.monotonic() - started
    assert sum(outcomes.values()) == FRAMES
    # Both paths were exercised: some mutations survive (e.g. an inner byte re-summed).
    assert outcomes["parsed"] > 100 and outcomes["typed error"] > FRAMES / 2
    assert elapsed < 25, f"the parser is too slow or hangs: {elapsed:.1f} s"


def test_the_assembler_never_hangs_or_crashes_on_a_mutated_stream() -> None:
    rng = random.Random(7)
    valid = _valid_replies()
    assembler = FrameAssembler()
    frames = errors = 0
    for _ in range(20_000):
        stream = mutate(rng.choice(valid), rng) + rng.randbytes(rng.randint(0, 8))
        at = 0
        while at < len(stream):
            size = rng.randint(1, max(1, assembler.needed))
            chunk, at = stream[at : at + size], at + size
            try:
                frame = assembler.feed(chunk)
            except IdCardReaderError:
                errors += 1
                continue
            while frame is not None:
                frames += 1
                try:
                    decode(frame)
                except IdCardReaderError:
                    errors += 1
                frame = assembler.feed(b"")
            assert assembler.needed >= 1
    assert frames > 1000 and errors > 0
