"""A wedge scanner's evdev stream to codes, from raw input_event bytes: keys, Shift, Caps Lock,
end keys, split records, every refusal, and 100,000 random and mutated streams."""

from __future__ import annotations

import random
import string

import pytest

from drivers.scanner.evdev_keys import (
    EV_KEY,
    EV_SYN,
    INPUT_EVENT,
    KEY_CAPSLOCK,
    KEY_ENTER,
    KEY_KPENTER,
    KEY_LEFTCTRL,
    KEY_LEFTSHIFT,
    KEY_PRESSED,
    KEY_RELEASED,
    KEY_REPEATED,
    KEY_RIGHTSHIFT,
    KEY_TAB,
    KEYS,
    SYN_DROPPED,
    SYN_REPORT,
    InputEvent,
    InputEventReader,
    KeyRejectReason,
    KeystrokeDecoder,
    RejectedKeys,
    WedgeFramer,
    keystrokes,
    pack_events,
)
from drivers.scanner.framing import CodeLine

PAY = "134567890123456789"
BILL = "https://95598.js.SGCC.local/bill?id=3201_000001&k=a%2Fb+c:d-e.f"
KEY_A, KEY_1, KEY_F1, KEY_KP1, KEY_KP0 = 30, 2, 59, 79, 82
TYPED = {char for pair in KEYS.values() for char in pair}


def _decode(*streams: list[InputEvent], **options) -> list:
    return WedgeFramer(**options).feed(b"".join(pack_events(s) for s in streams))


def _key(code: int, value: int, at: float = 0.0) -> list[InputEvent]:
    sec = int(at)
    usec = round((at - sec) * 1e6)
    return [InputEvent(sec, usec, EV_KEY, code, value), InputEvent(sec, usec, EV_SYN, 0, 0)]


def _tap(code: int, at: float = 0.0) -> list[InputEvent]:
    return _key(code, KEY_PRESSED, at) + _key(code, KEY_RELEASED, at)


def test_the_record_is_the_kernels_24_bytes() -> None:
    assert INPUT_EVENT.size == 24
    raw = INPUT_EVENT.pack(1_700_000_000, 123_456, EV_KEY, KEY_A, KEY_PRESSED)
    assert InputEventReader().feed(raw) == [
        InputEvent(1_700_000_000, 123_456, EV_KEY, KEY_A, KEY_PRESSED)
    ]


@pytest.mark.parametrize("end", [KEY_ENTER, KEY_KPENTER, KEY_TAB])
def test_each_end_key_ends_a_code_with_shifted_characters(end: int) -> None:
    assert _decode(keystrokes(PAY, end=end), keystrokes(BILL, end=end)) == [
        CodeLine(PAY),
        CodeLine(BILL),
    ]


def test_every_character_of_the_table_reads_back() -> None:
    text = "".join(sorted(TYPED - {" "}))
    assert _decode(keystrokes(text)) == [CodeLine(text)]
    assert set("-_./:?=&%+") <= TYPED and set(string.ascii_letters + string.digits) <= TYPED


def test_records_split_anywhere_give_the_same_code() -> None:
    raw = pack_events(keystrokes(BILL))
    framer = WedgeFramer()
    codes = [code for byte in raw for code in framer.feed(bytes([byte]))]
    assert codes == [CodeLine(BILL)]
    assert framer.pending == 0
    assert framer.feed(raw[:30]) == [] and framer.events.pending == 6


def test_right_shift_caps_lock_and_the_keypad() -> None:
    shifted_a = _key(KEY_RIGHTSHIFT, KEY_PRESSED) + _tap(KEY_A) + _key(KEY_RIGHTSHIFT, KEY_RELEASED)
    caps = _tap(KEY_CAPSLOCK)
    stream = shifted_a + _tap(KEY_A) + caps + _tap(KEY_A) + _tap(KEY_1)
    stream += _key(KEY_LEFTSHIFT, KEY_PRESSED) + _tap(KEY_A) + _key(KEY_LEFTSHIFT, KEY_RELEASED)
    stream += caps + _tap(KEY_KP1) + _tap(KEY_KP0) + _tap(KEY_ENTER)
    # Caps Lock flips letters, not digits; Shift with Caps Lock gives lower case.
    assert _decode(stream) == [CodeLine("AaA1a10")]


