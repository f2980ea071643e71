"""Phone numbers a resident types to be called back."""

import pytest

from rules.phone import grouped_phone, is_phone_number


@pytest.mark.parametrize("digits", ["13800138000", "19912345678", "02112345678", "075512345678"])
def test_mobiles_and_landlines_with_their_area_code_are_phone_numbers(digits: str) -> None:
    assert is_phone_number(digits)


@pytest.mark.parametrize(
    "digits", ["", "1380013800", "138001380001", "12800138000", "12345", "0012345678", "95598"]
)
def test_anything_else_is_not(digits: str) -> None:
    assert not is_phone_number(digits)


def test_numbers_read_back_in_groups() -> None:
    assert grouped_phone("13800138000") == "138 0013 8000"
    assert grouped_phone("1380") == "138 0"
    assert grouped_phone("02112345678") == "021 12345678"
    assert grouped_phone("075512345678") == "0755 12345678"
