"""Opening the kiosk's one SQLite file: pragmas, BEGIN IMMEDIATE writers, migrations."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from kiosk.store import kiosk_state
from kiosk.store.unit_of_work import SpareConnection, UnitOfWork, begin_immediately
from sync.queue import Sealing

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration. A store already at it opens without importing Alembic at all (16 MiB
# and a good part of a kiosk's start); a test keeps it equal to the scripts' head.
HEAD_REVISION = "0005"
# How long a writer waits for another one before giving up (milliseconds).
BUSY_TIMEOUT_MS = 15_000
WAL_LIMIT_BYTES = 16 * 2**20


class StoreError(RuntimeError):
    """The store file cannot be opened or migrated."""


def _use_wal(cursor: sqlite3.Cursor) -> None:
    # WAL is a property of the file, and switching to it needs the file to itself: SQLite's
    # busy handler does not wait for that, so two processes creating the store at once would
    # see "database is locked". Wait here instead, as long as a writer would.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
            continue
        if mode.lower() != "wal":
            raise sqlite3.OperationalError(f"the store cannot use WAL (journal mode is {mode})")
        return


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Legacy pysqlite transaction handling off: SQLAlchemy's "begin" event says BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _use_wal(cursor)
        # Payment state lives here: a commit must survive a power cut, not only a crash.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # A large transaction (a migration, a long offline day compacted) grows the WAL file,
        # and SQLite keeps it at that size: truncate it back after a checkpoint.
        cursor.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
    finally:
        cursor.close()


def _on_begin(connection: Connection) -> None:
    # Take the write lock up front: a deferred transaction that later writes can fail with
    # SQLITE_BUSY that busy_timeout does not cure. A unit of work may have begun already on
    # the same DBAPI connection before handing it to SQLAlchemy (unit_of_work.py).
    raw = connection.connection.driver_connection
    assert raw is not None  # a checked-out connection always has its DBAPI connection
    begin_immediately(raw)


def create_store_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _revision(engine: Engine) -> str | None:
    """The migration the store is at (None: a new file, or one made before migrations)."""
    with engine.connect() as connection:
        try:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        except OperationalError:  # a new file: no version table yet
            return None
    return rows[0][0] if rows else None


def _migrate(engine: Engine, path: Path) -> None:
    revision = _revision(engine)
    if revision == HEAD_REVISION:
        return
    with engine.begin() as connection:  # BEGIN IMMEDIATE: a second opener waits here
        if not inspect(connection).get_table_names():
            _create_at_head(connection)
            return
    back_up_before_migrating(path, revision)
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_migrations(connection), "head")


def _migrations(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def backup_path(path: Path, revision: str | None) -> Path:
    """Where the copy of the store taken before migrating it from `revision` is kept."""
    return path.with_name(f"{path.name}.before-{revision or 'migrations'}")


def back_up_before_migrating(path: Path, revision: str | None) -> Path:
    """A whole copy of the store at `revision`, as it was, beside it: a new release's migration
    that goes wrong, or a rollback whose downgrade fails, still has the queue and the journal
    to go back to. SQLite's online backup: consistent even while another process writes."""
    target = backup_path(path, revision)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    partial.replace(target)  # a power cut leaves the old copy or the new one, never half of one
    log.info("store backed up before migrating from %s: %s", revision, target.name)
    return target


def move_store_to(path: Path, revision: str) -> str | None:
    """Migrate the store at `path` up or down to `revision` (a rollback takes it down to what
    the previous release knows, with this release's own downgrade scripts); the revision it was
    at."""
    engine = create_store_engine(path)
    try:
        was = _revision(engine)
        if was == revision:
            return was
        # Revisions are zero-padded numbers (0001, 0002, ...): their order is the text's.
        down = was is not None and was > revision
        back_up_before_migrating(path, was)
        from alembic import command

        with engine.begin() as connection:
            config = _migrations(connection)
            if down:
                command.downgrade(config, revision)
            else:
                command.upgrade(config, revision)
        log.info("store moved from revision %s to %s", was, revision)
        return was
    finally:
        engine.dispose()


def store_revision(path: Path) -> str | None:
    engine = create_store_engine(path)
    try:
        return _revision(engine)
    finally:
        engine.dispose()


def _create_at_head(connection: Connection) -> None:
    """A new store is made from the tables as the code declares them and marked as being at the
    newest migration: the first start need not load Alembic (a test holds the two to the same
    schema). Stores made earlier are brought up by the migrations."""
    from kiosk.store.tables import all_metadata

    for metadata in all_metadata:
        metadata.create_all(connection)
    connection.exec_driver_sql(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
    )
    connection.exec_driver_sql(
        "INSERT INTO alembic_version (version_num) VALUES (?)", (HEAD_REVISION,)
    )


class Store:
    """The open store: its engine and units of work."""

    def __init__(self, engine: Engine, path: Path, sealing: Sealing | None = None) -> None:
        self.engine = engine
        self.path = path
        # The sealer of queued events' personal fields (sync.sealing.Sealer).
        self._sealing = sealing
        self._listeners: list[Callable[[], None]] = []
        self._connections = SpareConnection(engine)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(
            self.engine,
            connections=self._connections,
            sealing=self._sealing,
            after_events_committed=self._events_committed,
        )

    def when_events_committed(self, listener: Callable[[], None]) -> None:
        """Call `listener` after each commit that queued events (e.g. `relay.notify`)."""
        self._listeners.append(listener)

    def _events_committed(self) -> None:
        for listener in self._listeners:
            try:
                listener()
            except Exception:
                # The events are committed; a listener failing must not look like a failed commit.
                log.exception("listener for committed events failed")

    def kiosk_state(self, key: str) -> str | None:
        with self.engine.connect() as connection:
            return kiosk_state.read_state(connection, key)

    def close(self) -> None:
        self._connections.close()
        self.engine.dispose()


def open_store(
    path: Path, *, now: dt.datetime | None = None, sealing: Sealing | None = None
) -> Store:
    """Open (creating if needed) the store at `path` and bring its schema up to date.

    Safe to call again on an open store and from two processes at once: migrating happens in
    one BEGIN IMMEDIATE transaction, so the second opener waits and then finds nothing to do.
    """
    path = Path(path)
    engine = create_store_engine(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _migrate(engine, path)
        with engine.begin() as connection:
            started = (now or dt.datetime.now(dt.UTC)).isoformat()
            kiosk_state.keep_first(connection, kiosk_state.FIRST_STARTED_AT, started)
    except (OSError, SQLAlchemyError) as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc
    log.info("store open at %s", path)
    return Store(engine, path, sealing)
