"""Taxpayer numbers on a VAT invoice's title (纳税人识别号).

Since 2015 an organisation's number is its unified social credit code (统一社会信用代码,
GB 32100-2015): 18 characters from 0-9 and the capitals without I, O, Z, S, V, the last a check
character (weights 3^i mod 31). Older registrations still carry a 15-character number (6-digit
area code and a 9-character organisation code); 17- and 20-character ones are a 15- or
18-character number with two digits of a branch after it. Those have no check we can
compute beyond their shape.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_LEGACY = re.compile(r"^[0-9]{6}[0-9A-Z]{9}$")
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def check_character(first17: str) -> str:
    """The 18th character of a unified social credit code starting with `first17`."""
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def normalise(text: str) -> str:
    """As typed: spaces gone, letters in capitals."""
    return "".join(text.split()).upper()


def tax_number_problem(text: str) -> str | None:
    """None when `text` (normalised) is a taxpayer number; else why not: `length`,
    `characters` or `check`."""
    number = normalise(text)
    if len(number) == 18:
        if not _CODE.match(number):
            return "characters"
        return None if check_character(number[:17]) == number[17] else "check"
    if len(number) == 15:
        return None if _LEGACY.match(number) else "characters"
    if len(number) in (17, 20):
        base, branch = number[:-2], number[-2:]
        if not branch.isdigit():
            return "characters"
        return tax_number_problem(base)
    return "length"
