"""The GB 11643 check character of an ID number, as card-reader drivers check it.

python-stdnum does the arithmetic, as it does for the kiosk's domain, so a reader and the
screens behind it always agree on a valid number.
"""

from __future__ import annotations

from stdnum.cn import ric


def id_number_check_digit(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("an ID number check digit needs exactly 17 digits")
    return ric.calc_check_digit(first17 + "?")  # it reads the 17 digits of a whole number
