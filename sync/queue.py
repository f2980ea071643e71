"""The durable local queue (transactional outbox): events waiting to be delivered to the center.

Rows are written in the caller's transaction, next to the business change they report, so an
event exists if and only if its change was committed. The relay (`sync.relay`) delivers them at
least once; the center deduplicates by event id, so each has its effect exactly once.

Order: every aggregate (aggregate_type + aggregate_id) numbers its events 0, 1, 2, ... in
`outbox_aggregates`, which outlives compaction, so a number is never given twice. A batch
offers an event only when every earlier event of its aggregate is acknowledged or travels ahead
of it in the same batch; the center stores an aggregate's event N+1 only once it has N.

Personal fields travel sealed (`sync.sealing`): `personal=` is encrypted into the `sealed`
column and opened only when a batch is taken for sending.

Compaction: acknowledged rows are deleted after a retention, a few hundred at a time, and
counted in `outbox_totals` so the technician still sees how many were delivered.

Every function takes the caller's SQLAlchemy `Connection` (`enqueue` also the kiosk's unit of
work) and never commits.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol
from uuid import UUID

from pydantic_core import to_json
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Dialect,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.sql.expression import ColumnClause, UnaryExpression
from sqlalchemy.sql.operators import custom_op

from sync.protocol.schemas import EventEnvelope

Executor = Connection

# Protocol limit for one batch (`EventBatch.events`).
MAX_BATCH = 500
# How many pending rows one `next_batch` looks through for events it may send.
SCAN_LIMIT = 5_000
# A batch stops growing past this many bytes of payload (it always takes its first event): an
# application with its page photos is a megabyte, and a hundred of them are no one request.
BATCH_BYTES = 4_000_000
DELIVERED = "delivered"
COMPACTED = "compacted"


class InvalidEvent(ValueError):
    """An event that cannot be queued as given (nothing was written)."""


class Sealing(Protocol):
    """What the queue needs of `sync.sealing.Sealer`."""

    def seal(self, fields: Mapping[str, Any], event_id: str) -> bytes: ...

    def open(self, blob: bytes, event_id: str) -> dict[str, Any]: ...


class InTransaction(Protocol):
    """A caller's open transaction on SQLite, e.g. the kiosk's unit of work."""

    def cursor(self) -> Any:
        """A DBAPI cursor in it."""
        ...


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime stored as naive UTC, read back as aware UTC.

    SQLite has no time zones; storing UTC everywhere keeps comparisons and ordering correct.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise InvalidEvent("datetimes must be timezone-aware")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


metadata = MetaData()

outbox = Table(
    "outbox",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("type", String(80), nullable=False),
    Column("aggregate_type", String(40), nullable=False),
    Column("aggregate_id", String(80), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
    Column("payload", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("acknowledged_at", UtcDateTime(), nullable=True),
    # A rejected event waits until then before it is offered again.
    Column("retry_after", UtcDateTime(), nullable=True),
    # Set when the event stopped being offered (rejected too often); kept for the technician.
    Column("parked_at", UtcDateTime(), nullable=True),
    # The event's personal fields, encrypted (sync.sealing); opened only to be sent.
    Column("sealed", LargeBinary, nullable=True),
    UniqueConstraint("aggregate_type", "aggregate_id", "sequence", name="uq_outbox_aggregate_seq"),
    Index("ix_outbox_pending", "acknowledged_at", "parked_at"),
)

# The last sequence each aggregate gave: outlives the compaction of its events, so an
# aggregate's numbers are never reused (the center would take a reused one for a clash).
outbox_aggregates = Table(
    "outbox_aggregates",
    metadata,
    Column("aggregate_type", String(40), primary_key=True),
    Column("aggregate_id", String(80), primary_key=True),
    Column("last_sequence", Integer, nullable=False),
)

# Running totals that outlive compaction: how many events were delivered, and deleted.
outbox_totals = Table(
    "outbox_totals",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Integer, nullable=False),
)

# SQLite's implicit rowid grows with every insert and is never reused below an existing row,
# so ordering by it is insertion order, which is also per-aggregate sequence order.
_inserted: ColumnClause[int] = literal_column("outbox.rowid")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _json_text(fields: Mapping[str, Any], what: str) -> str:
    if not isinstance(fields, Mapping):
        raise InvalidEvent(f"{what} must be a mapping, not {type(fields).__name__}")
    try:
        # Decimals become strings, dates ISO 8601: the protocol's JSON conventions.
        return to_json(fields if isinstance(fields, dict) else dict(fields)).decode()
    except Exception as exc:
        raise InvalidEvent(f"{what} is not JSON-serialisable: {type(exc).__name__}") from exc


def _require_text(name: str, value: object, max_length: int) -> str:
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise InvalidEvent(f"{name} must be a non-empty string of at most {max_length} characters")
    return value


class _OnCursor:
    """A Core statement compiled once for SQLite and run on a DBAPI cursor (`_cursor_of`).

    Every queued event makes two small statements, and SQLAlchemy's execution path around them
    cost more than SQLite's own work (a use case queuing one event took 2.5 times as long as
    raw inserts with the same durability). The SQL and the value conversions still come from
    the table definitions, so they cannot drift from them.
    """

    def __init__(self, statement: Any, column_keys: list[str] | None = None) -> None:
        dialect = SQLiteDialect_pysqlite()
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        self._sql = compiled.string
        # The values fixed in the statement (e.g. the 1 of `last_sequence + 1`); run() gives
        # the others, each converted as the column's type says.
        self._fixed = compiled.params
        self._names = compiled.positiontup
        self._to_db = [
            compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in self._names
        ]

    def run(self, cursor: Any, values: dict[str, Any]) -> Any:
        given = self._fixed | values
        parameters = [
            value if to_db is None else to_db(value)
            for value, to_db in zip([given[name] for name in self._names], self._to_db, strict=True)
        ]
        return cursor.execute(self._sql, parameters)


def _cursor_of(executor: Executor | InTransaction) -> Any:
    """A DBAPI cursor in the caller's transaction, begun (BEGIN IMMEDIATE) if it was not yet."""
    if isinstance(executor, Connection):
        if not executor.in_transaction():
            executor.begin()
        return executor.connection.cursor()
    return executor.cursor()


