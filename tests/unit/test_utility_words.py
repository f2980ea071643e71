"""Each utility speaks in its own words and units."""

from __future__ import annotations

import dataclasses

import pytest

from rules.utility_words import UTILITY_WORDS, unit_on_paper, unit_shown, utility_words
from sync.protocol import Utility


def test_every_utility_of_the_protocol_has_its_words() -> None:
    assert {str(utility) for utility in Utility} == set(UTILITY_WORDS)
    assert utility_words(Utility.WATER) is UTILITY_WORDS["water"]


@pytest.mark.parametrize("utility", ["water", "gas"])
def test_water_and_gas_never_speak_of_electricity(utility: str) -> None:
    words = utility_words(utility)
    for said in (getattr(words, f.name) for f in dataclasses.fields(words)):
        assert "电" not in said.zh
        assert "lectric" not in said.en


def test_units_read_m3_as_cubic_metres_and_print_in_the_printers_font() -> None:
    assert unit_shown("m3") == "m³" and unit_shown("kWh") == "kWh"
    assert unit_on_paper("m3") == "立方米" and unit_on_paper("kWh") == "kWh"
    assert unit_on_paper("m3").encode("gb2312")  # the printer's own font carries it
