"""Events delivered by kiosks: stored once by id, acknowledged one by one.

Delivery is at least once; the effect is exactly once because an id already stored is answered
"duplicate" and nothing is written again.

Payloads: an event of a type declared in sync.protocol.events is checked against that type's
schema, the one the kiosk built it with, and rejected if it does not match; other types are
stored as they came.

Order: an aggregate's events are stored in sequence order, 0 first. An event whose predecessor
(same kiosk, aggregate, sequence - 1) is neither stored nor accepted earlier in the same batch
gets no answer at all: the kiosk keeps it and offers it again, after the predecessor. So a
partly failed batch, a lost answer or a restarted kiosk can delay an event, never reorder it.

Effects: a type may have a handler (`EventHandlers`), called with the session in the
transaction that stores the event, so the event and what it did commit together or not at
all. A handler that raises `EventRejected` rejects the event with its reason: it checks before
its first write (no savepoints: pysqlite's are unreliable), so a rejection leaves nothing. Any
other error fails the whole batch, which the kiosk sends again. A handler may return the payload
to store in the event's place: the business tables keep the personal data (forms, photos)
once, the event store only what points to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from center.database import ReceivedEventRow
from sync.protocol import EventAck, EventBatch, EventBatchResult, EventEnvelope
from sync.protocol.event_base import EventPayload
from sync.protocol.events import parse_payload


class EventRejected(Exception):
    """Raised by a handler: the event is answered "rejected" with this reason (≤ 200 chars)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:200]


# Called with the session, the sending kiosk, the parsed payload and the time it arrived;
# answers the payload to store instead of the one received, or None to store it as it came.
EventHandler = Callable[[Session, str, EventPayload, dt.datetime], dict[str, Any] | None]
EventHandlers = Mapping[str, EventHandler]


def receive_events(
    sessions: sessionmaker[Session],
    batch: EventBatch,
    received_at: dt.datetime,
    handlers: EventHandlers | None = None,
) -> EventBatchResult:
    """Store the batch's new events in one transaction and say what became of each;
    `handlers` (by event type) make their effects in the same transaction."""
    try:
        return _receive(sessions, batch, received_at, handlers or {})
    except IntegrityError:
        # Another delivery of the same events committed between our look-up and our insert:
        # once more, now that they are stored, they come back as duplicates.
        return _receive(sessions, batch, received_at, handlers or {})


def _receive(
    sessions: sessionmaker[Session],
    batch: EventBatch,
    received_at: dt.datetime,
    handlers: EventHandlers,
) -> EventBatchResult:
    with sessions.begin() as session:
        ids = [str(event.id) for event in batch.events]
        seen = set(session.scalars(select(ReceivedEventRow.id).where(ReceivedEventRow.id.in_(ids))))
        taken = _taken_sequences(session, batch)
        results = []
        rows: list[dict[str, Any]] = []
        for event in batch.events:
            key = str(event.id)
            slot = (event.aggregate_type, event.aggregate_id, event.sequence)
            if key in seen:
                results.append(EventAck(id=event.id, status="duplicate"))
                continue
            reason = _rejection(event, slot in taken)
            if reason:
                results.append(EventAck(id=event.id, status="rejected", reason=reason))
                continue
            if event.sequence > 0 and (*slot[:2], event.sequence - 1) not in taken:
                # Out of order: the aggregate's previous event is not here yet. No answer for
                # this one, so the kiosk keeps it and sends it again after the previous one.
                continue
            stored_payload = event.payload
            handler = handlers.get(event.type)
            if handler is not None:
                try:
                    stored_payload = _handle(handler, session, batch.kiosk_id, event, received_at)
                except EventRejected as rejection:
                    results.append(
                        EventAck(id=event.id, status="rejected", reason=rejection.reason)
                    )
                    continue
            rows.append(_row(batch.kiosk_id, event, received_at, stored_payload))
            seen.add(key)
            taken.add(slot)
            results.append(EventAck(id=event.id, status="accepted"))
        if rows:
            # One multi-row insert: the ORM's unit of work costs more than the database here.
            session.execute(insert(ReceivedEventRow), rows)
    return EventBatchResult(results=results)


def _handle(
    handler: EventHandler,
    session: Session,
    kiosk_id: str,
    event: EventEnvelope,
    received_at: dt.datetime,
) -> dict[str, Any]:
    """Run the event's handler (raising EventRejected): the payload to store."""
    payload = parse_payload(event.type, event.payload)
    if payload is None:
        return event.payload
    kept = handler(session, kiosk_id, payload, received_at)
    session.flush()
    return event.payload if kept is None else kept


def _taken_sequences(session: Session, batch: EventBatch) -> set[tuple[str, str, int]]:
    """Which of the batch's slots, and of the slots just before them, are stored already."""
    slots = {(e.aggregate_type, e.aggregate_id, e.sequence) for e in batch.events}
    slots |= {(e.aggregate_type, e.aggregate_id, e.sequence - 1) for e in batch.events}
    columns = (
        ReceivedEventRow.aggregate_type,
        ReceivedEventRow.aggregate_id,
        ReceivedEventRow.sequence,
    )
    # One IN list per column, not a row-value IN: SQLite seeks the unique index with those
    # (a row-value IN made it scan all of the kiosk's events, slower with every batch).
    rows = session.execute(
        select(*columns).where(
            ReceivedEventRow.kiosk_id == batch.kiosk_id,
            ReceivedEventRow.aggregate_type.in_({slot[0] for slot in slots}),
            ReceivedEventRow.aggregate_id.in_({slot[1] for slot in slots}),
            ReceivedEventRow.sequence.in_({slot[2] for slot in slots}),
        )
    )
    return {slot for row in rows if (slot := (row[0], row[1], row[2])) in slots}


def _rejection(event: EventEnvelope, sequence_taken: bool) -> str | None:
    if event.occurred_at.tzinfo is None or event.occurred_at.utcoffset() is None:
        return "occurred_at has no time zone"
    try:
        # A declared type's payload must match its schema (the one the kiosk built it with);
        # an undeclared type is stored as it came.
        parse_payload(event.type, event.payload)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "payload"
        return f"payload of {event.type} does not match its schema: {where}: {first['msg']}"[:200]
    if sequence_taken:
        # Same aggregate and sequence under another id: the outbox numbered two events alike.
        return "sequence already used by another event of this aggregate"
    return None


def _row(
    kiosk_id: str, event: EventEnvelope, received_at: dt.datetime, payload: dict[str, Any]
) -> dict[str, Any]:
    return dict(
        id=str(event.id),
        kiosk_id=kiosk_id,
        type=event.type,
        aggregate_type=event.aggregate_type,
        aggregate_id=event.aggregate_id,
        sequence=event.sequence,
        occurred_at=event.occurred_at,
        payload=payload,
        received_at=received_at,
    )
