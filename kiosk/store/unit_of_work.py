"""The unit of work (cosmicpython's shape): one transaction for a business change and its events.

Aggregates record their own events (`Payment.events`); a unit of work that is told of an
aggregate (`track`) writes those events to the outbox when it commits, in the same
transaction as the aggregate's row, and empties the aggregate's list once that commit is done.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol

from sqlalchemy import Connection, Engine

from kiosk.store.audit_log import append_entry, last_entry
from kiosk.store.events import outgoing
from kiosk.store.outbox import Outbox
from kiosk.store.waiting_applications import WaitingApplication, waiting_applications
from rules.audit_chain import AuditEntry
from sync.queue import Sealing


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Aggregate(Protocol):
    """Anything that records what happened to it in a list of domain events."""

    @property
    def events(self) -> list[Any]: ...


def begin_immediately(connection: sqlite3.Connection) -> None:
    """Begin a transaction holding the write lock, unless one is open on this connection."""
    if not connection.in_transaction:
        connection.execute("BEGIN IMMEDIATE")


class SpareConnection:
    """One pooled DBAPI connection kept checked out between units of work.

    Taking a connection from SQLAlchemy's pool and handing it back cost a unit of work some
    20 us of Python: a tenth of its time, with a commit that must reach the disk. Units of
    work running at once each take their own; only one is kept.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._spare: Any = None
        self._closed = False
        self._lock = threading.Lock()

    def take(self) -> Any:
        with self._lock:
            spare, self._spare = self._spare, None
        return spare if spare is not None else self._engine.raw_connection()

    def give_back(self, dbapi: Any) -> None:
        if dbapi.is_valid and dbapi.driver_connection.in_transaction:
            dbapi.rollback()  # never kept holding the write lock
        with self._lock:
            if dbapi.is_valid and self._spare is None and not self._closed:
                self._spare = dbapi
                return
        dbapi.close()

    def close(self) -> None:
        with self._lock:
            spare, self._spare, self._closed = self._spare, None, True
        if spare is not None:
            spare.close()


class UnitOfWork:
    """Use as `with store.unit_of_work() as uow: ...; uow.commit()`.

    Leaving the block without `commit()` (or by an exception) rolls everything back: the
    business rows and the outbox rows together.

    The transaction lives on one DBAPI connection (`SpareConnection`). Events go onto it, and
    `connection` (SQLAlchemy Core, for the business change) is made on first use around the
    same DBAPI connection. Why not always SQLAlchemy: with a commit that must reach the disk
    each time, its connection, begin and commit cost more Python than the insert did, and a
    use case queuing one event took 2.5 times as long as raw sqlite3 with the same durability.
    """

    outbox: Outbox

    def __init__(
        self,
        engine: Engine,
        *,
        connections: SpareConnection | None = None,
        sealing: Sealing | None = None,
        after_events_committed: Callable[[], None] | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._engine = engine
        self._connections = connections or SpareConnection(engine)
        self._sealing = sealing
        self._after_events_committed = after_events_committed
        self._clock = clock
        self._dbapi: Any = None
        self._connection: Connection | None = None
        self._seen: list[Aggregate] = []

    def __enter__(self) -> UnitOfWork:
        self._dbapi = self._connections.take()
        self._connection = None
        self._seen = []
        self.outbox = Outbox(self, self._clock, self._sealing)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # After a commit there is nothing to undo; otherwise this rolls everything back.
        if self._connection is not None and self._connection.in_transaction():
            self._connection.rollback()
        # Not closed: that would hand the DBAPI connection to the pool behind the spare's back.
        self._connection = None
        self._seen = []
        self._connections.give_back(self._dbapi)
        self._dbapi = None

    def track(self, aggregate: Aggregate) -> None:
        """Write `aggregate`'s new events to the outbox in this unit's commit."""
        if not any(seen is aggregate for seen in self._seen):
            self._seen.append(aggregate)

    def waiting_applications(self, id_number: str | None = None) -> list[WaitingApplication]:
        """Applications made here that the center has not acknowledged yet."""
        return waiting_applications(self.connection, self._sealing, id_number)

    def last_audit_entry(self) -> AuditEntry | None:
        begin_immediately(self._dbapi.driver_connection)
        return last_entry(self.connection)

    def append_audit_entry(self, entry: AuditEntry) -> None:
        append_entry(self.connection, entry)

    @property
    def connection(self) -> Connection:
        """SQLAlchemy Core for the business change, in this unit's transaction."""
        if self._connection is None:
            self._connection = Connection(self._engine, connection=self._dbapi)
        return self._connection

    def cursor(self) -> Any:
        """A DBAPI cursor in this unit's transaction, begun (BEGIN IMMEDIATE) if not yet."""
        begin_immediately(self._dbapi.driver_connection)
        return self._dbapi.cursor()

    def commit(self) -> None:
        for aggregate in self._seen:
            for event in aggregate.events:
                out = outgoing(event)
                self.outbox.add(
                    out.payload, aggregate_id=out.aggregate_id, occurred_at=out.occurred_at
                )
        if self._connection is not None:
            self._connection.commit()  # what SQLAlchemy began, it ends
        self._dbapi.commit()  # what was begun here (nothing to do if SQLAlchemy ended it)
        # Only now are they the outbox's: a commit that failed leaves them on the aggregate.
        for aggregate in self._seen:
            aggregate.events.clear()
        self._seen = []
        queued, self.outbox.added = self.outbox.added, []
        if queued and self._after_events_committed is not None:
            self._after_events_committed()

    def rollback(self) -> None:
        if self._connection is not None:
            self._connection.rollback()
        self._dbapi.rollback()
        self._seen = []
        self.outbox.added = []
