"""The center's database across versions: one made by the center before its tables had
migrations (tests/data/center_before_migrations, made by that version and dumped) is migrated
by Alembic when the new center starts, on SQLite and on PostgreSQL, and nothing is lost: every
row stays, the kiosk it knew still signs in, its events stay delivered once, and the command an
operator left waiting reaches the kiosk at its next heartbeat.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, table, text

from center.database import KioskSeenRow, all_tables, open_database
from center.operators import OPERATOR_TOKEN_ENV
from center.schema import HEAD_REVISION, MIGRATIONS, SchemaError, current_revision
from center.server import serve_center
from sync.client import CenterClient
from sync.credentials import Credentials
from sync.protocol.fleet import Heartbeat
from sync.protocol.schemas import EventBatch

OLD = Path(__file__).resolve().parents[1] / "data" / "center_before_migrations"
TOKEN = "operator-secret-for-upgrade-tests"


@pytest.fixture(params=("sqlite", "postgresql"))
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A database as the center before migrations left it: its URL, and which kind it is."""
    kind = request.param
    dump = gzip.decompress((OLD / f"center.{kind}.sql.gz").read_bytes()).decode("utf-8")
    if kind == "sqlite":
        path = tmp_path / "center.db"
        with sqlite3.connect(path) as connection:
            connection.executescript(dump)
        yield f"sqlite:///{path}", kind
        return
    url = request.getfixturevalue("postgres_server").new_database("old")
    import psycopg

    # psql's own commands (pg_dump's \restrict lines) are not SQL.
    sql = "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as db:
        db.execute(sql)  # a trusted dump: several statements in one string
    yield url, kind


def _row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()
        counts = {
            name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in names
            if name != "alembic_version"
        }
    engine.dispose()
    return counts


def _schema_differences(url: str) -> list[Any]:
    engine = create_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), all_tables())
    engine.dispose()
    return differences


def test_an_old_database_is_migrated_and_nothing_is_lost(
    old_database: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, kind = old_database
    kiosk = json.loads((OLD / "kiosk.json").read_text("utf-8"))[kind]
    before = _row_counts(url)
    assert before["kiosks_seen"] == 1 and before["received_events"] == 6
    assert before["residents"] > 0 and before["remote_commands"] == 1
    assert "fleet_alerts" not in before  # the old center had no fleet pages

    database = open_database(url)  # what a starting center does
    with database.engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
    database.close()
    after = _row_counts(url)
    assert {name: after[name] for name in before} == before  # every row of every old table
    assert after["fleet_alerts"] == 0
    assert _schema_differences(url) == []  # the migrated tables are the ones the code declares

    # The center on the migrated database: the kiosk it knew signs as before.
    monkeypatch.setenv(OPERATOR_TOKEN_ENV, TOKEN)
    credentials = Credentials(kiosk["kiosk_id"], kiosk["key_id"], base64.b64decode(kiosk["secret"]))
    with (
        serve_center(
            url, today=dt.date.fromisoformat(kiosk["today"]), require_signatures=True
        ) as center,
        CenterClient(center.url, kiosk["kiosk_id"], credentials=credentials) as client,
    ):
        now = dt.datetime.now(dt.UTC)
        health = {
            "devices": [{"name": "printer", "status": "fault"}],
            "station_id": "xuanwu-xiaolingwei",
            "paper_left_pct": 0,
            "versions": {"app": "0.2.0", "protocol": "1", "config_hash": "0" * 64},
        }
        beat = Heartbeat.model_validate(
            {"kiosk_id": kiosk["kiosk_id"], "sent_at": now, "health": health}
        )
        answer = client.heartbeat(beat)
        # The lock an operator issued before the upgrade reaches the kiosk now.
        assert [str(c.id) for c in answer.commands] == [kiosk["pending_command"]]
        assert answer.commands[0].kind == "lock"
        # Its events were stored once and stay so: sent again, each is a duplicate.
        again = [
            {
                "id": event_id,
                "type": "ReceiptPrinted",
                "aggregate_type": "payment",
                "aggregate_id": f"{kiosk['kiosk_id']}-{number // 2}",
                "sequence": number % 2,
                "occurred_at": now.isoformat(),
                "payload": {"copies": 1, "paper_left": "ok"},
            }
            for number, event_id in enumerate(kiosk["events"])
        ]
        batch = EventBatch.model_validate({"kiosk_id": kiosk["kiosk_id"], "events": again})
        results = client.deliver_events(batch).results
        assert [r.status for r in results] == ["duplicate"] * 6
        # The fleet page's columns, read from the first heartbeat after the upgrade.
        fleet = requests.get(
            f"{center.url}/v1/admin/kiosks",
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        ).json()["kiosks"]
        [seen] = [k for k in fleet if k["kiosk_id"] == kiosk["kiosk_id"]]
        assert seen["health"]["paper_left_pct"] == 0
    database = open_database(url)
    with database.sessions() as session:
        row = session.get(KioskSeenRow, kiosk["kiosk_id"])
        assert row is not None
        assert (row.status, row.version, row.pending_commands) == ("red", "0.2.0", 1)
        assert row.active_alerts >= 1  # paper out, raised at that heartbeat
    database.close()
    assert _row_counts(url)["received_events"] == 6


def test_migrating_from_nothing_gives_the_tables_a_new_database_gets(tmp_path: Path) -> None:
    """A new database is made from the code's tables and marked at the newest revision; one
    made revision by revision must be the same, or an upgraded center differs from a new one."""
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()
    assert _schema_differences(url) == []

    new_url = f"sqlite:///{tmp_path / 'new.db'}"
    open_database(new_url).close()
    engine = create_engine(new_url)
    with engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
    engine.dispose()


def test_a_database_of_the_first_fleet_center_is_marked_and_not_migrated_twice(
    tmp_path: Path,
) -> None:
    """The first center with the fleet pages made their columns without a migration: such a
    database is recognised as at 0002, not run through 0002 again (which would fail)."""
    url = f"sqlite:///{tmp_path / 'center.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        all_tables().create_all(connection)  # as that center did, with no version table
        connection.execute(
            text("INSERT INTO kiosks_seen (kiosk_id, last_seen, health, status, faults, version,"
                 " active_alerts, pending_commands) VALUES ('k1', '2026-12-01 10:00:00', '{}',"
                 " 'amber', 'printer', '0.1.0', 0, 0)")
        )  # fmt: skip
    engine.dispose()
    open_database(url).close()
    engine = create_engine(url)
    with engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
        assert connection.execute(text("SELECT status FROM kiosks_seen")).scalar_one() == "amber"
    engine.dispose()


def test_a_database_of_a_newer_center_is_refused_plainly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'center.db'}"
    open_database(url).close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(SchemaError, match=r"revision 0099.*newer center"):
        open_database(url)


def test_workers_starting_at_once_on_an_old_database_migrate_it_once(
    old_database: tuple[str, str],
) -> None:
    url, kind = old_database
    if kind == "sqlite":
        pytest.skip("several workers share a PostgreSQL database (docs/center-at-scale.md)")
    errors: list[BaseException] = []

    def start() -> None:
        try:
            open_database(url).close()
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=start) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    engine = create_engine(url)
    with engine.connect() as connection:
        assert current_revision(connection) == HEAD_REVISION
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    engine.dispose()
    assert _schema_differences(url) == []
