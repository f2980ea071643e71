"""The simulated ID-card deck: demo residents plus two synthetic non-resident cards."""

import pytest

from drivers.contracts import CardKind
from drivers.simulated.idcard import (
    DEMO_RESIDENTS,
    SimulatedIdCardReader,
    load_deck,
)
from rules.id_number import id_number_check_digit


def test_check_digit_matches_the_standard_example():
    assert id_number_check_digit("11010519491231002") == "X"


def test_deck_holds_every_demo_resident_and_both_synthetic_kinds():
    deck = load_deck()
    assert DEMO_RESIDENTS.is_file()
    kinds = [card.kind for card in deck]
    assert kinds.count(CardKind.FOREIGN_PERMANENT) == 1
    assert kinds.count(CardKind.HK_MACAU_TAIWAN) == 1
    residents = [card for card in deck if card.kind is CardKind.RESIDENT]
    assert len(residents) == 6
    assert any(card.name == "王𠮷" for card in residents)  # the rare character survives
    assert residents[0].valid_to is None  # 长期


def test_every_eighteen_digit_number_in_the_deck_has_a_valid_check_digit():
    for card in load_deck():
        if card.kind is CardKind.FOREIGN_PERMANENT:
            assert len(card.id_number) == 15
            continue
        number = card.id_number
        assert len(number) == 18
        assert id_number_check_digit(number[:17]) == number[17]


def test_permit_uses_a_hong_kong_macau_or_taiwan_area_code():
    permit = next(c for c in load_deck() if c.kind is CardKind.HK_MACAU_TAIWAN)
    assert permit.id_number[:6] in {"810000", "820000", "830000"}
    assert permit.pass_number
    assert len(permit.photo) == 1024


def test_photos_are_opaque_1024_byte_blobs_that_differ_per_card():
    photos = [card.photo for card in load_deck()]
    assert all(len(photo) == 1024 for photo in photos)
    assert len(set(photos)) == len(photos)


def test_malformed_deck_file_is_refused_clearly(tmp_path):
    bad = tmp_path / "residents.toml"
    bad.write_text('[[resident]]\nname = "无号"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="incomplete or malformed"):
        load_deck(bad)


def test_missing_deck_file_is_an_option_error(tmp_path):
    with pytest.raises(ValueError, match="deck not found"):
        SimulatedIdCardReader(deck_path=str(tmp_path / "none.toml"))
