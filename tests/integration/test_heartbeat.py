"""The kiosk and the real center over loopback, with the fault proxy between them: offline
noticed and left by itself, heartbeats with health, remote commands carried out once,
acknowledged, audited, and a lock that survives a restart."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from center.database import CommandAuditRow, ReceivedEventRow, open_database
from center.operators import OPERATOR_TOKEN_ENV
from drivers.printer.simulator import PrinterSimulator
from kiosk.bootstrap import Kiosk, build_kiosk
from kiosk.config import KioskConfig, load_config
from kiosk.services.starting import StartingServices
from sync import queue
from sync.protocol.fleet import Heartbeat, KioskHealth, Versions
from tests.support.center import RunningCenter
from tests.support.fault_proxy import FaultProxy
from tests.support.waiting import eventually, wait_for

TOKEN = "operator-secret-for-tests"
KIOSK_ID = "kiosk-fleet-01"
# Probes every 0.2 s when in doubt: offline must show within this many seconds.
NOTICE_WITHIN_S = 3.0


def kiosk_config(
    folder: Path,
    center_url: str,
    *,
    interval: float = 0.3,
    printer: dict[str, Any] | None = None,
) -> KioskConfig:
    off = {"enabled": False}
    return load_config(
        overrides={
            "kiosk": {"id": KIOSK_ID, "data_dir": str(folder)},
            "center": {
                "url": center_url,
                "timeout_seconds": 2.0,
                "credentials": str(folder / "credentials.json"),
            },
            "heartbeat": {
                "interval_seconds": interval,
                "probe_seconds": 0.2,
                "idle_probe_seconds": 0.5,
                "probe_timeout_seconds": 0.5,
                "device_check_seconds": 0.2,
            },
            "payment": {"enabled": False},
            "logging": {"level": "WARNING"},
            "devices": {
                "printer": (printer or {"driver": "simulated", "url": "sim://printer"})
                | {"enabled": True},
                "scanner": off,
                "idcard": off,
                "camera": off,
            },
        }
    )


@pytest.fixture
def fleet_center(
    start_center: Callable[..., RunningCenter], monkeypatch: pytest.MonkeyPatch
) -> RunningCenter:
    monkeypatch.setenv(OPERATOR_TOKEN_ENV, TOKEN)
    return start_center(demo_data=False)


@pytest.fixture
def proxy(fleet_center: RunningCenter) -> Iterator[FaultProxy]:
    with FaultProxy(fleet_center.url) as proxy:
        yield proxy


@pytest.fixture
def kiosks(tmp_path: Path) -> Iterator[Callable[..., Kiosk]]:
    """kiosks(center_url, start=True, interval=...) -> a built kiosk; all closed at the end."""
    built: list[Kiosk] = []

    def build(center_url: str, *, start: bool = True, interval: float = 0.3) -> Kiosk:
        kiosk = build_kiosk(kiosk_config(tmp_path / "kiosk", center_url, interval=interval))
        built.append(kiosk)
        if start:
            kiosk.start()
        return kiosk

    yield build
    for kiosk in built:
        kiosk.close()


def operator(center: RunningCenter, method: str, path: str, **body: Any) -> requests.Response:
    return requests.request(
        method,
        center.url + path,
        json=body or None,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )


def issue(center: RunningCenter, kind: str, **messages: str) -> str:
    answer = operator(
        center, "POST", f"/v1/admin/kiosks/{KIOSK_ID}/commands", kind=kind, **messages
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["id"]


def command_status(center: RunningCenter, command_id: str) -> str:
    records = operator(center, "GET", f"/v1/admin/kiosks/{KIOSK_ID}/commands").json()
    return next(r["status"] for r in records if r["id"] == command_id)


def audit_events(kiosk: Kiosk) -> list[dict[str, Any]]:
    with kiosk.store.engine.connect() as connection:
        rows = connection.execute(
            select(queue.outbox.c.payload).where(queue.outbox.c.type == "audit.command")
        )
        return [json.loads(row.payload) for row in rows]


def center_rows(center: RunningCenter, statement: Any) -> list[Any]:
    """What the center's database holds, read straight from it."""
    database = open_database(center.db_url)
    try:
        with database.sessions() as session:
            return list(session.scalars(statement))
    finally:
        database.close()


def center_audit(center: RunningCenter, command_id: str) -> list[str]:
    rows = center_rows(
        center,
        select(CommandAuditRow)
        .where(CommandAuditRow.command_id == command_id)
        .order_by(CommandAuditRow.id),
    )
    return [row.action for row in rows]


# -- connectivity -------------------------------------------------------------------------


def test_offline_is_noticed_within_seconds_and_online_comes_back_by_itself(
    proxy: FaultProxy, kiosks: Callable[..., Kiosk]
) -> None:
    kiosk = kiosks(proxy.url)
    changes: list[bool] = []
    kiosk.services.watch_connectivity(changes.append)
    assert kiosk.services.online

    proxy.refuse()
    cut = time.monotonic()
    assert eventually(lambda: not kiosk.services.online, timeout=NOTICE_WITHIN_S + 2)
    noticed = time.monotonic() - cut
    assert noticed < NOTICE_WITHIN_S, f"offline noticed after {noticed:.2f} s"

    proxy.clear()
    back = time.monotonic()
    assert eventually(lambda: kiosk.services.online, timeout=NOTICE_WITHIN_S + 2)
    assert time.monotonic() - back < NOTICE_WITHIN_S
    assert changes == [False, True]


