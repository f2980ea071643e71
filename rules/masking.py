"""Masking of personal data for screens, paper and logs.

One place decides how a name, an ID number, an address, a phone number or a payment code is
shown, so the screen, the receipt and the log filter can never disagree.
"""

from __future__ import annotations

import re


def mask_name(name: str) -> str:
    """张三 -> 张*, 李秀英 -> 李*英, 欧阳丽娟 -> 欧**娟; Latin names keep the first letter."""
    chars = list(name.strip())
    if len(chars) <= 1:
        return "*" if chars else ""
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]


def mask_id_number(id_number: str) -> str:
    """320102195203140026 -> 3201************26: region kept, birth date hidden."""
    text = id_number.strip()
    if len(text) <= 6:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 6) + text[-2:]


def mask_address(address: str, keep: int = 6) -> str:
    """Keep the province/city/district prefix, hide the street and door number."""
    chars = list(address.strip())
    if len(chars) <= keep:
        return "*" * len(chars)
    return "".join(chars[:keep]) + "****"


def mask_digits(code: str, head: int = 4, tail: int = 4) -> str:
    """Payment codes and phone numbers: the ends stay, the middle goes."""
    text = code.strip()
    if len(text) <= head + tail:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[-tail:]


# What the log filter hunts for anywhere in a message. Order matters: the longest patterns first.
_ID_NUMBER = re.compile(
    r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9])"
)
_PAYMENT_CODE = re.compile(
    r"(?<![0-9])(?:1[0-5][0-9]{16}|(?:2[5-9]|30)[0-9]{14,22}|62[0-9]{17})(?![0-9])"
)
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def mask_personal_data(text: str) -> str:
    """Mask every ID number, payment code and mobile number found in free text."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    text = _PAYMENT_CODE.sub(lambda m: mask_digits(m.group()), text)
    return _PHONE.sub(lambda m: mask_digits(m.group(), head=3, tail=4), text)
