"""Resident ID number (GB 11643): 17 digits and a check digit, ISO 7064 MOD 11-2.

The arithmetic is python-stdnum's (`stdnum.cn.ric`), the same the device drivers use, so the
kiosk and its card reader can never disagree on what a valid number is.
"""

from __future__ import annotations

import datetime as dt

from stdnum.cn import ric


class IdNumberError(ValueError):
    """Text that cannot be the first 17 digits of an ID number."""


def id_number_check_digit(first17: str) -> str:
    """The 18th character for these 17 digits: "0"-"9" or "X"."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise IdNumberError("an ID number starts with exactly 17 digits")
    return ric.calc_check_digit(first17 + "?")  # it reads the 17 digits of a whole number


def is_valid_id_number(text: str) -> bool:
    """18 characters, a real birth date, and the right check digit (a lower-case x is refused)."""
    if len(text) != 18 or not text[:17].isascii() or not text[:17].isdigit():
        return False
    try:
        dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    # Not ric.is_valid(): it also wants the birthplace in its county list, and a resident born
    # in a county since merged away still carries that county's code on a valid card.
    return id_number_check_digit(text[:17]) == text[17]
