"""The store on a real SQLite file: pragmas, migrations, concurrent openers and writers."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from kiosk.store import Store, StoreError, open_store
from kiosk.store.database import HEAD_REVISION, MIGRATIONS, WAL_LIMIT_BYTES, create_store_engine
from kiosk.store.kiosk_state import FIRST_STARTED_AT
from kiosk.store.tables import all_metadata
from sync import queue


def test_pragmas_are_really_set(store: Store) -> None:
    with store.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 1000
        assert pragma("journal_size_limit") == WAL_LIMIT_BYTES


def test_the_wal_file_shrinks_back_after_a_large_transaction(store: Store) -> None:
    wal = store.path.with_name(store.path.name + "-wal")
    with store.unit_of_work() as uow:
        for n in range(20_000):  # about 30 MiB of pages in one transaction
            uow.outbox.add(
                {"type": "t", "aggregate_type": "a", "aggregate_id": f"{n}", "pad": "x" * 1000}
            )
        uow.commit()
    assert wal.stat().st_size > WAL_LIMIT_BYTES
    # That commit checkpointed the WAL; the next write starts it over, truncated.
    with store.unit_of_work() as uow:
        uow.outbox.add({"type": "t", "aggregate_type": "a", "aggregate_id": "last"})
        uow.commit()
    assert wal.stat().st_size <= WAL_LIMIT_BYTES


def test_writers_begin_immediate(store: Store) -> None:
    # An IMMEDIATE transaction holds the write lock from its first statement, even a read; a
    # deferred one would let another writer in here.
    with store.engine.begin() as holder:
        holder.execute(text("SELECT 1"))
        other = sqlite3.connect(store.path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def _migrated_from_nothing(path: Path) -> Engine:
    """A store made by running every migration on an empty file, as the first versions did."""
    engine = create_store_engine(path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return engine


def _schema(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        found = inspect(connection)
        return {
            table: (
                [
                    (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                    for c in found.get_columns(table)
                ],
                found.get_pk_constraint(table)["constrained_columns"],
                sorted(
                    (i["name"], tuple(i["column_names"]), i["unique"])
                    for i in found.get_indexes(table)
                ),
                sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
            )
            for table in found.get_table_names()
        }


def test_migrations_create_the_tables_the_code_uses(tmp_path: Path) -> None:
    engine = _migrated_from_nothing(tmp_path / "migrated.db")
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert {"outbox", "kiosk_state", "alembic_version"} <= tables
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, list(all_metadata)) == []
    engine.dispose()


def test_a_new_store_is_made_at_the_newest_migration_without_alembic(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from kiosk.store import open_store; "
        "open_store(Path(sys.argv[1])).close(); print('alembic' in sys.modules)"
    )
    made = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "new.db")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert made.stdout.strip() == "False"  # the first start does not load Alembic
    new = create_store_engine(tmp_path / "new.db")
    migrated = _migrated_from_nothing(tmp_path / "migrated.db")
    assert _schema(new) == _schema(migrated)  # the same store either way
    with new.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
            (HEAD_REVISION,)
        ]
    new.dispose()
    migrated.dispose()


def _head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_the_store_knows_the_newest_migration() -> None:
    """A store at HEAD_REVISION opens without Alembic: it must be the scripts' real head."""
    assert _head_revision() == HEAD_REVISION


def test_a_store_behind_the_newest_migration_is_brought_up_to_it(store_path: Path) -> None:
    open_store(store_path).close()
    with sqlite3.connect(store_path) as connection:  # as a store of an older version was
        connection.execute("DROP TABLE reference_data")
        connection.execute("DROP TABLE audit_log")
        connection.execute("UPDATE alembic_version SET version_num = '0003'")
    again = open_store(store_path)
    with again.engine.connect() as connection:
        assert {"reference_data", "audit_log"} <= set(inspect(connection).get_table_names())
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
            (HEAD_REVISION,)
        ]
    again.close()


def test_reopening_is_a_no_op(store_path: Path) -> None:
    first = open_store(store_path, now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    with first.unit_of_work() as uow:
        uow.outbox.add({"type": "T", "aggregate_type": "a", "aggregate_id": "1"})
        uow.commit()
    first.close()
    again = open_store(store_path, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    with again.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
            (_head_revision(),)
        ]
        assert queue.depth(connection) == 1
    # The first start is kept, not overwritten by later starts.
    assert again.kiosk_state(FIRST_STARTED_AT) == "2025-01-01T00:00:00+00:00"
    again.close()


def test_two_processes_open_a_new_store_at_once(store_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from kiosk.store import open_store; "
        "open_store(Path(sys.argv[1])).close()"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code, str(store_path)], stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    errors = [p.communicate(timeout=60)[1].decode() for p in processes]
    assert [p.returncode for p in processes] == [0, 0], errors
    reopened = open_store(store_path)
    with reopened.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    reopened.close()


def test_two_threads_writing_at_once_do_not_hit_busy(store_path: Path) -> None:
    # Two engines, as two parts of the kiosk (or two processes) would have.
    stores = [open_store(store_path), open_store(store_path)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def write(store: Store) -> None:
        start.wait()
        try:
            for n in range(40):
                with store.unit_of_work() as uow:
                    # Read first, then write: the pattern that deadlocks deferred transactions.
                    queue.depth(uow.connection)
                    uow.outbox.add(
                        {"type": "T", "aggregate_type": "a", "aggregate_id": "1", "n": n}
                    )
                    uow.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with stores[0].engine.connect() as connection:
        sequences = connection.exec_driver_sql("SELECT sequence FROM outbox ORDER BY rowid").all()
    assert [s for (s,) in sequences] == list(range(80))
    for s in stores:
        s.close()


def test_a_store_that_cannot_be_created_says_so(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("")
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(tmp_path / "not-a-folder" / "kiosk.sqlite3")
