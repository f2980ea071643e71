"""Kiosks' audit trails at the center: every entry a kiosk chained, kept as it came.

Each `audit.entry` event is stored with whether it is chained to the entry before it held here
(a kiosk whose trail was tampered with before sending shows where). A kiosk asks for the last
entry held (`GET /v1/audit/head`) to check its own trail against it: a trail cut short or
rewritten whole disagrees with the center.

FastAPI reads the handlers' annotations at run time, so this module does not postpone them.
"""

import datetime as dt
import logging
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from center.database import KioskAuditRow
from center.events import EventHandler
from center.kiosk_auth import SignedKiosk
from sync.protocol.event_base import EventPayload
from sync.protocol.events import AuditRecorded
from sync.protocol.fleet import AuditHead

log = logging.getLogger(__name__)


def audit_event_handlers() -> dict[str, EventHandler]:
    def recorded(
        session: Session, kiosk_id: str, payload: EventPayload, now: dt.datetime
    ) -> dict[str, Any] | None:
        assert isinstance(payload, AuditRecorded)
        before = session.get(KioskAuditRow, (kiosk_id, payload.seq - 1))
        chained = before.hash == payload.prev_hash if before is not None else None
        if chained is False:
            log.warning(
                "kiosk %s: audit entry %d is not chained to the one before", kiosk_id, payload.seq
            )
        session.merge(
            KioskAuditRow(
                kiosk_id=kiosk_id,
                seq=payload.seq,
                at=payload.at,
                actor=payload.actor,
                action=payload.action,
                detail=payload.detail,
                prev_hash=payload.prev_hash,
                hash=payload.hash,
                chained=chained,
            )
        )
        return None

    return {AuditRecorded.event_type: recorded}


def audit_routes(sessions: sessionmaker[Session]) -> APIRouter:
    router = APIRouter()

    @router.get("/v1/audit/head", response_model=AuditHead)
    def head(kiosk: SignedKiosk) -> AuditHead:
        with sessions() as session:
            last = session.scalars(
                select(KioskAuditRow)
                .where(KioskAuditRow.kiosk_id == kiosk.kiosk_id)
                .order_by(KioskAuditRow.seq.desc())
                .limit(1)
            ).first()
            broken = session.scalars(
                select(KioskAuditRow.seq)
                .where(KioskAuditRow.kiosk_id == kiosk.kiosk_id)
                .where(KioskAuditRow.chained.is_(False))
                .order_by(KioskAuditRow.seq)
                .limit(1)
            ).first()
        if last is None:
            return AuditHead(seq=0, hash="")
        return AuditHead(seq=last.seq, hash=last.hash, broken_at=broken)

    return router
