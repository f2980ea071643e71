"""Events delivered by kiosks: stored once by id, acknowledged one by one.

Delivery is at least once; the effect is exactly once because an id already stored is answered
"duplicate" and nothing is written again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from center.database import ReceivedEventRow
from sync.protocol import EventAck, EventBatch, EventBatchResult, EventEnvelope


def receive_events(
    sessions: sessionmaker, batch: EventBatch, received_at: dt.datetime
) -> EventBatchResult:
    """Store the batch's new events in one transaction and say what became of each."""
    try:
        return _receive(sessions, batch, received_at)
    except IntegrityError:
        # Another delivery of the same events committed between our look-up and our insert:
        # once more, now that they are stored, they come back as duplicates.
        return _receive(sessions, batch, received_at)


def _receive(
    sessions: sessionmaker, batch: EventBatch, received_at: dt.datetime
) -> EventBatchResult:
    with sessions.begin() as session:
        ids = [str(event.id) for event in batch.events]
        seen = set(session.scalars(select(ReceivedEventRow.id).where(ReceivedEventRow.id.in_(ids))))
        taken = _taken_sequences(session, batch)
        results = []
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
            session.add(_row(batch.kiosk_id, event, received_at))
            seen.add(key)
            taken.add(slot)
            results.append(EventAck(id=event.id, status="accepted"))
    return EventBatchResult(results=results)


def _taken_sequences(session: Session, batch: EventBatch) -> set[tuple[str, str, int]]:
    slots = {(e.aggregate_type, e.aggregate_id, e.sequence) for e in batch.events}
    columns = (
        ReceivedEventRow.aggregate_type,
        ReceivedEventRow.aggregate_id,
        ReceivedEventRow.sequence,
    )
    rows = session.execute(
        select(*columns).where(
            ReceivedEventRow.kiosk_id == batch.kiosk_id, tuple_(*columns).in_(slots)
        )
    )
    return {tuple(row) for row in rows}


def _rejection(event: EventEnvelope, sequence_taken: bool) -> str | None:
    if event.occurred_at.tzinfo is None or event.occurred_at.utcoffset() is None:
        return "occurred_at has no time zone"
    if sequence_taken:
        # Same aggregate and sequence under another id: the outbox numbered two events alike.
        return "sequence already used by another event of this aggregate"
    return None


def _row(kiosk_id: str, event: EventEnvelope, received_at: dt.datetime) -> ReceivedEventRow:
    return ReceivedEventRow(
        id=str(event.id),
        kiosk_id=kiosk_id,
        type=event.type,
        aggregate_type=event.aggregate_type,
        aggregate_id=event.aggregate_id,
        sequence=event.sequence,
        occurred_at=event.occurred_at,
        payload=event.payload,
        received_at=received_at,
    )
