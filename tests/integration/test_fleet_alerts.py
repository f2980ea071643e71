"""The center's view of the fleet, from real heartbeats over loopback: red, amber and green;
alerts raised when something goes wrong, resolved when it goes away, listed until a person
clears them, each queued as an SMS to the station's team; kiosks gone silent found by the
sweep; and remote commands signed with the kiosk's own secret, so only the center can order
a lock or a restart."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from center.business.tables import SmsRow
from center.database import FleetAlertRow, KioskSeenRow, StationContactRow, open_database
from center.fleet import issue_command
from center.fleet_status import clear_alert, read_health, sweep_silent
from kiosk.bootstrap import build_kiosk
from kiosk.store.audit_log import read_entries
from sync.client import CenterClient
from sync.credentials import save_credentials
from sync.protocol.fleet import (
    CommandOrder,
    DeviceHealth,
    Heartbeat,
    KioskHealth,
    RemoteCommand,
    Versions,
)
from tests.integration.test_heartbeat import kiosk_config
from tests.support.center import RunningCenter, enrol
from tests.support.waiting import eventually

NOW = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)
VERSIONS = Versions(app="1.4.0", protocol="1", config_hash="abc")


def health(**changes: Any) -> KioskHealth:
    devices = changes.pop(
        "devices",
        [DeviceHealth(name=name, status="ok") for name in ("printer", "scanner", "idcard")],
    )
    return KioskHealth(devices=devices, versions=VERSIONS, station_id="st-1", **changes)


def test_health_reads_as_red_amber_or_green() -> None:
    assert read_health(health(), NOW).status == "green"
    out = health(devices=[DeviceHealth(name="printer", status="fault", detail="paper out")])
    assert read_health(out, NOW).conditions == {"paper_out": "paper out"}
    assert read_health(out, NOW).status == "red"
    jammed = health(devices=[DeviceHealth(name="scanner", status="fault", detail="no answer")])
    assert read_health(jammed, NOW).conditions == {"device_fault:scanner": "no answer"}
    low = read_health(health(paper_left_pct=8), NOW)
    assert low.status == "amber" and "paper_low" in low.conditions
    backlog = read_health(health(queue_depth=150), NOW)
    assert backlog.status == "amber" and "backlog" in backlog.conditions
    old = read_health(health(queue_depth=3, oldest_unsent=NOW - dt.timedelta(hours=1)), NOW)
    assert "backlog" in old.conditions
    stuck = read_health(health(session_since=NOW - dt.timedelta(minutes=40)), NOW)
    assert stuck.conditions == {"session_stuck": "a session going on for 40 min"}
    assert read_health(health(session_since=NOW - dt.timedelta(minutes=3)), NOW).status == "green"


def beat(center: RunningCenter, kiosk_id: str, report: KioskHealth) -> None:
    with CenterClient(center.url, kiosk_id) as client:
        client.heartbeat(
            Heartbeat(kiosk_id=kiosk_id, sent_at=dt.datetime.now(dt.UTC), health=report)
        )


def rows(center: RunningCenter, statement: Any) -> list[Any]:
    database = open_database(center.db_url)
    try:
        with database.sessions() as session:
            return list(session.scalars(statement))
    finally:
        database.close()


def test_an_alert_is_raised_texted_resolved_and_kept_until_cleared(
    start_center: Callable[..., RunningCenter],
) -> None:
    center = start_center(demo_data=False)
    database = open_database(center.db_url)
    with database.sessions.begin() as session:
        session.add(StationContactRow(station_id="st-1", phone="13900001111", name="值班"))
    out = health(devices=[DeviceHealth(name="printer", status="fault", detail="paper out")])
    beat(center, "k-1", out)
    beat(center, "k-1", out)  # still so: one alert, one SMS
    beat(center, "k-2", health())
    [alert] = rows(center, select(FleetAlertRow))
    assert (alert.kiosk_id, alert.kind, alert.resolved_at) == ("k-1", "paper_out", None)
    [sms] = rows(center, select(SmsRow))
    assert sms.phone == "13900001111" and "打印纸用完" in sms.text and "k-1" in sms.text
    statuses = {row.kiosk_id: row.status for row in rows(center, select(KioskSeenRow))}
    assert statuses == {"k-1": "red", "k-2": "green"}
    beat(center, "k-1", health())  # paper fitted: resolved, still listed
    [alert] = rows(center, select(FleetAlertRow))
    assert alert.resolved_at is not None and alert.cleared_at is None
    beat(center, "k-1", out)  # out again before anyone cleared it: the same alert, active
    [alert] = rows(center, select(FleetAlertRow))
    assert alert.resolved_at is None and len(rows(center, select(SmsRow))) == 1
    with database.sessions.begin() as session:
        assert clear_alert(session, alert.id, "op1", dt.datetime.now(dt.UTC)) is not None
        assert clear_alert(session, alert.id, "op1", dt.datetime.now(dt.UTC)) is None
    beat(center, "k-1", out)  # cleared while still so: a new alert, a new SMS
    assert len(rows(center, select(FleetAlertRow))) == 2
    assert len(rows(center, select(SmsRow))) == 2
    database.close()


def test_a_silent_kiosk_is_found_by_the_sweep_and_heard_again(
    start_center: Callable[..., RunningCenter],
) -> None:
    center = start_center(demo_data=False)
    beat(center, "k-quiet", health())
    database = open_database(center.db_url)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    with database.sessions.begin() as session:
        assert sweep_silent(session, later) == 1
    with database.sessions.begin() as session:
        assert sweep_silent(session, later) == 0  # listed already
    [alert] = rows(center, select(FleetAlertRow))
    assert alert.kind == "no_heartbeat" and alert.resolved_at is None
    beat(center, "k-quiet", health())
    [alert] = rows(center, select(FleetAlertRow))
    assert alert.resolved_at is not None
    database.close()


@pytest.fixture
def enrolled_kiosk(tmp_path: Path, start_center: Callable[..., RunningCenter]) -> Any:
    center = start_center(demo_data=False, signed=True)
    database = open_database(center.db_url)
    config = kiosk_config(tmp_path / "kiosk", center.url, interval=0.3)
    save_credentials(config.center.credentials, enrol(center, database, config.kiosk.id))
    database.close()
    kiosk = build_kiosk(config)
    kiosk.start()
    yield center, kiosk
    kiosk.close()


def test_a_signed_command_is_carried_out_and_a_forged_one_is_not(enrolled_kiosk: Any) -> None:
    center, kiosk = enrolled_kiosk
    assert kiosk.fleet is not None
    commands = kiosk.fleet.remote_commands
    # Forged: what a proxy between them might slip into a heartbeat's answer.
    forged = RemoteCommand(
        id=uuid.uuid4(), kind="lock", message_zh="假", message_en="fake",
        issued_at=dt.datetime.now(dt.UTC), signature="A" * 44,
    )  # fmt: skip
    ack = commands.carry_out(forged)
    assert ack.status == "failed" and ack.reason == "signature not valid"
    assert commands.lock_state is None
    unsigned = forged.model_copy(update={"id": uuid.uuid4(), "signature": None})
    assert commands.carry_out(unsigned).status == "failed"
    with kiosk.store.engine.connect() as connection:
        refused = [e for e in read_entries(connection) if "refused" in e.detail]
    assert len(refused) == 2
    # The center's own, signed with this kiosk's secret, goes through the heartbeat.
    database = open_database(center.db_url)
    with database.sessions.begin() as session:
        issue_command(
            session, kiosk.config.kiosk.id,
            CommandOrder(kind="lock", message_zh="维护", message_en="Maintenance"),
            "op1", dt.datetime.now(dt.UTC),
        )  # fmt: skip
    database.close()
    assert eventually(lambda: commands.lock_state is not None, timeout=10)
    assert commands.lock_state is not None and commands.lock_state.message_en == "Maintenance"


def test_a_stations_team_is_added_from_the_command_line(
    start_center: Callable[..., RunningCenter], capsys: pytest.CaptureFixture[str]
) -> None:
    from center.cli import main

    center = start_center(demo_data=False)
    base = ["--db", center.db_url, "station", "contact", "--station", "st-1"]
    assert main([*base, "--phone", "13900002222", "--name", "老李"]) == 0
    assert "139****2222" in capsys.readouterr().out
    assert main([*base, "--phone", "12345"]) == 1
    beat(center, "k-9", health(devices=[DeviceHealth(name="idcard", status="fault")]))
    [sms] = rows(center, select(SmsRow))
    assert sms.phone == "13900002222" and "设备故障（idcard）" in sms.text