_NEXT_SEQUENCE = _OnCursor(
    sqlite_insert(outbox_aggregates)
    .values(
        aggregate_type=bindparam("aggregate_type"),
        aggregate_id=bindparam("aggregate_id"),
        last_sequence=0,
    )
    .on_conflict_do_update(
        index_elements=["aggregate_type", "aggregate_id"],
        set_={"last_sequence": outbox_aggregates.c.last_sequence + 1},
    )
    .returning(outbox_aggregates.c.last_sequence)
)
_EVENT_COLUMNS = [
    "id", "type", "aggregate_type", "aggregate_id", "sequence", "occurred_at", "payload",
    "attempts", "created_at", "sealed",
]  # fmt: skip
_INSERT_EVENT = _OnCursor(outbox.insert(), _EVENT_COLUMNS)


def new_event_id() -> UUID:
    """A UUIDv7: the time in milliseconds first, then random bits.

    Ids made later sort later, so the outbox's index and the center's grow at one end and
    compaction deletes whole pages in order: with random ids every batch touched pages all over
    the file, and draining a large backlog got slower the larger it was.
    """
    millis = time.time_ns() // 1_000_000
    random_bits = int.from_bytes(os.urandom(10), "big")
    rand_a, rand_b = random_bits >> 68, random_bits & ((1 << 62) - 1)
    value = (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return UUID(int=value)


def enqueue(
    executor: Executor | InTransaction,
    *,
    type: str,
    aggregate_type: str,
    aggregate_id: str,
    payload: Mapping[str, Any],
    occurred_at: dt.datetime,
    event_id: UUID | None = None,
    now: dt.datetime | None = None,
    personal: Mapping[str, Any] | None = None,
    sealing: Sealing | None = None,
) -> UUID:
    """Add one event in the caller's transaction and return its id.

    `personal` fields are sealed with `sealing` and join the payload only when sent; a key in
    both is refused. The sequence is the aggregate's next one; the store's writers begin with
    BEGIN IMMEDIATE, so no other writer can take the same number.
    """
    _require_text("type", type, 80)
    _require_text("aggregate_type", aggregate_type, 40)
    _require_text("aggregate_id", aggregate_id, 80)
    if not isinstance(occurred_at, dt.datetime) or occurred_at.tzinfo is None:
        raise InvalidEvent("occurred_at must be a timezone-aware datetime")
    text_ = _json_text(payload, "payload")
    event_id = event_id or new_event_id()
    sealed = None
    if personal:
        if sealing is None:
            raise InvalidEvent("personal fields need a sealer: they are never stored in clear")
        if set(personal) & set(payload):
            raise InvalidEvent("a field is either personal or not, never both")
        sealed = sealing.seal(json.loads(_json_text(personal, "personal")), str(event_id))
    row: dict[str, Any] = {"aggregate_type": aggregate_type, "aggregate_id": aggregate_id}
    cursor = _cursor_of(executor)
    try:
        [(row["sequence"],)] = _NEXT_SEQUENCE.run(cursor, row).fetchall()
        row |= {
            "id": str(event_id),
            "type": type,
            "occurred_at": occurred_at,
            "payload": text_,
            "attempts": 0,
            "created_at": now or _now(),
            "sealed": sealed,
        }
        _INSERT_EVENT.run(cursor, row)
    finally:
        cursor.close()
    return event_id


def _pending() -> Any:
    return and_(outbox.c.acknowledged_at.is_(None), outbox.c.parked_at.is_(None))


def _unindexed(column: Any) -> Any:
    # `+column`: the same value, but SQLite's planner will not use an index for the term.
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _still(ids: list[str], *, parked_too: bool = False) -> Any:
    """These events, if not yet acknowledged (nor parked, with `parked_too`), found by id.

    Given a few hundred ids, SQLite chose the pending index for `acknowledged_at IS NULL` and
    walked every waiting row: a batch's acknowledgement grew with the backlog (33 ms at
    200,000 events, against 4 ms near empty). The guards are kept off the indexes so the
    lookup always goes by primary key.
    """
    guards = [_unindexed(outbox.c.acknowledged_at).is_(None)]
    if parked_too:
        guards.append(_unindexed(outbox.c.parked_at).is_(None))
    return and_(outbox.c.id.in_(ids), *guards)


def next_batch(
    executor: Executor,
    limit: int = 100,
    *,
    now: dt.datetime | None = None,
    sealing: Sealing | None = None,
    unopened: Callable[[UUID, str], None] | None = None,
    max_bytes: int = BATCH_BYTES,
) -> list[EventEnvelope]:
    """Unacknowledged events, oldest first, that may be sent now, personal fields opened; no
    more than `max_bytes` of payload once the first is in.

    An event is offered only when each earlier event of its aggregate is acknowledged or
    offered ahead of it in this batch: an aggregate with an event waiting out a rejection, or
    parked, or whose personal fields cannot be opened (`unopened(id, reason)` is told), sends
    nothing after it.
    """
    if not 1 <= limit <= MAX_BATCH:
        raise ValueError(f"limit must be between 1 and {MAX_BATCH}")
    now = now or _now()
    held = {
        (row.aggregate_type, row.aggregate_id)
        for row in executor.execute(
            select(outbox.c.aggregate_type, outbox.c.aggregate_id)
            .where(outbox.c.acknowledged_at.is_(None), outbox.c.parked_at.is_not(None))
            .distinct()
        )
    }
    batch: list[EventEnvelope] = []
    after, scanned, size = 0, 0, 0
    while len(batch) < limit and scanned < SCAN_LIMIT and size < max_bytes:
        rows = executor.execute(
            select(_inserted.label("position"), outbox)
            .where(_pending(), _inserted > after)
            .order_by(_inserted)
            .limit(limit)
        ).all()
        if not rows:
            break
        scanned += len(rows)
        after = rows[-1].position
        for row in rows:
            key = (row.aggregate_type, row.aggregate_id)
            if key in held:
                continue
            # Rows come in insertion order, so the first one met of an aggregate is its lowest
            # pending one: everything before it is acknowledged (or parked, hence `held`).
            if row.retry_after is not None and row.retry_after > now:
                held.add(key)
                continue
            row_size = len(row.payload) + len(row.sealed or b"")
            if batch and size + row_size > max_bytes:
                # Not in this batch, so nothing after it of its aggregate either.
                size = max_bytes
                break
            envelope = _envelope(row, sealing, unopened)
            if envelope is None:
                held.add(key)
                continue
            batch.append(envelope)
            size += row_size
            if len(batch) == limit:
                break
    return batch


def _envelope(
    row: Any, sealing: Sealing | None, unopened: Callable[[UUID, str], None] | None
) -> EventEnvelope | None:
    payload = json.loads(row.payload)
    if row.sealed is not None:
        try:
            if sealing is None:
                raise ValueError("no sealer to open personal fields with")
            payload |= sealing.open(row.sealed, row.id)
        except ValueError as exc:  # SealError is a ValueError
            if unopened is not None:
                unopened(UUID(row.id), str(exc))
            return None
    # Not validated again: every field was checked by `enqueue` (500 validations a batch were
    # a third of the relay's time).
    return EventEnvelope.model_construct(
        id=UUID(row.id),
        type=row.type,
        aggregate_type=row.aggregate_type,
        aggregate_id=row.aggregate_id,
        sequence=row.sequence,
        occurred_at=row.occurred_at,
        payload=payload,
    )


def _ids(ids: Iterable[UUID | str]) -> list[str]:
    return [str(i) for i in ids]


def _add_to_total(executor: Executor, name: str, amount: int) -> None:
    if amount:
        statement = sqlite_insert(outbox_totals).values(name=name, value=amount)
        executor.execute(
            statement.on_conflict_do_update(
                index_elements=["name"], set_={"value": outbox_totals.c.value + amount}
            )
        )


def mark_acknowledged(
    executor: Executor, ids: Iterable[UUID | str], *, now: dt.datetime | None = None
) -> int:
    """Record that the center has these events; return how many rows changed."""
    keys = _ids(ids)
    if not keys:
        return 0
    result = executor.execute(
        update(outbox)
        .where(_still(keys))
        # The personal fields go at once: the center has them, the kiosk no longer needs them.
        .values(acknowledged_at=now or _now(), last_error=None, retry_after=None, sealed=None)
    )
    _add_to_total(executor, DELIVERED, result.rowcount)
    return result.rowcount


def hold(executor: Executor, ids: Iterable[UUID | str], until: dt.datetime) -> None:
    """Offer these events again only after `until`, without counting a failed attempt
    (the center held them back, waiting for an earlier event of their aggregate)."""
    keys = _ids(ids)
    if keys:
        executor.execute(
            update(outbox).where(_still(keys, parked_too=True)).values(retry_after=until)
        )


def record_failure(
    executor: Executor,
    ids: Iterable[UUID | str],
    error: str,
    *,
    retry_after: dt.datetime | None = None,
    park_after: int | None = None,
    now: dt.datetime | None = None,
) -> list[UUID]:
    """Count one more failed attempt for these events and keep the error.

    With `retry_after` they are not offered again before then; with `park_after` those that
    reached that many attempts are parked. Returns the ids that were parked by this call.
    """
    keys = _ids(ids)
    if not keys:
        return []
    now = now or _now()
    executor.execute(
        update(outbox)
        .where(_still(keys))
        .values(
            attempts=outbox.c.attempts + 1,
            last_error=error[:500],
            retry_after=retry_after,
        )
    )
    if park_after is None:
        return []
    parked = executor.execute(
        update(outbox)
        .where(_still(keys, parked_too=True), outbox.c.attempts >= park_after)
        .values(parked_at=now, retry_after=None)
        .returning(outbox.c.id)
    ).scalars()
    return [UUID(i) for i in parked]


def compact(executor: Executor, *, acknowledged_before: dt.datetime, limit: int = 500) -> int:
    """Delete up to `limit` events acknowledged before then; return how many went.

    Small batches keep each write transaction short, so a use case never waits long for it.
    """
    doomed = (
        select(_inserted)
        .where(outbox.c.acknowledged_at < acknowledged_before)
        .order_by(outbox.c.acknowledged_at)
        .limit(limit)
        .scalar_subquery()
    )
    deleted = executor.execute(delete(outbox).where(_inserted.in_(doomed))).rowcount
    _add_to_total(executor, COMPACTED, deleted)
    return deleted


def total(executor: Executor, name: str) -> int:
    """A running total (`DELIVERED`, `COMPACTED`) since the store was made."""
    value = executor.execute(select(outbox_totals.c.value).where(outbox_totals.c.name == name))
    return value.scalar() or 0


def depth(executor: Executor) -> int:
    """How many events still wait for the center (parked ones excluded)."""
    return executor.execute(select(func.count()).select_from(outbox).where(_pending())).scalar_one()


def parked_count(executor: Executor) -> int:
    """How many events were given up on and wait for a technician."""
    return executor.execute(
        select(func.count()).select_from(outbox).where(outbox.c.parked_at.is_not(None))
    ).scalar_one()


def oldest_unsent(executor: Executor) -> dt.datetime | None:
    """When the oldest event still waiting for the center happened, or None if none waits."""
    return executor.execute(select(func.min(outbox.c.occurred_at)).where(_pending())).scalar()
