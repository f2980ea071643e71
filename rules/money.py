"""Money: `Decimal` yuan, rounded half-up to the fen, never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyError(ValueError):
    """A value that cannot be an amount of money."""


def yuan(value: Decimal | int | str) -> Decimal:
    """An amount in yuan, rounded half-up to the fen (0.005 -> 0.01).

    Floats are refused: 0.1 + 0.2 is not 0.3, and a bill must add up to the fen.
    """
    if isinstance(value, float | bool):
        raise MoneyError(f"money must be Decimal, int or str, not {type(value).__name__}")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise MoneyError(f"not an amount of money: {value!r}") from error
    if not amount.is_finite():
        raise MoneyError(f"not an amount of money: {value!r}")
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def total(amounts: list[Decimal] | tuple[Decimal, ...]) -> Decimal:
    """Sum of amounts already in fen, as yuan with two decimals (0.00 when empty)."""
    return yuan(sum(amounts, ZERO))
