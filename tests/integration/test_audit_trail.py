"""The kiosk's audit trail through the real store, the queue relay and the real center over
loopback, checked by `kiosk audit verify`: intact as written, and each kind of tampering in the
SQLite file found, a trail cut short included (the center holds the last entry)."""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from center.database import KioskAuditRow
from kiosk.audit_commands import run_audit_command
from kiosk.bootstrap import Kiosk, build_kiosk
from kiosk.config import KioskConfig
from kiosk.services.audit import AuditTrail
from kiosk.store.audit_log import read_entries
from sync.protocol.fleet import RemoteCommand
from tests.integration.test_heartbeat import KIOSK_ID, center_rows, kiosk_config
from tests.support.center import RunningCenter
from tests.support.waiting import eventually


@pytest.fixture
def center(start_center: Callable[..., RunningCenter]) -> RunningCenter:
    return start_center(demo_data=False)


@pytest.fixture
def config(tmp_path: Path, center: RunningCenter) -> KioskConfig:
    return kiosk_config(tmp_path / "kiosk", center.url, interval=30)


@pytest.fixture
def kiosk(config: KioskConfig) -> Iterator[Kiosk]:
    built = build_kiosk(config)
    built.start()
    yield built
    built.close()


def verify(config: KioskConfig, *, offline: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    args = argparse.Namespace(action="verify", offline=offline)
    return run_audit_command(args, config, out), out.getvalue()


def record_steps(kiosk: Kiosk, count: int) -> AuditTrail:
    trail = AuditTrail(kiosk.store.unit_of_work, kiosk_id=KIOSK_ID)
    for n in range(count):
        trail.record("technician", "maintenance.step", f"step {n + 1}")
    return trail


def held_by_center(center: RunningCenter) -> list[KioskAuditRow]:
    return center_rows(
        center,
        select(KioskAuditRow).where(KioskAuditRow.kiosk_id == KIOSK_ID).order_by(KioskAuditRow.seq),
    )


def delivered(center: RunningCenter, count: int) -> bool:
    return len(held_by_center(center)) == count


def tamper(kiosk: Kiosk, *statements: str) -> None:
    with sqlite3.connect(kiosk.store.path) as connection:
        for statement in statements:
            connection.execute(statement)


def test_a_trail_as_written_is_intact_here_and_at_the_center(
    kiosk: Kiosk, center: RunningCenter, config: KioskConfig
) -> None:
    record_steps(kiosk, 6)
    assert eventually(lambda: delivered(center, 6), timeout=10)
    rows = held_by_center(center)
    assert [row.chained for row in rows] == [None, True, True, True, True, True]
    status, said = verify(config)
    assert status == 0, said
    assert "audit trail intact: 6 entries" in said
    assert "the center's copy agrees up to entry 6" in said


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        (["UPDATE audit_log SET detail = 'nothing' WHERE seq = 3"], "entry 3: edited"),
        (["DELETE FROM audit_log WHERE seq = 4"], "entry 4: missing"),
        (
            [
                "UPDATE audit_log SET seq = 100 WHERE seq = 2",
                "UPDATE audit_log SET seq = 2 WHERE seq = 3",
                "UPDATE audit_log SET seq = 3 WHERE seq = 100",
            ],
            "entry 2: reordered",
        ),
    ],
    ids=["edited", "deleted", "reordered"],
)
def test_verify_finds_tampering(
    kiosk: Kiosk,
    center: RunningCenter,
    config: KioskConfig,
    statements: list[str],
    expected: str,
) -> None:
    record_steps(kiosk, 6)
    assert eventually(lambda: delivered(center, 6), timeout=10)
    tamper(kiosk, *statements)
    status, said = verify(config, offline=True)
    assert status == 1
    assert expected in said
    assert "NOT intact" in said


def test_a_trail_cut_short_disagrees_with_the_center(
    kiosk: Kiosk, center: RunningCenter, config: KioskConfig
) -> None:
    record_steps(kiosk, 5)
    assert eventually(lambda: delivered(center, 5), timeout=10)
    tamper(kiosk, "DELETE FROM audit_log WHERE seq >= 4")
    # The chain that is left is whole: only the center's copy tells.
    assert verify(config, offline=True)[0] == 0
    status, said = verify(config)
    assert status == 1
    assert "entry 5: missing here, but the center holds it" in said


def test_a_trail_rewritten_whole_disagrees_with_the_center(
    kiosk: Kiosk, center: RunningCenter, config: KioskConfig
) -> None:
    record_steps(kiosk, 3)
    assert eventually(lambda: delivered(center, 3), timeout=10)
    tamper(kiosk, "DELETE FROM audit_log")
    # The relay is stopped first, so the center does not get the forged trail.
    kiosk.relay.stop(timeout=5)
    forger = AuditTrail(kiosk.store.unit_of_work, kiosk_id=KIOSK_ID)
    for n in range(3):
        forger.record("technician", "maintenance.step", f"harmless {n}")
    status, said = verify(config)
    assert status == 1
    assert "entry 3: differs from the center's copy" in said


def test_the_center_marks_an_entry_sent_unchained(
    kiosk: Kiosk, center: RunningCenter, config: KioskConfig
) -> None:
    kiosk.relay.stop(timeout=5)
    record_steps(kiosk, 3)
    # Entry 2 edited, hash and all, before it was sent: the center sees entry 3 unchained.
    tamper(kiosk, "UPDATE audit_log SET hash = '" + "a" * 64 + "' WHERE seq = 2")
    with sqlite3.connect(kiosk.store.path) as connection:
        rows = connection.execute("SELECT id, payload FROM outbox WHERE type = 'audit.entry'")
        for row_id, payload in rows.fetchall():
            fields = json.loads(payload)
            if fields["seq"] == 2:
                fields["hash"] = "a" * 64
                connection.execute(
                    "UPDATE outbox SET payload = ? WHERE id = ?", (json.dumps(fields), row_id)
                )
    kiosk.relay.start()
    assert eventually(lambda: delivered(center, 3), timeout=10)
    assert [row.chained for row in held_by_center(center)] == [None, True, False]
    status, said = verify(config)
    assert status == 1
    assert "entry 3: the center received it not chained to the one before" in said


def test_entries_recorded_at_once_from_two_threads_stay_one_chain(kiosk: Kiosk) -> None:
    trail = AuditTrail(kiosk.store.unit_of_work, kiosk_id=KIOSK_ID)
    start = threading.Barrier(2)

    def record(who: str) -> None:
        start.wait()
        for n in range(20):
            trail.record(who, "maintenance.step", str(n))

    threads = [threading.Thread(target=record, args=(who,)) for who in ("technician", "center")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with kiosk.store.engine.connect() as connection:
        entries = read_entries(connection)
    assert [entry.seq for entry in entries] == list(range(1, 41))
    from rules.audit_chain import verify_chain

    assert verify_chain(entries) == []


def test_a_remote_command_is_in_the_audit_trail(kiosk: Kiosk) -> None:
    import datetime as dt
    import uuid

    assert kiosk.fleet is not None
    command = RemoteCommand(
        id=uuid.uuid4(),
        kind="lock",
        message_zh="维修中",
        message_en="Being repaired",
        issued_at=dt.datetime.now(dt.UTC),
    )
    kiosk.fleet.remote_commands.carry_out(command)
    kiosk.fleet.remote_commands.carry_out(command)  # handed over again: done once
    with kiosk.store.engine.connect() as connection:
        entries = read_entries(connection)
    assert [(e.actor, e.action) for e in entries] == [("center", "command.lock")]
    assert str(command.id) in entries[0].detail and "Being repaired" in entries[0].detail
