from decimal import Decimal as D

import pytest

from rules.money import MoneyError, yuan
from rules.tariff import Tariff, TariffError, amount_of, split_into_tiers, unit_named

JIANGSU = Tariff("jiangsu", "kWh", (D("0.5283"), D("0.5783"), D("0.8283")), (D("2760"), D("4800")))
WATER = Tariff("water", "m3", (D("3.10"),), ())


def tiers(charges):
    return [(c.tier, c.quantity, c.unit_price, c.amount) for c in charges]


def test_all_in_tier_one():
    charges = split_into_tiers(D("200"), D("1000"), JIANGSU)
    assert tiers(charges) == [(1, D("200"), D("0.5283"), D("105.66"))]


def test_crossing_the_first_breakpoint():
    charges = split_into_tiers(D("300"), D("2600"), JIANGSU)
    assert tiers(charges) == [
        (1, D("160"), D("0.5283"), D("84.53")),
        (2, D("140"), D("0.5783"), D("80.96")),
    ]
    assert amount_of(charges) == D("165.49")


def test_crossing_both_breakpoints_in_one_period():
    charges = split_into_tiers(D("2500"), D("2500"), JIANGSU)
    assert [(c.tier, c.quantity) for c in charges] == [(1, D("260")), (2, D("2040")), (3, D("200"))]
    assert amount_of(charges) == sum(c.amount for c in charges)


def test_ending_exactly_at_a_breakpoint_stays_in_the_lower_tier():
    charges = split_into_tiers(D("160"), D("2600"), JIANGSU)
    assert [(c.tier, c.quantity) for c in charges] == [(1, D("160"))]


def test_starting_exactly_at_a_breakpoint_is_the_next_tier():
    charges = split_into_tiers(D("100"), D("2760"), JIANGSU)
    assert [(c.tier, c.quantity) for c in charges] == [(2, D("100"))]
    charges = split_into_tiers(D("100"), D("4800"), JIANGSU)
    assert tiers(charges) == [(3, D("100"), D("0.8283"), D("82.83"))]


def test_flat_tariff_uses_the_same_code():
    charges = split_into_tiers(D("12.5"), D("900"), WATER)
    assert tiers(charges) == [(1, D("12.5"), D("3.10"), D("38.75"))]
    assert WATER.is_flat and not JIANGSU.is_flat


def test_nothing_used_costs_nothing():
    assert split_into_tiers(D("0"), D("100"), JIANGSU) == []
    assert amount_of([]) == D("0.00")


def test_each_tier_rounds_half_up_and_the_amount_is_their_sum():
    # 3 kWh at 0.5283 = 1.5849 -> 1.58; 1 kWh at 0.5783 = 0.5783 -> 0.58
    charges = split_into_tiers(D("4"), D("2757"), JIANGSU)
    assert [c.amount for c in charges] == [D("1.58"), D("0.58")]
    assert amount_of(charges) == D("2.16")


def test_negative_consumption_is_refused():
    with pytest.raises(TariffError):
        split_into_tiers(D("-1"), D("0"), JIANGSU)
    with pytest.raises(TariffError):
        split_into_tiers(D("1"), D("-5"), JIANGSU)


@pytest.mark.parametrize(
    ("prices", "limits"),
    [
        ((), ()),
        ((D("1"), D("2")), ()),
        ((D("1"), D("2"), D("3")), (D("200"), D("100"))),
        ((D("1"), D("2")), (D("0"),)),
        ((D("-1"),), ()),
    ],
)
def test_a_tariff_that_makes_no_sense_is_refused(prices, limits):
    with pytest.raises(TariffError):
        Tariff("bad", "kWh", prices, limits)


def test_money_rounds_half_up_to_the_fen_and_refuses_floats():
    assert yuan("0.005") == D("0.01")
    assert yuan(D("2.345")) == D("2.35")
    assert yuan(3) == D("3.00")
    with pytest.raises(MoneyError):
        yuan(0.1)
    with pytest.raises(MoneyError):
        yuan("ten yuan")
    with pytest.raises(MoneyError):
        yuan("NaN")


def test_a_unit_is_kwh_or_cubic_metres() -> None:
    assert unit_named("kWh") == "kWh" and unit_named("m3") == "m3"
    with pytest.raises(TariffError, match="unknown unit 'kwh'"):
        unit_named("kwh")