def test_a_shift_release_is_followed() -> None:
    stream = _key(KEY_LEFTSHIFT, KEY_PRESSED) + _tap(KEY_A) + _key(KEY_LEFTSHIFT, KEY_RELEASED)
    assert _decode(stream + _tap(KEY_A) + _tap(KEY_ENTER)) == [CodeLine("Aa")]


def test_scan_codes_leds_and_empty_codes_are_not_codes() -> None:
    noise = [InputEvent(0, 0, 4, 4, 0x70004), InputEvent(0, 0, 17, 1, 1)]
    stream = noise + keystrokes("AB", end=KEY_TAB) + _tap(KEY_ENTER) + _tap(KEY_ENTER)
    assert _decode(stream) == [CodeLine("AB")]  # Tab then Enter: one code


@pytest.mark.parametrize(
    ("spoiler", "reason"),
    [
        (_tap(KEY_F1), KeyRejectReason.UNMAPPED_KEY),
        (
            _key(KEY_LEFTCTRL, KEY_PRESSED) + _tap(KEY_A) + _key(KEY_LEFTCTRL, KEY_RELEASED),
            KeyRejectReason.COMMAND_KEY,
        ),
        (_key(KEY_A, KEY_REPEATED), KeyRejectReason.HELD_KEY),
        (_key(KEY_A, 7), KeyRejectReason.BAD_EVENT),
        ([InputEvent(0, 0, EV_SYN, SYN_DROPPED, 0)], KeyRejectReason.EVENTS_DROPPED),
    ],
)
def test_an_untrustworthy_key_refuses_its_code_and_the_next_one_reads(
    spoiler: list[InputEvent], reason: KeyRejectReason
) -> None:
    codes = _decode(keystrokes("12", end=None), spoiler, keystrokes("3"), keystrokes(PAY))
    assert codes[0] == RejectedKeys(reason, codes[0].length)
    assert codes[1:] == [CodeLine(PAY)]


def test_events_after_a_drop_are_skipped_until_the_next_report() -> None:
    dropped = [InputEvent(0, 0, EV_SYN, SYN_DROPPED, 0), InputEvent(0, 0, EV_KEY, KEY_ENTER, 1)]
    stream = [*dropped, InputEvent(0, 0, EV_SYN, SYN_REPORT, 0), *keystrokes("9")]
    assert _decode(keystrokes("12", end=None), stream, keystrokes("AB")) == [
        RejectedKeys(KeyRejectReason.EVENTS_DROPPED, 3),
        CodeLine("AB"),
    ]


def test_a_code_without_an_end_is_refused_once_at_the_bound_and_never_grows() -> None:
    decoder = KeystrokeDecoder(max_chars=10)
    codes = decoder.feed(keystrokes("7" * 500, end=None))
    assert codes == [RejectedKeys(KeyRejectReason.TOO_LONG, 11)]
    assert decoder.pending == 10
    assert decoder.feed(_tap(KEY_ENTER) + keystrokes("12345")) == [CodeLine("12345")]


def test_a_half_code_is_not_glued_to_the_next_scan() -> None:
    half = keystrokes("13456", end=None, at=100.0)
    later = keystrokes(PAY, at=105.0)
    assert _decode(half, later) == [
        RejectedKeys(KeyRejectReason.UNFINISHED, 5),
        CodeLine(PAY),
    ]


def test_blank_codes_are_refused_and_reset_forgets_a_partial_code_and_shift() -> None:
    assert _decode(keystrokes("   ")) == [RejectedKeys(KeyRejectReason.BLANK, 3)]
    decoder = KeystrokeDecoder()
    decoder.feed(keystrokes("12", end=None) + _key(KEY_LEFTSHIFT, KEY_PRESSED))
    decoder.reset()
    assert decoder.pending == 0
    assert decoder.feed(keystrokes("a")) == [CodeLine("a")]


