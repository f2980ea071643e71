"""Notices and planned outages published from the staff console reach the idle screens of the
stations they concern, with their dates, and no other; taken down, they go."""

from __future__ import annotations

import datetime as dt
from typing import Any

from center.staff.accounts import Role
from tests.integration.test_staff_console import csrf_of, sign_in, staff
from tests.support.station import Station


def test_an_outage_for_this_station_shows_with_its_dates_and_another_stations_does_not(
    qtbot: Any, station: Station
) -> None:
    window = station.window
    staff(station.center, "op1", Role.OPERATOR)
    operator = sign_in(station.center, "op1")
    url = f"{station.center.url}/staff/notices"
    today = dt.date.today()
    here = station.kiosk.config.kiosk.station_id

    def publish(**form: str) -> Any:
        csrf = csrf_of(operator.get(url, timeout=10))
        return operator.post(url, data={"csrf": csrf, **form}, timeout=10, allow_redirects=False)

    answer = publish(
        kind="outage", stations=here, starts=today.isoformat(),
        ends=(today + dt.timedelta(days=1)).isoformat(),
        zh="钟灵街 9:00-12:00 线路检修停电", en="Zhongling St. 9:00-12:00, line work",
    )  # fmt: skip
    assert answer.status_code == 303, answer.text[:300]
    publish(kind="notice", stations="gulou-1", zh="鼓楼区的公告", en="For Gulou only")
    refused = publish(kind="outage", stations="Not A Station", starts=today.isoformat(),
                      zh="x", en="x")  # fmt: skip
    assert refused.status_code == 422 and "not a station id" in refused.text

    def shown() -> list[str]:
        return [notice["zh"] for notice in window.idle._notices]

    assert station.kiosk.reference is not None
    station.kiosk.reference.puller.wake()
    qtbot.waitUntil(lambda: any("线路检修停电" in text for text in shown()), timeout=10000)
    [outage] = [text for text in shown() if "线路检修停电" in text]
    end = today + dt.timedelta(days=1)
    assert outage.startswith(f"【计划停电 {today.month}月{today.day}日至{end.month}月{end.day}日】")
    assert not any("鼓楼" in text for text in shown())
    english = [notice["en"] for notice in window.idle._notices]
    assert any(text.startswith("[Planned outage ") and "line work" in text for text in english)

    # Taken down: gone from the idle screen at the next pull.
    page = operator.get(url, timeout=10).text
    notice_id = page.split('data-kind="outage"')[0].rsplit('data-id="', 1)[1].split('"')[0]
    csrf = csrf_of(operator.get(url, timeout=10))
    removed = operator.post(f"{url}/{notice_id}/remove", data={"csrf": csrf}, timeout=10,
                            allow_redirects=False)  # fmt: skip
    assert removed.status_code == 303
    station.kiosk.reference.puller.wake()
    qtbot.waitUntil(lambda: not any("线路检修停电" in text for text in shown()), timeout=10000)
