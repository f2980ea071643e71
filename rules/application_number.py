"""Application numbers, made at the kiosk so one queued offline already has its slip's number.

"SQ" + the day it was made (YYMMDD) + 8 Crockford base-32 characters + a check character:
unique without asking the center, typed from a slip without confusing O/0 or I/1. Kiosk and
center share this rule (the center's demo data and its checks make and read the same numbers).
"""

from __future__ import annotations

import datetime as dt
import re

APPLICATION_NUMBER = re.compile(r"^SQ[0-9]{6}[0-9A-HJKMNP-TV-Z]{9}$")
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
SLIP_QR_PREFIX = "BSK-APP:"  # what the slip's QR holds before the number: no other code has it


def check_character(body: str) -> str:
    # Weighted by position, so two swapped characters change it too.
    total = sum((index + 1) * ALPHABET.index(c) for index, c in enumerate(body))
    return ALPHABET[total % 32]


def new_application_number(day: dt.date, random_bytes: bytes) -> str:
    """A number made at the kiosk: "SQ", the day (YYMMDD), 8 random characters, a check one."""
    if len(random_bytes) < 5:
        raise ValueError("an application number needs 5 random bytes")
    value = int.from_bytes(random_bytes[:5], "big")
    random_part = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(8))
    body = f"{day:%y%m%d}{random_part}"
    return f"SQ{body}{check_character(body)}"


def is_application_number(number: str) -> bool:
    """Well formed and its check character right."""
    return bool(APPLICATION_NUMBER.fullmatch(number)) and (
        check_character(number[2:-1]) == number[-1]
    )
