"""The shared work queue (抢单) on the center's real database (SQLite, and PostgreSQL when it
can be started here): two staff claiming one application at once, claims that expire, teams."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from center.business.claims import claim, claimable, holder, release, set_team, team_of
from center.business.tables import ApplicationRow
from center.database import Database, StaffAuditRow, open_database
from center.server import RunningCenter

NOW = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def database(center_on_each_database: RunningCenter) -> Iterator[Database]:
    opened = open_database(center_on_each_database.db_url)
    yield opened
    opened.close()


def _numbers(database: Database) -> dict[str, str]:
    with database.sessions() as session:
        return {row.kind: row.number for row in session.scalars(select(ApplicationRow))}


def test_two_staff_claiming_at_once_exactly_one_gets_it(database: Database) -> None:
    number = _numbers(database)["capacity"]
    for round_ in range(15):
        now = NOW + dt.timedelta(seconds=round_)
        start = threading.Barrier(2)
        won: dict[str, bool] = {}

        def take(login: str, now: dt.datetime = now, start: threading.Barrier = start,
                 won: dict[str, bool] = won) -> None:  # fmt: skip
            start.wait()
            won[login] = claim(database.sessions, number, login=login, now=now)

        racers = [threading.Thread(target=take, args=(name,)) for name in ("wang", "zhao")]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()
        assert sorted(won.values()) == [False, True], won
        winner = next(login for login, got in won.items() if got)
        with database.sessions() as session:
            found = holder(session, number, now)
            assert found is not None and found.login == winner
        assert release(database.sessions, number, login=winner, now=now)


def test_a_claim_past_its_time_is_taken_over_and_audited(database: Database) -> None:
    number = _numbers(database)["multi-person"]
    assert claim(database.sessions, number, login="wang", now=NOW)
    later = NOW + dt.timedelta(minutes=10)
    assert not claim(database.sessions, number, login="zhao", now=later)
    assert not release(database.sessions, number, login="zhao", now=later)
    expired = NOW + dt.timedelta(minutes=31)
    assert claim(database.sessions, number, login="zhao", now=expired)
    with database.sessions() as session:
        found = holder(session, number, expired)
        assert found is not None and found.login == "zhao"
        details = list(
            session.scalars(
                select(StaffAuditRow.detail).where(StaffAuditRow.action == "application_claimed")
            )
        )
        assert f"{number} (taken over)" in details
    assert release(database.sessions, number, login="zhao", now=expired)


def test_a_station_team_takes_its_own_work_not_the_centers(database: Database) -> None:
    numbers = _numbers(database)
    with database.sessions.begin() as session:
        set_team(session, "qian", "xuanwu-xiaolingwei")
        set_team(session, "sun", "gulou-hunanlu")
    # The charger is connection work: the center's queue; the capacity change is the station's.
    assert not claim(database.sessions, numbers["ev-charger"], login="qian", now=NOW)
    assert not claim(database.sessions, numbers["capacity"], login="sun", now=NOW)
    with database.sessions() as session:
        assert numbers["capacity"] in claimable(session, "xuanwu-xiaolingwei", NOW)
        assert numbers["ev-charger"] not in claimable(session, "xuanwu-xiaolingwei", NOW)
        assert numbers["ev-charger"] in claimable(session, "center", NOW)
    assert claim(database.sessions, numbers["capacity"], login="qian", now=NOW)
    assert release(database.sessions, numbers["capacity"], login="qian", now=NOW)
    assert claim(database.sessions, numbers["ev-charger"], login="li", now=NOW)  # the center's
    assert release(database.sessions, numbers["ev-charger"], login="li", now=NOW)


def test_a_reviewer_of_a_station_is_added_with_their_team(
    database: Database, center_on_each_database: RunningCenter
) -> None:
    added = subprocess.run(
        [
            *(sys.executable, "-m", "center.cli", "--db", center_on_each_database.db_url),
            *("staff", "add", "--login", "zhou", "--role", "reviewer"),
            *("--team", "xuanwu-xiaolingwei", "--password-stdin"),
        ],
        input="correct horse battery\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    assert "team xuanwu-xiaolingwei" in added.stdout
    with database.sessions() as session:
        assert team_of(session, "zhou") == "xuanwu-xiaolingwei"
        assert team_of(session, "nobody-set") == "center"
