import tomllib
from pathlib import Path

import pytest

from rules.id_number import IdNumberError, id_number_check_digit, is_valid_id_number

RESIDENTS = Path(__file__).resolve().parents[2] / "assets" / "demo" / "residents.toml"


def test_the_reference_number_is_valid():
    assert is_valid_id_number("11010519491231002X")
    assert id_number_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize(
    "text",
    [
        "110105194912310021",  # wrong check digit
        "11010519491231002x",  # lower-case x
        "11010519491231002",  # 17 characters
        "1101051949123100200",  # 19 characters
        "11010519491331002X",  # month 13
        "1101051949123A002X",
        "１１０１０５１９４９１２３１００２X",  # full-width digits
        "",
    ],
)
def test_invalid_numbers(text):
    assert not is_valid_id_number(text)


def test_every_demo_resident_has_a_valid_number():
    residents = tomllib.loads(RESIDENTS.read_text(encoding="utf-8"))["resident"]
    assert residents
    assert all(is_valid_id_number(r["id_number"]) for r in residents)


@pytest.mark.parametrize("first17", ["1234", "1101051949123100A", "110105194912310020"])
def test_check_digit_needs_exactly_17_digits(first17):
    with pytest.raises(IdNumberError):
        id_number_check_digit(first17)
