"""Phone numbers a resident types to be called back: a mainland mobile (11 digits, 1[3-9]...)
or a landline with its area code (0 and 9 to 11 more digits). Digits only, as typed."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[1-9][0-9]{8,10}")
MAX_DIGITS = 12


def is_phone_number(digits: str) -> bool:
    return bool(_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits))


def grouped_phone(digits: str) -> str:
    """138 0013 8000 as a resident reads it back; a landline keeps its area code apart."""
    if digits.startswith("0"):
        area = 3 if digits[:2] in {"01", "02"} else 4
        return f"{digits[:area]} {digits[area:]}".strip()
    return " ".join(part for part in (digits[:3], digits[3:7], digits[7:]) if part)
