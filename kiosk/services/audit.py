"""The kiosk's audit trail: who did what in maintenance, and what the center ordered.

Each entry is chained by hash to the one before it (rules.audit_chain) and queued for the center
in the same transaction, so the trail and the center's copy cannot disagree by accident. The
detail is in a technician's words and never holds personal data in full.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from kiosk.services.ports import UnitOfWork, UnitOfWorkFactory
from rules.audit_chain import AuditEntry, next_entry
from sync.protocol.events import AuditRecorded

log = logging.getLogger(__name__)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AuditTrail:
    """`record(...)` in a transaction of its own, or `record_in(uow, ...)` in the caller's."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        *,
        kiosk_id: str,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._kiosk_id = kiosk_id
        self._clock = clock

    def record(self, actor: str, action: str, detail: str = "") -> AuditEntry:
        with self._unit_of_work() as uow:
            entry = self.record_in(uow, actor, action, detail)
            uow.commit()
        return entry

    def record_in(self, uow: UnitOfWork, actor: str, action: str, detail: str = "") -> AuditEntry:
        entry = next_entry(
            uow.last_audit_entry(), self._clock(), actor[:40], action[:60], detail[:500]
        )
        uow.append_audit_entry(entry)
        uow.outbox.add(
            AuditRecorded(
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                detail=entry.detail,
                prev_hash=entry.prev_hash,
                hash=entry.hash,
            ),
            aggregate_id=self._kiosk_id,
            occurred_at=entry.at,
        )
        log.info("audit %d: %s %s %s", entry.seq, actor, action, detail)
        return entry
