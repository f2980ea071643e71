"""Residents' call-back requests, as agents work through them: the requests come as kiosk
events (`help.call_back_requested`); an agent marks one done once they have called."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from center.database import CallBackDoneRow, ReceivedEventRow, as_utc
from center.staff.accounts import audit
from sync.protocol.events import CallBackRequested

REQUESTED = CallBackRequested.event_type


@dataclass(frozen=True)
class CallBack:
    event_id: str
    kiosk_id: str
    phone: str
    language: str
    asked_at: dt.datetime
    done_by: str | None
    done_at: dt.datetime | None


def call_backs(sessions: sessionmaker, limit: int = 200) -> list[CallBack]:
    """The newest requests first, those not yet called back before the rest."""
    with sessions() as session:
        rows = session.execute(
            select(ReceivedEventRow, CallBackDoneRow)
            .outerjoin(CallBackDoneRow, CallBackDoneRow.event_id == ReceivedEventRow.id)
            .where(ReceivedEventRow.type == REQUESTED)
            .order_by(ReceivedEventRow.occurred_at.desc())
            .limit(limit)
        ).all()
        found = [
            CallBack(
                event_id=event.id,
                kiosk_id=event.kiosk_id,
                phone=str(event.payload.get("phone", "")),
                language=str(event.payload.get("language", "")),
                asked_at=as_utc(event.occurred_at),
                done_by=done.login if done is not None else None,
                done_at=as_utc(done.at) if done is not None else None,
            )
            for event, done in rows
        ]
    return sorted(found, key=lambda call: call.done_at is not None)


def mark_done(sessions: sessionmaker, event_id: str, login: str, now: dt.datetime) -> bool:
    """Record that `login` called this resident back; False for no such request. Once only:
    a second agent marking it changes nothing."""
    with sessions.begin() as session:
        event = session.get(ReceivedEventRow, event_id)
        if event is None or event.type != REQUESTED:
            return False
        if session.get(CallBackDoneRow, event_id) is None:
            session.add(CallBackDoneRow(event_id=event_id, login=login, at=now))
            audit(session, login, "call_back_done", now, kiosk_id=event.kiosk_id)
        return True