def test_refusals_keep_no_text_and_codes_are_masked_in_logs() -> None:
    (refusal,) = _decode(keystrokes(PAY, end=None), _tap(KEY_F1), _tap(KEY_ENTER))
    assert PAY not in repr(refusal)
    assert PAY not in repr(_decode(keystrokes(PAY)))


def test_building_refuses_characters_no_us_key_types() -> None:
    with pytest.raises(ValueError):
        keystrokes("电费")
    with pytest.raises(ValueError):
        KeystrokeDecoder(max_chars=0)
    with pytest.raises(ValueError):
        KeystrokeDecoder(max_gap_s=0)


# --- fuzz -------------------------------------------------------------------------------------

ALPHABET = "".join(sorted(TYPED))
KEY_CODES = [*KEYS, KEY_ENTER, KEY_KPENTER, KEY_TAB, KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_CAPSLOCK]


def _random_events(rng: random.Random) -> list[InputEvent]:
    events = []
    for _ in range(rng.randrange(1, 16)):
        kind = rng.choice((EV_KEY, EV_KEY, EV_KEY, EV_SYN, 4, 17, rng.randrange(0x10000)))
        code = rng.choice((rng.choice(KEY_CODES), rng.randrange(0x300), rng.randrange(0x10000)))
        value = rng.choice((0, 1, 1, 2, rng.randrange(-(2**31), 2**31)))
        at = rng.choice((0, rng.randrange(-(2**40), 2**40)))
        events.append(InputEvent(at, rng.randrange(1_000_000), kind, code, value))
    return events


def _mutated(rng: random.Random) -> bytes:
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(1, 12)))
    events = keystrokes(text, end=rng.choice((KEY_ENTER, KEY_TAB, None)), at=rng.random() * 9)
    for _ in range(rng.randrange(1, 4)):
        where = rng.randrange(len(events))
        action = rng.randrange(4)
        if action == 0:
            del events[where]
        elif action == 1:
            events.insert(where, events[rng.randrange(len(events))])
        elif action == 2:
            events[where:where] = _random_events(rng)[:2]
        else:
            events[where] = events[where]._replace(value=rng.choice((2, 3, -1)))
    raw = bytearray(pack_events(events))
    for _ in range(rng.randrange(0, 3)):
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    if rng.random() < 0.2:
        del raw[rng.randrange(len(raw)) :]
    return bytes(raw)


def _check(framer: WedgeFramer, data: bytes, rng: random.Random) -> list:
    codes = []
    at = 0
    while at < len(data):  # in the pieces a pipe might deliver
        step = rng.choice((len(data), 24, rng.randrange(1, 50)))
        codes += framer.feed(data[at : at + step])
        at += step
    assert framer.events.pending < INPUT_EVENT.size
    assert framer.keys.pending <= framer.keys.max_chars
    for code in codes:
        if isinstance(code, CodeLine):
            assert 0 < len(code.text) <= framer.keys.max_chars
            assert set(code.text) <= TYPED and code.text.strip()
        else:
            assert isinstance(code, RejectedKeys)
            assert isinstance(code.reason, KeyRejectReason) and code.length >= 0
    return codes


@pytest.mark.fuzz
def test_100000_random_and_mutated_streams_give_codes_or_typed_refusals() -> None:
    rng = random.Random(20240603)
    reasons: set[KeyRejectReason] = set()
    clean = 0
    for round_ in range(100_000):
        framer = WedgeFramer(max_chars=rng.choice((8, 64, 512)), max_gap_s=0.5)
        kind = round_ % 4
        if kind == 0:
            data = rng.randbytes(rng.randrange(0, 200))
        elif kind == 1:
            data = pack_events(_random_events(rng))
        elif kind == 2:
            data = _mutated(rng)
        else:
            # A clean scan, whatever the chunking, reads back exactly.
            text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(1, 8))) + "0"
            data = pack_events(keystrokes(text, end=rng.choice((KEY_ENTER, KEY_KPENTER))))
            assert _check(framer, data, rng) == [CodeLine(text)]
            clean += 1
            continue
        reasons |= {c.reason for c in _check(framer, data, rng) if isinstance(c, RejectedKeys)}
    assert clean == 25_000
    assert reasons >= set(KeyRejectReason) - {KeyRejectReason.BLANK}
