"""The audit trail's rows: the last entry to chain the next to, appending, reading back."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from kiosk.store.tables import audit_log
from rules.audit_chain import AuditEntry


def last_entry(connection: Connection) -> AuditEntry | None:
    row = connection.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).first()
    return None if row is None else AuditEntry(**row._mapping)


def append_entry(connection: Connection, entry: AuditEntry) -> None:
    connection.execute(insert(audit_log).values(**entry.__dict__))


def read_entries(connection: Connection, *, after: int = 0) -> list[AuditEntry]:
    """The trail in the order of its numbers, from entry `after + 1`."""
    rows = connection.execute(
        select(audit_log).where(audit_log.c.seq > after).order_by(audit_log.c.seq)
    )
    return [AuditEntry(**row._mapping) for row in rows]
