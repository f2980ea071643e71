import datetime as dt
from decimal import Decimal as D

import pytest

from rules.late_fee import CustomerCategory, days_overdue, late_fee

DUE = dt.date(2026, 9, 30)
RESIDENT = CustomerCategory.RESIDENT
NON_RESIDENT = CustomerCategory.NON_RESIDENT


def test_nothing_on_the_due_date():
    assert days_overdue(DUE, DUE) == 0
    assert late_fee(D("500.00"), DUE, DUE, RESIDENT) == D("0.00")
    assert late_fee(D("500.00"), DUE, DUE - dt.timedelta(days=3), RESIDENT) == D("0.00")


def test_day_one_is_the_day_after_the_due_date():
    assert days_overdue(DUE, DUE + dt.timedelta(days=1)) == 1
    assert late_fee(D("2000.00"), DUE, DUE + dt.timedelta(days=1), RESIDENT) == D("2.00")


def test_residents_pay_one_per_mille_a_day():
    assert late_fee(D("1234.56"), DUE, DUE + dt.timedelta(days=10), RESIDENT) == D("12.35")


def test_at_least_one_yuan_when_any_is_due():
    assert late_fee(D("50.00"), DUE, DUE + dt.timedelta(days=1), RESIDENT) == D("1.00")
    assert late_fee(D("0.00"), DUE, DUE + dt.timedelta(days=30), RESIDENT) == D("0.00")


def test_non_residents_two_per_mille_within_the_year():
    assert late_fee(D("1000.00"), DUE, DUE + dt.timedelta(days=20), NON_RESIDENT) == D("40.00")


def test_non_residents_three_per_mille_once_the_arrears_cross_into_a_later_year():
    due = dt.date(2025, 12, 21)
    # 10 days in 2025 at 2 per mille, then 5 days of 2026 at 3 per mille.
    assert late_fee(D("1000.00"), due, dt.date(2026, 1, 5), NON_RESIDENT) == D("35.00")
    earlier_year = dt.date(2024, 12, 31)
    assert late_fee(D("100.00"), earlier_year, dt.date(2025, 1, 10), "non_resident") == D("3.00")


def test_an_unknown_category_is_refused():
    with pytest.raises(ValueError):
        late_fee(D("1.00"), DUE, DUE + dt.timedelta(days=2), "martian")
