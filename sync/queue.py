"""The durable local queue (transactional outbox): events waiting to be delivered to the center.

Rows are written in the caller's transaction, next to the business change they report, so an
event exists if and only if its change was committed. The relay (`sync.relay`) delivers them at
least once; the center deduplicates by event id, so each has its effect exactly once.

Every function takes the caller's SQLAlchemy `Connection` or `Session` and never commits.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from pydantic_core import to_jsonable_python
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from sync.protocol.schemas import EventEnvelope

Executor = Connection | Session

# Protocol limit for one batch (`EventBatch.events`).
MAX_BATCH = 500


class InvalidEvent(ValueError):
    """An event that cannot be queued as given (nothing was written)."""


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
    UniqueConstraint("aggregate_type", "aggregate_id", "sequence", name="uq_outbox_aggregate_seq"),
    Index("ix_outbox_pending", "acknowledged_at", "parked_at"),
)

# SQLite's implicit rowid grows with every insert and is never reused below an existing row,
# so ordering by it is insertion order, which is also per-aggregate sequence order.
_inserted = literal_column("outbox.rowid")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _payload_text(payload: Mapping[str, Any]) -> str:
    if not isinstance(payload, Mapping):
        raise InvalidEvent(f"payload must be a mapping, not {type(payload).__name__}")
    try:
        # Decimals become strings, dates ISO 8601: the protocol's JSON conventions.
        return json.dumps(to_jsonable_python(dict(payload)), ensure_ascii=False, sort_keys=True)
    except Exception as exc:
        raise InvalidEvent(f"payload is not JSON-serialisable: {type(exc).__name__}") from exc


def _require_text(name: str, value: object, max_length: int) -> str:
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise InvalidEvent(f"{name} must be a non-empty string of at most {max_length} characters")
    return value


def enqueue(
    executor: Executor,
    *,
    type: str,
    aggregate_type: str,
    aggregate_id: str,
    payload: Mapping[str, Any],
    occurred_at: dt.datetime,
    event_id: UUID | None = None,
    now: dt.datetime | None = None,
) -> UUID:
    """Add one event in the caller's transaction and return its id.

    The sequence is the aggregate's next one; the store's writers begin with BEGIN IMMEDIATE,
    so no other writer can take the same number between the read and the insert.
    """
    _require_text("type", type, 80)
    _require_text("aggregate_type", aggregate_type, 40)
    _require_text("aggregate_id", aggregate_id, 80)
    if not isinstance(occurred_at, dt.datetime) or occurred_at.tzinfo is None:
        raise InvalidEvent("occurred_at must be a timezone-aware datetime")
    text = _payload_text(payload)
    event_id = event_id or uuid.uuid4()
    last = executor.execute(
        select(func.max(outbox.c.sequence)).where(
            outbox.c.aggregate_type == aggregate_type, outbox.c.aggregate_id == aggregate_id
        )
    ).scalar()
    executor.execute(
        outbox.insert().values(
            id=str(event_id),
            type=type,
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            sequence=0 if last is None else last + 1,
            occurred_at=occurred_at,
            payload=text,
            attempts=0,
            created_at=now or _now(),
        )
    )
    return event_id


def _pending() -> Any:
    return and_(outbox.c.acknowledged_at.is_(None), outbox.c.parked_at.is_(None))


def next_batch(
    executor: Executor, limit: int = 100, *, now: dt.datetime | None = None
) -> list[EventEnvelope]:
    """Unacknowledged events, oldest first, that may be sent now.

    An event whose aggregate has an earlier event still waiting out a rejection is held back,
    so the center always sees an aggregate's events in sequence order.
    """
    if not 1 <= limit <= MAX_BATCH:
        raise ValueError(f"limit must be between 1 and {MAX_BATCH}")
    now = now or _now()
    earlier = outbox.alias("earlier")
    waiting_before = exists().where(
        earlier.c.aggregate_type == outbox.c.aggregate_type,
        earlier.c.aggregate_id == outbox.c.aggregate_id,
        earlier.c.sequence < outbox.c.sequence,
        earlier.c.acknowledged_at.is_(None),
        earlier.c.parked_at.is_(None),
        earlier.c.retry_after > now,
    )
    rows = executor.execute(
        select(outbox)
        .where(
            _pending(),
            or_(outbox.c.retry_after.is_(None), outbox.c.retry_after <= now),
            ~waiting_before,
        )
        .order_by(_inserted)
        .limit(limit)
    ).all()
    return [
        EventEnvelope(
            id=UUID(row.id),
            type=row.type,
            aggregate_type=row.aggregate_type,
            aggregate_id=row.aggregate_id,
            sequence=row.sequence,
            occurred_at=row.occurred_at,
            payload=json.loads(row.payload),
        )
        for row in rows
    ]


def _ids(ids: Iterable[UUID | str]) -> list[str]:
    return [str(i) for i in ids]


def mark_acknowledged(
    executor: Executor, ids: Iterable[UUID | str], *, now: dt.datetime | None = None
) -> int:
    """Record that the center has these events; return how many rows changed."""
    keys = _ids(ids)
    if not keys:
        return 0
    result = executor.execute(
        update(outbox)
        .where(outbox.c.id.in_(keys), outbox.c.acknowledged_at.is_(None))
        .values(acknowledged_at=now or _now(), last_error=None, retry_after=None)
    )
    return result.rowcount


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
        .where(outbox.c.id.in_(keys), outbox.c.acknowledged_at.is_(None))
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
        .where(
            outbox.c.id.in_(keys),
            _pending(),
            outbox.c.attempts >= park_after,
        )
        .values(parked_at=now, retry_after=None)
        .returning(outbox.c.id)
    ).scalars()
    return [UUID(i) for i in parked]


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
