"""Billing periods are calendar months, written "YYYY-MM"."""

from __future__ import annotations

import datetime as dt


def period_of(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def year_month(period: str) -> tuple[int, int]:
    year, month = period.split("-")
    return int(year), int(month)


def shift(period: str, months: int) -> str:
    year, month = year_month(period)
    index = year * 12 + (month - 1) + months
    return period_of(index // 12, index % 12 + 1)


def complete_months_before(today: dt.date, count: int) -> list[str]:
    """The `count` whole months before today's month, oldest first."""
    this_month = period_of(today.year, today.month)
    return [shift(this_month, -n) for n in range(count, 0, -1)]


def due_date_of(period: str) -> dt.date:
    """A bill for month M is due on the last day of month M+1."""
    year, month = year_month(shift(period, 2))
    return dt.date(year, month, 1) - dt.timedelta(days=1)
