"""The signal bus: how a message for a socket reaches the center process that holds it.

A kiosk and the staff page in one call may hold their sockets on different center workers.
What one side sends is written to the `signals` table (channel, body), in the transaction of
the change it tells about; every worker runs ONE reader that reads the new rows in id order and
hands each to the local inboxes listening on its channel. Nothing is relayed through one
process's memory only.

The reader is woken by PostgreSQL's LISTEN/NOTIFY (a psycopg async connection; the NOTIFY is
sent at commit) and polls slowly as a safety net; on SQLite it polls every 50 ms. Writers take
the bus's lock before they insert (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock of
its own, not the payments' writers' lock), so rows are committed in id order and a reader never
skips one committed late. Rows older than PURGE_AFTER are deleted now and then.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from center.database import Database, SignalRow

log = logging.getLogger(__name__)

# The key of the bus's advisory lock on PostgreSQL ("signal" in ASCII), and its NOTIFY channel.
SIGNALS_LOCK = 0x7369676E616C
NOTIFY_CHANNEL = "kiosk_center_signals"
SQLITE_POLL_S = 0.05
POSTGRES_POLL_S = 1.0  # the safety net under LISTEN/NOTIFY
PURGE_AFTER = dt.timedelta(minutes=2)
PURGE_EVERY_S = 30.0


def lock_signals(session: Session) -> None:
    """Take the bus's lock as the transaction's first statement: every transaction that
    publishes takes it, so what it reads of the calls and what it publishes are in one order
    across all processes."""
    connection = session.connection()
    dialect = connection.dialect.name
    url = str(connection.engine.url)
    if dialect == "sqlite" and url not in ("sqlite://", "sqlite:///:memory:"):
        connection.execute(text("BEGIN IMMEDIATE"))
    elif dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SIGNALS_LOCK})


def publish(session: Session, channel: str, body: str, now: dt.datetime) -> None:
    """Queue `body` for `channel`, delivered once the transaction commits. The caller took
    lock_signals() first."""
    session.add(SignalRow(channel=channel, body=body, created_at=now))
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})


@dataclass(eq=False)
class Inbox:
    """What one socket hears: (channel, body) pairs of the channels it joined."""

    bus: SignalBus
    queue: asyncio.Queue[tuple[str, str]] = field(default_factory=asyncio.Queue)
    channels: set[str] = field(default_factory=set)

    def join(self, channel: str) -> None:
        self.channels.add(channel)
        self.bus._listeners.setdefault(channel, set()).add(self)

    def leave(self, channel: str) -> None:
        self.channels.discard(channel)
        listening = self.bus._listeners.get(channel)
        if listening is not None:
            listening.discard(self)
            if not listening:
                del self.bus._listeners[channel]

    def close(self) -> None:
        for channel in list(self.channels):
            self.leave(channel)

    async def get(self) -> tuple[str, str]:
        return await self.queue.get()


class SignalBus:
    """One per process (per app). Started with the app's lifespan, or by the first inbox when
    the server runs without one; stopped with the lifespan."""

    def __init__(self, database: Database, clock: Callable[[], dt.datetime]) -> None:
        self._database = database
        self._clock = clock
        self._listeners: dict[str, set[Inbox]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._wake: asyncio.Event | None = None
        self._postgres = database.engine.dialect.name == "postgresql"
        self._last_id = 0
        self._last_purge = 0.0

    def send(self, channel: str, body: str) -> None:
        """Publish one message in a transaction of its own (sync: run it off the event loop)."""
        with self._database.sessions.begin() as session:
            lock_signals(session)
            publish(session, channel, body, self._clock())

    def inbox(self) -> Inbox:
        self.start()
        return Inbox(self)

    def start(self) -> None:
        """Start the reader in the running loop, once."""
        if self._tasks:
            return
        self._wake = asyncio.Event()
        self._last_id = self._newest_id()  # what was sent before this process listened is not ours
        self._tasks.append(asyncio.create_task(self._read(), name="signal-bus-reader"))
        if self._postgres:
            self._tasks.append(asyncio.create_task(self._listen(), name="signal-bus-listen"))

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # -- the reader -----------------------------------------------------------------------

    def _newest_id(self) -> int:
        with self._database.sessions() as session:
            return int(session.scalar(select(func.max(SignalRow.id))) or 0)

    def _rows_after(self, last_id: int) -> list[tuple[int, str, str]]:
        with self._database.sessions() as session:
            rows = session.execute(
                select(SignalRow.id, SignalRow.channel, SignalRow.body)
                .where(SignalRow.id > last_id)
                .order_by(SignalRow.id)
                .limit(500)
            ).all()
        return [(int(row[0]), row[1], row[2]) for row in rows]

    def _purge(self) -> None:
        with self._database.sessions.begin() as session:
            cutoff = self._clock() - PURGE_AFTER
            session.execute(delete(SignalRow).where(SignalRow.created_at < cutoff))

    async def _read(self) -> None:
        assert self._wake is not None
        poll = POSTGRES_POLL_S if self._postgres else SQLITE_POLL_S
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), poll)
            self._wake.clear()
            try:
                await self._deliver()
                if time.monotonic() - self._last_purge > PURGE_EVERY_S:
                    self._last_purge = time.monotonic()
                    await asyncio.to_thread(self._purge)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("the signal bus could not read its table")
                await asyncio.sleep(poll)

    async def _deliver(self) -> None:
        while True:
            rows = await asyncio.to_thread(self._rows_after, self._last_id)
            for row_id, channel, body in rows:
                self._last_id = row_id
                for inbox in list(self._listeners.get(channel, ())):
                    inbox.queue.put_nowait((channel, body))
            if len(rows) < 500:
                return

    async def _listen(self) -> None:
        """Wake the reader on every NOTIFY; reconnects after a lost connection."""
        import psycopg  # PostgreSQL's driver: only a PostgreSQL center needs it

        assert self._wake is not None
        url = self._database.engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._wake.set()  # anything sent while we were not listening
                    async for _notice in connection.notifies():
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("the signal bus lost its LISTEN connection; polling until it is back")
                await asyncio.sleep(POSTGRES_POLL_S)
