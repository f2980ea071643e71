"""How numbers read on the resident's screen: money with ¥ and two decimals, quantities plainly."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WORD_JOINER = "\u2060"


def money(amount: Decimal) -> str:
    """Decimal("1234.5") -> "¥1,234.50"; negative amounts keep their sign before the ¥."""
    value = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"


def quantity(value: Decimal) -> str:
    """Drop a trailing ".00" so 215.00 kWh reads 215."""
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def grouped_digits(number: str) -> str:
    """3201000001 -> "3201 0000 01": digits in fours are easier to check against a bill."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def unit_price(price: Decimal) -> str:
    """Prices keep up to four decimals (0.5283), trailing zeros beyond two dropped."""
    text = f"{price:.4f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"¥{whole}.{decimals.ljust(2, '0')}"


def no_lone_last_character(text: str) -> str:
    """Join the last two Han characters of each line so wrapping never leaves one alone on the
    last line (a single 证 on a line of its own reads as a stray mark). Rich text is left be."""
    if "<" in text:
        return text
    return "\n".join(_join_last_two(line) for line in text.split("\n"))


def _is_han(character: str) -> bool:
    return "\u3400" <= character <= "\u9fff" or "\uf900" <= character <= "\ufaff"


def _join_last_two(line: str) -> str:
    # A plain scan, not a regular expression: compiling one with these ranges costs the first
    # frame a few milliseconds.
    end = len(line)
    while end and not line[end - 1].isalnum() and not _is_han(line[end - 1]):
        end -= 1  # trailing punctuation and spaces stay after the joined pair
    if end >= 2 and _is_han(line[end - 1]) and _is_han(line[end - 2]):
        return f"{line[: end - 1]}{WORD_JOINER}{line[end - 1 :]}"
    return line
