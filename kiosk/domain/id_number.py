"""Resident ID number (GB 11643): 17 digits and a check digit, ISO 7064 MOD 11-2."""

from __future__ import annotations

import datetime as dt

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"


class IdNumberError(ValueError):
    """Text that cannot be the first 17 digits of an ID number."""


def id_number_check_digit(first17: str) -> str:
    """The 18th character for these 17 digits: "0"-"9" or "X"."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise IdNumberError("an ID number starts with exactly 17 digits")
    weighted = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[weighted % 11]


def is_valid_id_number(text: str) -> bool:
    """18 characters, a real birth date, and the right check digit (a lower-case x is refused)."""
    if len(text) != 18 or not text[:17].isascii() or not text[:17].isdigit():
        return False
    try:
        dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return id_number_check_digit(text[:17]) == text[17]
