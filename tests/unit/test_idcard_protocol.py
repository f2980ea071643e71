"""The SAM protocol and the card text block, byte for byte against the reference table."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from drivers.contracts import CardKind, Gender
from drivers.idcard.card_text import (
    CARD_TYPE,
    RESIDENT_LAYOUT,
    build_card_text,
    checked_id_number,
    parse_card_text,
    read_field,
)
from drivers.idcard.errors import (
    BadLength,
    BadPreamble,
    CardTextError,
    ChecksumMismatch,
    InvalidIdNumber,
    ShortFrame,
    UnknownCommand,
    UnknownStatus,
    UnsupportedCardType,
)
from drivers.idcard.protocol import (
    CardRecord,
    Command,
    FrameAssembler,
    SamStatus,
    build_read_data,
    build_reply,
    build_request,
    frame_length,
    parse_read_data,
    parse_reply,
    parse_request,
)
from drivers.simulated.idcard import load_deck

DECK = load_deck()
RARE_NAME_CARD = next(card for card in DECK if card.name == "王𠮷")
FOREIGN_CARD = next(card for card in DECK if card.kind is CardKind.FOREIGN_PERMANENT)
PERMIT_CARD = next(card for card in DECK if card.kind is CardKind.HK_MACAU_TAIWAN)


def hexbytes(text: str) -> bytes:
    return bytes.fromhex(text)


GOLDEN_REQUESTS = [
    (Command.RESET_SAM, "AA AA AA 96 69 00 03 10 FF EC"),
    (Command.SAM_STATUS, "AA AA AA 96 69 00 03 11 FF ED"),
    (Command.READ_SAM_ID, "AA AA AA 96 69 00 03 12 FF EE"),
    (Command.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
    (Command.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
    (Command.READ_CARD, "AA AA AA 96 69 00 03 30 01 32"),
    (Command.READ_ADDRESS, "AA AA AA 96 69 00 03 30 03 30"),
    (Command.READ_CARD_FINGERPRINT, "AA AA AA 96 69 00 03 30 10 23"),
]

GOLDEN_REPLIES = [
    (SamStatus.OK, b"", "AA AA AA 96 69 00 04 00 00 90 94"),
    (SamStatus.SAM_SELF_TEST_FAILED, b"", "AA AA AA 96 69 00 04 00 00 60 64"),
    (SamStatus.FIND_OK, bytes(4), "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97"),
    (SamStatus.NO_CARD, b"", "AA AA AA 96 69 00 04 00 00 80 84"),
    (SamStatus.OK, bytes(8), "AA AA AA 96 69 00 0C 00 00 90" + " 00" * 8 + " 9C"),
    (SamStatus.SELECT_FAILED, b"", "AA AA AA 96 69 00 04 00 00 81 85"),
    (SamStatus.READ_FAILED, b"", "AA AA AA 96 69 00 04 00 00 41 45"),
]


@pytest.mark.parametrize(("command", "golden"), GOLDEN_REQUESTS, ids=lambda v: str(v))
def test_every_request_frame_is_byte_exact_and_parses_back(command, golden) -> None:
    assert build_request(command) == hexbytes(golden)
    assert parse_request(hexbytes(golden)) == (command, b"")


@pytest.mark.parametrize(("status", "data", "golden"), GOLDEN_REPLIES)
def test_every_reply_frame_is_byte_exact_and_parses_back(status, data, golden) -> None:
    assert build_reply(status, data) == hexbytes(golden)
    reply = parse_reply(hexbytes(golden))
    assert (reply.status, reply.data) == (status, data)


def _read_reply(card, *, fingerprint: bytes | None = None) -> bytes:
    record = CardRecord(build_card_text(card), card.photo, fingerprint)
    return build_reply(SamStatus.OK, build_read_data(record))


def test_read_reply_has_the_reference_layout() -> None:
    card = DECK[0]
    frame = _read_reply(card)
    assert len(frame) == 1295
    assert frame[:14] == hexbytes("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
    assert frame[14:270] == build_card_text(card)
    assert frame[270:1294] == card.photo
    check = 0
    for byte in frame[5:1294]:
        check ^= byte
    assert frame[1294] == check
    record = parse_read_data(parse_reply(frame).data)
    assert parse_card_text(record.text, record.photo) == card


def test_read_with_fingerprint_has_three_lengths_and_text_at_16() -> None:
    card = DECK[2]
    fingerprint = bytes(range(256)) * 4
    frame = _read_reply(card, fingerprint=fingerprint)
    assert frame[10:16] == hexbytes("01 00 04 00 04 00")
    assert frame[16:272] == build_card_text(card)
    record = parse_read_data(parse_reply(frame).data, with_fingerprint=True)
    assert (record.photo, record.fingerprint) == (card.photo, fingerprint)
    empty = parse_read_data(
        build_read_data(CardRecord(record.text, card.photo, b"")), with_fingerprint=True
    )
    assert empty.fingerprint == b""


def test_length_is_the_high_byte_shifted_not_a_precedence_accident() -> None:
    # `b[5] << 8 + b[6]` would give 5 << 16; the length of a read reply is 0x0508.
    assert frame_length(hexbytes("AA AA AA 96 69 05 08")) == 1288


def test_every_status_code_of_the_table_has_its_meaning() -> None:
    table = {
        0x90: "ok", 0x9F: "card found", 0x91: "no such item", 0x10: "checksum error",
        0x11: "length error", 0x21: "bad command", 0x23: "unauthorised", 0x24: "unknown error",
        0x31: "authentication failed", 0x32: "authentication failed",
        0x33: "verification failed", 0x3F: "information length error",
        0x40: "unknown card type", 0x41: "read failed", 0x47: "random number failed",
        0x60: "SAM self-test failed", 0x66: "SAM not authorised", 0x80: "no card",
        0x81: "select failed",
    }  # fmt: skip
    assert {status.value: status.meaning for status in SamStatus} == table
    assert str(SamStatus.NO_CARD) == "80 (no card)"


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ("AA AA AA 96 69 00 04 00 00 90 95", ChecksumMismatch),
        ("AA AA AA 96 69 00 04 00 00 90", ShortFrame),
        ("AA AA AA 96 69 00", ShortFrame),
        ("AA AA AA 96 69 00 04 00 00 90 94 00", BadLength),
        ("AA AA AA 96 68 00 04 00 00 90 94", BadPreamble),
        ("AA AA AA 96 69 00 02 00 02", BadLength),
        ("AA AA AA 96 69 FF FF 00 00 90 94", BadLength),
        ("AA AA AA 96 69 00 04 00 00 77 73", UnknownStatus),
        ("AA AA AA 96 69 00 04 01 00 90 95", UnknownStatus),
        ("AA AA AA 96 69 00 03 00 00 03", ShortFrame),
    ],
)
def test_a_bad_reply_raises_its_own_error(frame, error) -> None:
    with pytest.raises(error):
        parse_reply(hexbytes(frame))


def test_an_unknown_request_is_refused() -> None:
    with pytest.raises(UnknownCommand):
        parse_request(hexbytes("AA AA AA 96 69 00 03 20 09 2A"))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"\x01", ShortFrame),
        (hexbytes("00 FF 04 00"), BadLength),  # text is always 256 bytes
        (hexbytes("01 00 08 00") + bytes(256 + 2048), BadLength),  # photo too long
        (hexbytes("01 00 04 00") + bytes(256 + 1023), BadLength),  # one byte missing
    ],
)
def test_bad_read_data_raises(data, error) -> None:
    with pytest.raises(error):
        parse_read_data(data)


def test_assembler_reads_the_header_then_len_more_and_skips_noise() -> None:
    frame = build_reply(SamStatus.FIND_OK, bytes(4))
    assembler = FrameAssembler()
    assert assembler.needed == 7
    assert assembler.feed(b"\x00\x13\xaa\xaa" + frame[:7]) is None
    assert assembler.needed == len(frame) - 7
    assert assembler.discarded == 4
    assert assembler.feed(frame[7:]) == frame
    # byte by byte, with a false start on a partial preamble
    assembler = FrameAssembler()
    stream = b"\xaa\xaa\x01" + frame + frame
    frames = [f for byte in stream if (f := assembler.feed(bytes([byte]))) is not None]
    assert frames == [frame, frame]


def test_assembler_drops_an_impossible_length_and_starts_clean() -> None:
    assembler = FrameAssembler()
    with pytest.raises(BadLength):
        assembler.feed(hexbytes("AA AA AA 96 69 00 01"))
    assert assembler.needed == 7
    assert assembler.feed(build_reply(SamStatus.OK)) == build_reply(SamStatus.OK)


# --- the text block ---------------------------------------------------------------------------


@pytest.mark.parametrize("card", DECK, ids=lambda card: f"{card.kind.name}-{card.gender.name}")
def test_every_deck_card_round_trips_through_the_text_block(card) -> None:
    block = build_card_text(card)
    assert len(block) == 256
    assert parse_card_text(block, card.photo) == card


def test_a_rare_character_name_does_not_shift_the_later_fields() -> None:
    block = build_card_text(RARE_NAME_CARD)
    assert block[:6] == "王𠮷".encode("utf-16-le")
    assert len(block[:6].decode("utf-16-le")) == 2  # 3 UTF-16 units, 2 characters
    assert block[30:32] == b"2\x00"  # gender stays at byte 30
    card = parse_card_text(block, RARE_NAME_CARD.photo)
    assert (card.name, card.gender, card.nation) == ("王𠮷", Gender.FEMALE, "01")
    assert card.id_number == "320106194809210042"
    # The bug this avoids: decoding first, then slicing characters, shifts every field by one.
    assert block.decode("utf-16-le")[15:16] != "2"


def test_the_foreign_permanent_card_is_read_by_its_2017_layout() -> None:
    block = build_card_text(FOREIGN_CARD)
    assert block[248:250] == b"I\x00"
    assert block[122:152].decode("utf-16-le").rstrip() == "CAN327910030150"
    assert block[240:248].decode("utf-16-le") == "1500"
    card = parse_card_text(block)
    assert card.kind is CardKind.FOREIGN_PERMANENT
    assert (card.english_name, card.nationality, card.name) == (
        "MARTIN, JOHN ALEXANDER",
        "CAN",
        "马丁",
    )
    assert (card.birth_date, card.valid_to) == (date(1979, 10, 3), date(2029, 5, 20))


def test_the_permit_carries_pass_number_and_issue_count() -> None:
    block = build_card_text(PERMIT_CARD)
    assert block[248:250] == b"J\x00"
    assert block[220:238].decode("utf-16-le") == "H60123456"
    card = parse_card_text(block)
    assert (card.pass_number, card.issue_count, card.nation) == ("H60123456", 1, "")


def test_no_expiry_is_none() -> None:
    card = parse_card_text(build_card_text(DECK[0]))
    assert card.valid_to is None
    assert build_card_text(DECK[0])[204:208].decode("utf-16-le") == "长期"


def _with_field(block: bytes, offset: int, text: str, size: int) -> bytes:
    padded = (text + " " * size).encode("utf-16-le")[:size]
    return block[:offset] + padded + block[offset + size :]


def test_a_wrong_check_digit_is_an_invalid_id_number() -> None:
    card = dataclasses.replace(DECK[0], id_number="320102195203140027")
    with pytest.raises(InvalidIdNumber, match="check digit"):
        parse_card_text(build_card_text(card))
    assert checked_id_number("11010519491231002X") == "11010519491231002X"
    for bad in ("1101051949123100", "A1010519491231002X", "110105194912310021"):
        with pytest.raises(InvalidIdNumber):
            checked_id_number(bad)


@pytest.mark.parametrize(
    ("offset", "text", "size", "error"),
    [
        (248, "Z", 2, UnsupportedCardType),  # no card type we know
        (248, "Z", 2, UnsupportedCardType),
        (30, "5", 2, CardTextError),  # gender
        (32, "99", 4, CardTextError),  # nation
        (36, "19521399", 16, CardTextError),  # birth date
        (188, "2012-5-1", 16, CardTextError),  # valid from
        (0, "", 30, CardTextError),  # no name
    ],
)
def test_a_bad_field_is_a_card_text_error(offset, text, size, error) -> None:
    block = _with_field(build_card_text(DECK[0]), offset, text, size)
    with pytest.raises(error):
        parse_card_text(block)


def test_a_surrogate_pair_cut_at_a_field_end_is_a_card_text_error() -> None:
    block = bytearray(build_card_text(DECK[0]))
    block[28:30] = "𠮷".encode("utf-16-le")[:2]  # high surrogate, its low half outside the name
    with pytest.raises(CardTextError, match="name"):
        parse_card_text(bytes(block))
    with pytest.raises(CardTextError):
        parse_card_text(bytes(255))


def test_read_field_strips_space_and_nul_padding() -> None:
    block = bytearray(build_card_text(DECK[0]))
    block[0:30] = "李秀英".encode("utf-16-le").ljust(30, b"\x00")
    assert read_field(bytes(block), RESIDENT_LAYOUT[0]) == "李秀英"
    assert read_field(bytes(block), CARD_TYPE) == ""


def test_a_field_too_long_for_the_card_is_refused_when_building() -> None:
    with pytest.raises(CardTextError, match="address"):
        build_card_text(dataclasses.replace(DECK[0], address="很" * 36))


def test_errors_and_reprs_carry_no_card_content() -> None:
    card = dataclasses.replace(DECK[0], id_number="320102195203140027")
    with pytest.raises(InvalidIdNumber) as caught:
        parse_card_text(build_card_text(card))
    assert "3201021952" not in str(caught.value)
    record = parse_read_data(parse_reply(_read_reply(DECK[0])).data)
    assert "李" not in repr(record) and "李" not in repr(parse_reply(_read_reply(DECK[0])))


def test_the_2023_foreign_card_is_read_by_its_own_layout() -> None:
    from drivers.contracts import CardKind
    from drivers.idcard.card_text import build_card_text, parse_card_text
    from drivers.simulated.idcard import load_deck

    card = next(c for c in load_deck() if c.kind is CardKind.FOREIGN_PERMANENT_2023)
    block = build_card_text(card)
    assert block[248:250] == "Y".encode("utf-16-le")
    # The English name runs over two fields: 35 characters at byte 52, the rest at byte 220.
    assert block[52:122].decode("utf-16-le").rstrip() == card.english_name[:35]
    assert block[220:242].decode("utf-16-le").rstrip() == card.english_name[35:]
    assert block[242:248].decode("utf-16-le") == "POL"
    assert parse_card_text(block, card.photo) == card
    broken = bytearray(block)
    broken[156:158] = "0".encode("utf-16-le") if card.id_number[17] != "0" else b"1\x00"
    with pytest.raises(InvalidIdNumber):
        parse_card_text(bytes(broken))
