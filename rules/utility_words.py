"""Each utility's own words and units, in Chinese and English: one table for the screen and the
paper alike, so a water account never reads 用电地址 or kWh. Pure data.

Utilities are named by the protocol's values ("electricity", "water", "gas"): the rules know no
schemas. Units: what the center sends ("kWh", "m3"), shown as kWh and m³; on paper the printer's
own font (GB 2312) has no ³, so water and gas read 立方米 there.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.tariff import Unit


@dataclass(frozen=True)
class Said:
    """One text in both languages."""

    zh: str
    en: str


@dataclass(frozen=True)
class UtilityWords:
    name: Said  # the service, as a bill heading names it
    address: Said  # the address the service is supplied to
    usage: Said  # what was used in a period
    prepay: Said  # paying ahead into the balance (the button, the order, the receipt)


UTILITY_WORDS: dict[str, UtilityWords] = {
    "electricity": UtilityWords(
        name=Said("电费", "Electricity"),
        address=Said("用电地址", "Supply address"),
        usage=Said("用电量", "Electricity used"),
        prepay=Said("预存电费（无卡购电）", "Prepay electricity"),
    ),
    "water": UtilityWords(
        name=Said("水费", "Water"),
        address=Said("用水地址", "Water supply address"),
        usage=Said("用水量", "Water used"),
        prepay=Said("预存水费", "Prepay water"),
    ),
    "gas": UtilityWords(
        name=Said("燃气费", "Gas"),
        address=Said("用气地址", "Gas supply address"),
        usage=Said("用气量", "Gas used"),
        prepay=Said("预存燃气费", "Prepay gas"),
    ),
}


def utility_words(utility: str) -> UtilityWords:
    """The words of "electricity", "water" or "gas" (a protocol `Utility` is one of these)."""
    return UTILITY_WORDS[str(utility)]


def unit_shown(unit: Unit | str) -> str:
    """The unit the center sends, as a resident reads it on screen: "m3" is m³."""
    return "m³" if unit == "m3" else unit


def unit_on_paper(unit: Unit | str) -> str:
    """The unit in the printer's own font, which has no ³."""
    return "立方米" if unit == "m3" else unit
