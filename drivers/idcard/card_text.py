"""The 256-byte text block of a card: UTF-16LE fields at fixed BYTE offsets, space padded.

Four layouts, told apart by the type marker at bytes 248-249: none (spaces) for the resident
identity card, "I" for the 2017 foreign permanent resident ID card, "Y" for its 2023 successor
(18-character number with a GB 11643 check digit, like a resident's), "J" for the Hong Kong /
Macau / Taiwan residence permit. Each field is sliced by bytes before it is decoded: a rare
character such as 𠮷 (U+20BB7) is two UTF-16 units, so slicing decoded characters would shift
every later field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from drivers.contracts import CardKind, Gender, IdCard
from drivers.idcard.errors import CardTextError, InvalidIdNumber, UnsupportedCardType
from drivers.idcard.protocol import TEXT_SIZE
from rules.id_number import id_number_check_digit

PADDING = " \x00"  # spaces by the standard; some readers pad with NULs
NO_EXPIRY = "长期"


class _CommonFields(TypedDict):
    """What every kind of card carries in the same place."""

    kind: CardKind
    name: str
    gender: Gender
    birth_date: date
    valid_from: date
    valid_to: date | None
    photo: bytes


@dataclass(frozen=True)
class Field:
    name: str
    offset: int  # in bytes
    size: int  # in bytes


RESIDENT_LAYOUT = (
    Field("name", 0, 30),
    Field("gender", 30, 2),
    Field("nation", 32, 4),
    Field("birth_date", 36, 16),
    Field("address", 52, 70),
    Field("id_number", 122, 36),
    Field("authority", 158, 30),
    Field("valid_from", 188, 16),
    Field("valid_to", 204, 16),
)
PERMIT_LAYOUT = (
    *RESIDENT_LAYOUT,
    Field("pass_number", 220, 18),
    Field("issue_count", 238, 4),
)
FOREIGN_LAYOUT = (
    Field("english_name", 0, 120),
    Field("gender", 120, 2),
    Field("id_number", 122, 30),
    Field("nationality", 152, 6),
    Field("name", 158, 30),
    Field("valid_from", 188, 16),
    Field("valid_to", 204, 16),
    Field("birth_date", 220, 16),
    Field("version", 236, 4),
    Field("authority_code", 240, 8),
)
# The 2023 card, as public reader code lays it out (not in our reference notes: verify against
# a real card). Its English name runs over two fields, 35 + 11 characters.
FOREIGN_2023_LAYOUT = (
    Field("name", 0, 30),
    Field("gender", 30, 2),
    Field("renewals", 32, 4),
    Field("birth_date", 36, 16),
    Field("english_name", 52, 70),
    Field("id_number", 122, 36),
    Field("valid_from", 188, 16),
    Field("valid_to", 204, 16),
    Field("english_name_more", 220, 22),
    Field("nationality", 242, 6),
)
CARD_TYPE = Field("card_type", 248, 2)

_KINDS = {
    "": CardKind.RESIDENT,
    "I": CardKind.FOREIGN_PERMANENT,
    "Y": CardKind.FOREIGN_PERMANENT_2023,
    "J": CardKind.HK_MACAU_TAIWAN,
}
_MARKERS = {kind: marker for marker, kind in _KINDS.items()}
_LAYOUTS = {
    CardKind.RESIDENT: RESIDENT_LAYOUT,
    CardKind.FOREIGN_PERMANENT: FOREIGN_LAYOUT,
    CardKind.FOREIGN_PERMANENT_2023: FOREIGN_2023_LAYOUT,
    CardKind.HK_MACAU_TAIWAN: PERMIT_LAYOUT,
}
# Every foreign permanent resident card is issued by the national immigration administration;
# the 2023 card does not carry it.
IMMIGRATION_ADMINISTRATION = "中华人民共和国国家移民管理局"
ENGLISH_NAME_FIRST = 35  # characters in the 2023 card's first English-name field
# The foreign card carries its issuing authority as a 4-digit code. The one code this table
# knows is the one our synthetic card uses; an unknown code is shown as the code itself.
AUTHORITY_CODES = {"1500": IMMIGRATION_ADMINISTRATION}
FOREIGN_CARD_VERSION = "01"  # carried by the card, not kept in IdCard
NATION_CODES = frozenset(f"{n:02d}" for n in range(1, 57)) | {"97", "98"}


# --- reading -------------------------------------------------------------------------------------


def read_field(block: bytes, field: Field) -> str:
    raw = block[field.offset : field.offset + field.size]
    try:
        return raw.decode("utf-16-le").rstrip(PADDING)
    except UnicodeDecodeError:
        # The field's name only: its bytes are a person's data.
        raise CardTextError(f"field {field.name} is not valid UTF-16LE") from None


def card_kind(block: bytes) -> CardKind:
    marker = read_field(block, CARD_TYPE)
    kind = _KINDS.get(marker)
    if kind is None:
        raise UnsupportedCardType(f"card type marker {marker.encode('unicode_escape')!r}")
    return kind


def parse_card_text(block: bytes, photo: bytes = b"") -> IdCard:
    """The IdCard a text block describes; ``photo`` is kept as opaque bytes."""
    if len(block) != TEXT_SIZE:
        raise CardTextError(f"a text block is {TEXT_SIZE} bytes, got {len(block)}")
    kind = card_kind(block)
    fields = {field.name: read_field(block, field) for field in _LAYOUTS[kind]}
    valid_to = fields["valid_to"]
    common: _CommonFields = {
        "kind": kind,
        "name": _required(fields, "name"),
        "gender": _gender(fields["gender"]),
        "birth_date": _date(fields, "birth_date"),
        "valid_from": _date(fields, "valid_from"),
        "valid_to": None if valid_to == NO_EXPIRY else _date(fields, "valid_to"),
        "photo": bytes(photo),
    }
    if kind is CardKind.FOREIGN_PERMANENT:
        code = fields["authority_code"]
        return IdCard(
            **common,
            nation="",
            address="",
            id_number=_foreign_number(fields["id_number"]),
            authority=AUTHORITY_CODES.get(code, code),
            english_name=fields["english_name"],
            nationality=_nationality(fields["nationality"]),
        )
    if kind is CardKind.FOREIGN_PERMANENT_2023:
        return IdCard(
            **common,
            nation="",
            address="",
            id_number=checked_id_number(fields["id_number"]),
            authority=IMMIGRATION_ADMINISTRATION,
            english_name=fields["english_name"] + fields["english_name_more"],
            nationality=_nationality(fields["nationality"]),
            issue_count=_issue_count(fields["renewals"]),
        )
    card = IdCard(
        **common,
        nation=_nation(fields["nation"], blank_allowed=kind is CardKind.HK_MACAU_TAIWAN),
        address=fields["address"],
        id_number=checked_id_number(fields["id_number"]),
        authority=fields["authority"],
        pass_number=fields.get("pass_number", ""),
        issue_count=_issue_count(fields.get("issue_count", "")),
    )
    return card


def checked_id_number(text: str) -> str:
    """An 18-character ID number whose GB 11643 check digit is right, else InvalidIdNumber."""
    if len(text) != 18 or not text[:17].isascii() or not text[:17].isdigit():
        raise InvalidIdNumber("an ID number is 17 digits and a check character")
    if id_number_check_digit(text[:17]) != text[17]:
        raise InvalidIdNumber("the ID number's check digit is wrong")
    return text


def _required(fields: dict[str, str], name: str) -> str:
    if not fields[name]:
        raise CardTextError(f"field {name} is empty")
    return fields[name]


def _date(fields: dict[str, str], name: str) -> date:
    text = fields[name]
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise CardTextError(f"field {name} is not a YYYYMMDD date")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise CardTextError(f"field {name} is not a calendar date") from None


def _gender(text: str) -> Gender:
    if text not in {"0", "1", "2", "9"}:
        raise CardTextError("field gender is not 0, 1, 2 or 9")
    return Gender(int(text))


def _nation(text: str, *, blank_allowed: bool) -> str:
    if text in NATION_CODES or (blank_allowed and not text):
        return text
    raise CardTextError("field nation is not a nation code")


def _foreign_number(text: str) -> str:
    # Nationality (3 letters) and 12 digits; its check character is not GB 11643.
    if len(text) != 15 or not text.isascii() or not (text[:3].isalpha() and text[3:].isdigit()):
        raise InvalidIdNumber("a foreign permanent resident number is 3 letters and 12 digits")
    return text


def _nationality(text: str) -> str:
    if len(text) != 3 or not text.isascii() or not text.isalpha():
        raise CardTextError("field nationality is not a 3-letter code")
    return text


def _issue_count(text: str) -> int:
    if not text:
        return 0
    if not text.isascii() or not text.isdigit():
        raise CardTextError("field issue_count is not a number")
    return int(text)


# --- writing (the simulator's side) --------------------------------------------------------------


def build_card_text(card: IdCard) -> bytes:
    """The text block a reader returns for ``card``; raises CardTextError if it cannot fit."""
    values = {
        "name": card.name,
        "gender": str(card.gender.value),
        "nation": card.nation,
        "birth_date": card.birth_date.strftime("%Y%m%d"),
        "address": card.address,
        "id_number": card.id_number,
        "authority": card.authority,
        "valid_from": card.valid_from.strftime("%Y%m%d"),
        "valid_to": card.valid_to.strftime("%Y%m%d") if card.valid_to else NO_EXPIRY,
        "pass_number": card.pass_number,
        "issue_count": f"{card.issue_count:02d}",
        "english_name": card.english_name[
            : ENGLISH_NAME_FIRST if card.kind is CardKind.FOREIGN_PERMANENT_2023 else None
        ],
        "english_name_more": card.english_name[ENGLISH_NAME_FIRST:],
        "renewals": f"{card.issue_count:02d}",
        "nationality": card.nationality,
        "version": FOREIGN_CARD_VERSION,
        "authority_code": _authority_code(card.authority),
        "card_type": _MARKERS[card.kind],
    }
    block = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    for field in (*_LAYOUTS[card.kind], CARD_TYPE):
        encoded = values[field.name].encode("utf-16-le")
        if len(encoded) > field.size:
            raise CardTextError(f"field {field.name} does not fit in {field.size} bytes")
        block[field.offset : field.offset + len(encoded)] = encoded
    return bytes(block)


def _authority_code(authority: str) -> str:
    codes = {name: code for code, name in AUTHORITY_CODES.items()}
    return codes.get(authority, authority[:4])
