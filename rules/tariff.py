"""Tiered tariffs (阶梯价格) and how one period's consumption splits across the tiers.

A tariff is data synced from the center, never a constant in code. Breakpoints are annual and
cumulative: a period is priced by where the year's usage stood before it, so one month can cross
one or two breakpoints. A flat tariff is a tariff with one price and no breakpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Literal

from rules.money import total, yuan


class TariffError(ValueError):
    """A tariff that does not make sense, or a quantity it cannot price."""


Unit = Literal["kWh", "m3"]


def unit_named(text: str) -> Unit:
    """The unit a tariff prices in, from its name; anything else is not a tariff we know."""
    if text == "kWh":
        return "kWh"
    if text == "m3":
        return "m3"
    raise TariffError(f"unknown unit {text!r} (kWh or m3)")


@dataclass(frozen=True, slots=True)
class Tariff:
    name: str
    unit: Unit
    prices: tuple[Decimal, ...]  # yuan per unit, tier 1 first
    limits: tuple[Decimal, ...]  # annual cumulative upper bound of every tier but the last

    def __post_init__(self) -> None:
        if not self.prices:
            raise TariffError(f"tariff {self.name!r} has no price")
        if len(self.limits) != len(self.prices) - 1:
            raise TariffError(
                f"tariff {self.name!r}: {len(self.prices)} prices need "
                f"{len(self.prices) - 1} breakpoints, got {len(self.limits)}"
            )
        if any(price < 0 for price in self.prices):
            raise TariffError(f"tariff {self.name!r} has a negative price")
        bounds = (Decimal(0), *self.limits)
        if any(low >= high for low, high in pairwise(bounds)):
            raise TariffError(f"tariff {self.name!r}: breakpoints must be positive and rising")

    @property
    def is_flat(self) -> bool:
        return len(self.prices) == 1


@dataclass(frozen=True, slots=True)
class TierCharge:
    tier: int  # 1-based
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal  # yuan, rounded to the fen


def split_into_tiers(
    quantity: Decimal, used_before_in_year: Decimal, tariff: Tariff
) -> list[TierCharge]:
    """Price `quantity` given the year's usage before this period; tiers with nothing are left out.

    Each tier's amount is rounded on its own, so the bill's amount is exactly the sum of its
    lines, as printed.
    """
    if quantity < 0:
        raise TariffError(f"consumption cannot be negative: {quantity}")
    if used_before_in_year < 0:
        raise TariffError(f"usage before this period cannot be negative: {used_before_in_year}")
    start = used_before_in_year
    end = used_before_in_year + quantity
    lows = (Decimal(0), *tariff.limits)
    highs = (*tariff.limits, None)
    charges = []
    for tier, (price, low, high) in enumerate(zip(tariff.prices, lows, highs, strict=True), 1):
        in_tier = (end if high is None else min(end, high)) - max(start, low)
        if in_tier > 0:
            charges.append(TierCharge(tier, in_tier, price, yuan(in_tier * price)))
    return charges


def amount_of(charges: list[TierCharge]) -> Decimal:
    """What a period costs: the sum of its tier lines."""
    return total([charge.amount for charge in charges])
