"""Late fee on unpaid bills (电费违约金), accrued per day from the day after the due date.

Residents: 1‰ of the arrears per day. Others: 2‰ per day while the arrears are in the year they
fell due, 3‰ per day once they have crossed into a later year (跨年度欠费). Any late fee due is at
least 1 yuan. Rates as published (see the billing reference); the clock is passed in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from rules.money import ZERO, yuan

RESIDENT_DAILY_RATE = Decimal("0.001")
SAME_YEAR_DAILY_RATE = Decimal("0.002")
LATER_YEAR_DAILY_RATE = Decimal("0.003")
MINIMUM_LATE_FEE = Decimal("1.00")


class CustomerCategory(StrEnum):
    RESIDENT = "resident"
    NON_RESIDENT = "non_resident"


def days_overdue(due_date: dt.date, today: dt.date) -> int:
    """0 on the due date itself, 1 the day after."""
    return max(0, (today - due_date).days)


def late_fee(
    amount: Decimal, due_date: dt.date, today: dt.date, category: CustomerCategory | str
) -> Decimal:
    """Late fee on `amount` of arrears that fell due on `due_date`, accrued up to `today`."""
    category = CustomerCategory(category)
    days = days_overdue(due_date, today)
    if days == 0 or amount <= 0:
        return ZERO
    if category is CustomerCategory.RESIDENT:
        fee = amount * RESIDENT_DAILY_RATE * days
    else:
        # Days up to 31 December of the due year are "current year"; every later day is not.
        year_end = dt.date(due_date.year, 12, 31)
        same_year_days = min(days, (year_end - due_date).days)
        later_days = days - same_year_days
        fee = amount * (SAME_YEAR_DAILY_RATE * same_year_days + LATER_YEAR_DAILY_RATE * later_days)
    return max(yuan(fee), MINIMUM_LATE_FEE)
