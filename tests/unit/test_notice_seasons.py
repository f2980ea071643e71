"""A notice's season: the months of the year it is shown in, every year."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.config import ConfigError, load_config
from sync.protocol.reference import Notice, Text

SUMMER = Notice(id="summer", text=Text(zh="空调", en="AC"), months=frozenset({6, 7, 8, 9}))


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (dt.date(2026, 12, 2), False),
        (dt.date(2026, 5, 31), False),
        (dt.date(2026, 6, 1), True),
        (dt.date(2027, 9, 30), True),
        (dt.date(2027, 10, 1), False),
    ],
)
def test_a_seasonal_notice_shows_in_its_months_every_year(day: dt.date, shown: bool) -> None:
    assert SUMMER.shown_on(day) is shown


def test_a_season_and_dates_must_both_allow_the_day() -> None:
    notice = SUMMER.model_copy(update={"ends": dt.date(2026, 7, 31)})
    assert notice.shown_on(dt.date(2026, 7, 31))
    assert not notice.shown_on(dt.date(2026, 8, 1))


def test_a_notice_without_months_shows_all_year() -> None:
    plain = Notice(id="plain", text=Text(zh="欢迎", en="Welcome"))
    assert all(plain.shown_on(dt.date(2026, month, 15)) for month in range(1, 13))


def test_the_shipped_summer_notice_has_its_season() -> None:
    config = load_config()
    seasonal = [notice for notice in config.notices if "空调" in notice.zh]
    assert seasonal and all(notice.months == [6, 7, 8, 9] for notice in seasonal)
    assert all(notice.months == [] for notice in config.notices if notice not in seasonal)


def test_a_month_out_of_range_is_a_config_error() -> None:
    notices = [{"zh": "空调", "en": "AC", "months": [6, 13]}]
    with pytest.raises(ConfigError, match="months"):
        load_config(overrides={"notices": notices})