def test_server_errors_count_as_unreachable(
    proxy: FaultProxy, kiosks: Callable[..., Kiosk]
) -> None:
    kiosk = kiosks(proxy.url)
    proxy.inject("5xx")
    assert eventually(lambda: not kiosk.services.online, timeout=NOTICE_WITHIN_S)
    proxy.clear()
    assert eventually(lambda: kiosk.services.online, timeout=NOTICE_WITHIN_S)


# -- heartbeat and commands --------------------------------------------------------------


def test_heartbeat_delivers_the_kiosks_health(
    fleet_center: RunningCenter, kiosks: Callable[..., Kiosk]
) -> None:
    kiosks(fleet_center.url)

    def seen() -> dict[str, Any] | None:
        fleet = operator(fleet_center, "GET", "/v1/admin/kiosks").json()["kiosks"]
        return next((k for k in fleet if k["kiosk_id"] == KIOSK_ID), None)

    kiosk = wait_for(seen, timeout=5, what="the kiosk in the fleet view")
    health = kiosk["health"]
    assert [d["name"] for d in health["devices"]] == ["printer"]
    assert health["devices"][0]["status"] == "ok"
    assert health["queue_depth"] is not None and health["queue_depth"] >= 0
    assert health["disk_free_bytes"] > 0
    assert health["versions"]["protocol"] == "1"
    assert len(health["versions"]["config_hash"]) == 16
    assert health["locked"] is False
    assert kiosk["pending_commands"] == 0


def test_lock_is_applied_acknowledged_audited_survives_a_restart_and_unlock_works(
    fleet_center: RunningCenter, kiosks: Callable[..., Kiosk]
) -> None:
    kiosk = kiosks(fleet_center.url)
    seen: list[object] = []
    kiosk.services.watch_lock(seen.append)

    lock_id = issue(fleet_center, "lock", message_zh="设备维护中", message_en="Under maintenance")
    state = wait_for(lambda: kiosk.services.lock_state, timeout=5, what="the lock")
    assert (state.message_zh, state.message_en) == ("设备维护中", "Under maintenance")
    assert seen == [state]
    assert eventually(lambda: command_status(fleet_center, lock_id) == "done", timeout=5)
    assert [e["kind"] for e in audit_events(kiosk)] == ["lock"]
    assert audit_events(kiosk)[0]["locked"] is True
    assert center_audit(fleet_center, lock_id) == ["issued", "delivered", "done"]

    kiosk.close()
    restarted = kiosks(fleet_center.url, start=False)
    assert restarted.services.lock_state == state  # before any word from the center
    # The screens subscribe while the back end is still starting: they learn of the lock too.
    starting = StartingServices("https://95598.js.sgcc.local/bill/")
    told: list[object] = []
    starting.watch_lock(told.append)
    assert starting.lock_state is None
    starting.provide(restarted.services)
    assert told == [state]
    assert starting.lock_state == state
    restarted.start()

    unlock_id = issue(fleet_center, "unlock")
    assert eventually(lambda: restarted.services.lock_state is None, timeout=5)
    assert told == [state, None]
    assert eventually(lambda: command_status(fleet_center, unlock_id) == "done", timeout=5)
    assert [e["kind"] for e in audit_events(restarted)] == ["lock", "unlock"]


def test_sync_now_and_reload_settings_call_their_hooks(
    fleet_center: RunningCenter, kiosks: Callable[..., Kiosk]
) -> None:
    kiosk = kiosks(fleet_center.url, start=False)
    assert kiosk.fleet is not None
    called: list[str] = []
    kiosk.fleet.remote_commands.sync_now_hooks.append(lambda: called.append("sync"))
    kiosk.fleet.remote_commands.reload_settings_hooks.append(lambda: called.append("reload"))
    kiosk.start()

    sync_id = issue(fleet_center, "sync_now")
    assert eventually(lambda: command_status(fleet_center, sync_id) == "done", timeout=5)
    reload_id = issue(fleet_center, "reload_settings")
    assert eventually(lambda: command_status(fleet_center, reload_id) == "done", timeout=5)
    assert called == ["sync", "reload"]


def test_a_command_delivered_twice_is_carried_out_once(
    fleet_center: RunningCenter, kiosks: Callable[..., Kiosk]
) -> None:
    kiosk = kiosks(fleet_center.url, start=False)
    assert kiosk.fleet is not None
    called: list[str] = []
    kiosk.fleet.remote_commands.sync_now_hooks.append(lambda: called.append("sync"))
    command_id = issue(fleet_center, "sync_now")

    # First delivery: carried out, but the acknowledgement is lost (the kiosk never sends it).
    beat_answer = kiosk.center.heartbeat(_beat(kiosk))
    (command,) = beat_answer.commands
    first = kiosk.fleet.remote_commands.carry_out(command)
    assert command_status(fleet_center, command_id) == "pending"

    # The center hands it over again with the next heartbeat: same answer, not done again.
    assert kiosk.fleet.heartbeat.beat_once() == 1
    assert called == ["sync"]
    assert [e["command_id"] for e in audit_events(kiosk)] == [command_id]
    assert command_status(fleet_center, command_id) == "done"
    assert kiosk.fleet.remote_commands.carry_out(command) == first
    assert kiosk.fleet.heartbeat.beat_once() == 0


def test_a_command_that_fails_is_acknowledged_as_failed_with_the_reason(
    fleet_center: RunningCenter, kiosks: Callable[..., Kiosk]
) -> None:
    kiosk = kiosks(fleet_center.url, start=False)
    assert kiosk.fleet is not None

    def broken() -> None:
        raise OSError("settings file unreadable")

    kiosk.fleet.remote_commands.reload_settings_hooks[:] = [broken]
    command_id = issue(fleet_center, "reload_settings")
    kiosk.fleet.heartbeat.beat_once()
    records = operator(fleet_center, "GET", f"/v1/admin/kiosks/{KIOSK_ID}/commands").json()
    (record,) = [r for r in records if r["id"] == command_id]
    assert record["status"] == "failed"
    assert record["reason"] == "OSError: settings file unreadable"
    assert center_audit(fleet_center, command_id) == ["issued", "delivered", "failed"]


# -- the center's guards ------------------------------------------------------------------


def test_the_operator_api_wants_the_token(fleet_center: RunningCenter) -> None:
    path = f"{fleet_center.url}/v1/admin/kiosks"
    assert requests.get(path, timeout=5).status_code == 401
    wrong = requests.get(path, headers={"Authorization": "Bearer nope"}, timeout=5)
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "not_an_operator"


def test_without_a_token_configured_the_operator_api_is_closed(
    start_center: Callable[..., RunningCenter], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(OPERATOR_TOKEN_ENV, raising=False)
    center = start_center(demo_data=False)
    answer = requests.get(
        f"{center.url}/v1/admin/kiosks", headers={"Authorization": "Bearer "}, timeout=5
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "operator_api_disabled"


def test_a_kiosk_cannot_acknowledge_another_kiosks_command(
    fleet_center: RunningCenter,
) -> None:
    command_id = issue(fleet_center, "unlock")
    answer = requests.post(
        f"{fleet_center.url}/v1/commands/{command_id}/ack",
        json={"status": "done", "done_at": "2026-11-24T10:00:00+00:00"},
        headers={"X-Kiosk-Id": "someone-else"},
        timeout=5,
    )
    # Answered exactly as a command that does not exist: nothing tells another kiosk it does.
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "command_not_found"
    assert command_status(fleet_center, command_id) == "pending"


def _beat(kiosk: Kiosk) -> Heartbeat:
    return Heartbeat(
        kiosk_id=kiosk.config.kiosk.id,
        sent_at=dt.datetime.now(dt.UTC),
        health=KioskHealth(versions=Versions(app="test", protocol="1", config_hash="0")),
    )


def center_events(center: RunningCenter, aggregate_type: str) -> list[tuple[str, dict[str, Any]]]:
    rows = center_rows(
        center,
        select(ReceivedEventRow)
        .where(ReceivedEventRow.aggregate_type == aggregate_type)
        .order_by(ReceivedEventRow.sequence),
    )
    return [(row.type, row.payload) for row in rows]


def test_a_printer_fault_and_its_repair_reach_the_center_in_order_even_offline(
    fleet_center: RunningCenter, proxy: FaultProxy, tmp_path: Path
) -> None:
    with PrinterSimulator().start() as paper:
        printer = {"driver": "escpos", "url": f"serial://{paper.path}?baud=115200"}
        kiosk = build_kiosk(kiosk_config(tmp_path / "kiosk", proxy.url, printer=printer))
        try:
            kiosk.start()
            proxy.refuse()  # the fault happens while the center cannot be reached
            paper.set_state("paper-out")
            wait_for(lambda: queued(kiosk, "device.fault"), timeout=10, what="the fault queued")
            paper.set_state("normal")
            wait_for(lambda: queued(kiosk, "device.recovered"), timeout=10, what="the repair")
            proxy.listen()
            story = wait_for(
                lambda: (got := center_events(fleet_center, "device")) and len(got) == 2 and got,
                timeout=10,
                what="both events at the center",
            )
        finally:
            kiosk.close()
    (fault, faulted), (repair, repaired) = story
    assert (fault, faulted["device"], faulted["status"]) == ("device.fault", "printer", "fault")
    assert "paper" in faulted["detail"].lower()
    assert (repair, repaired["status"], repaired["was"]) == ("device.recovered", "ok", "fault")


def queued(kiosk: Kiosk, event_type: str) -> bool:
    with kiosk.store.engine.connect() as connection:
        found = connection.execute(
            select(queue.outbox.c.id).where(queue.outbox.c.type == event_type)
        ).first()
    return found is not None
