"""What the fleet pages show: every kiosk's status, filtered and counted in SQL (a province's
fleet is ten thousand kiosks), the alerts still listed, and one kiosk in full."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from center.database import (
    CommandAuditRow,
    FleetAlertRow,
    KioskScreenshotRow,
    KioskSeenRow,
    RemoteCommandRow,
    as_utc,
)
from center.fleet_status import SILENT_AFTER
from sync.protocol.fleet import KioskHealth

PAGE_SIZE = 100
STATUSES = ("red", "amber", "green", "silent")


def fleet_page(
    sessions: sessionmaker[Session],
    now: dt.datetime,
    *,
    status: str = "",
    fault: str = "",
    page: int = 0,
) -> dict[str, Any]:
    """The counts by status, the alerts still listed, and one page of kiosks (worst first)."""
    cutoff = now - SILENT_AFTER
    with sessions() as session:
        counts = dict(
            session.execute(
                select(KioskSeenRow.status, func.count())
                .where(KioskSeenRow.last_seen >= cutoff)
                .group_by(KioskSeenRow.status)
            ).all()
        )
        counts["silent"] = (
            session.scalar(select(func.count()).where(KioskSeenRow.last_seen < cutoff)) or 0
        )
        query = select(KioskSeenRow)
        if status == "silent":
            query = query.where(KioskSeenRow.last_seen < cutoff)
        elif status in STATUSES:
            query = query.where(KioskSeenRow.status == status).where(
                KioskSeenRow.last_seen >= cutoff
            )
        if fault == "paper":
            query = query.where(
                or_(KioskSeenRow.paper_pct <= 10, KioskSeenRow.faults.like("%printer%"))
            )
        elif fault:
            query = query.where(KioskSeenRow.faults.like(f"%{fault}%"))
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.order_by(
                (KioskSeenRow.status == "green"),
                (KioskSeenRow.status == "amber"),
                KioskSeenRow.kiosk_id,
            )
            .limit(PAGE_SIZE)
            .offset(page * PAGE_SIZE)
        ).all()
        alerts = session.scalars(
            select(FleetAlertRow)
            .where(FleetAlertRow.cleared_at.is_(None))
            .order_by(FleetAlertRow.raised_at.desc())
            .limit(50)
        ).all()
        return {
            "counts": {name: counts.get(name, 0) for name in STATUSES},
            "total": total,
            "page": page,
            "pages": max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
            "chosen": status,
            "fault": fault,
            "kiosks": [_line(row, now, cutoff) for row in rows],
            "alerts": [_alert(alert) for alert in alerts],
        }


def _line(row: KioskSeenRow, now: dt.datetime, cutoff: dt.datetime) -> dict[str, Any]:
    last_seen = as_utc(row.last_seen)
    silent = last_seen < cutoff
    return {
        "kiosk_id": row.kiosk_id,
        "station": row.station_id or "",
        "status": "red" if silent else row.status,
        "silent": silent,
        "last_seen": last_seen,
        "ago_s": int((now - last_seen).total_seconds()),
        "faults": row.faults,
        "paper": row.paper_pct,
        "queue": row.queue_depth,
        "oldest": as_utc(row.oldest_unsent) if row.oldest_unsent else None,
        "version": row.version,
        "locked": bool(row.health.get("locked")),
    }


def _alert(alert: FleetAlertRow) -> dict[str, Any]:
    return {
        "id": alert.id,
        "kiosk_id": alert.kiosk_id,
        "station": alert.station_id or "",
        "kind": alert.kind,
        "base": alert.kind.split(":", 1)[0],
        "device": alert.kind.split(":", 1)[1] if ":" in alert.kind else "",
        "detail": alert.detail,
        "raised_at": as_utc(alert.raised_at),
        "resolved_at": as_utc(alert.resolved_at) if alert.resolved_at else None,
    }


def kiosk_detail(
    sessions: sessionmaker[Session], kiosk_id: str, now: dt.datetime
) -> dict[str, Any] | None:
    with sessions() as session:
        row = session.get(KioskSeenRow, kiosk_id)
        if row is None:
            return None
        health = KioskHealth.model_validate(row.health)
        alerts = session.scalars(
            select(FleetAlertRow)
            .where(FleetAlertRow.kiosk_id == kiosk_id)
            .order_by(FleetAlertRow.raised_at.desc())
            .limit(30)
        ).all()
        commands = session.scalars(
            select(RemoteCommandRow)
            .where(RemoteCommandRow.kiosk_id == kiosk_id)
            .order_by(RemoteCommandRow.issued_at.desc())
            .limit(20)
        ).all()
        issuers = dict(
            session.execute(
                select(CommandAuditRow.command_id, CommandAuditRow.actor)
                .where(CommandAuditRow.kiosk_id == kiosk_id)
                .where(CommandAuditRow.action == "issued")
            ).all()
        )
        shot = session.get(KioskScreenshotRow, kiosk_id)
        return {
            "screenshot": (
                {"taken_at": as_utc(shot.taken_at), "masked": shot.masked} if shot else None
            ),
            "line": _line(row, now, now - SILENT_AFTER),
            "health": health,
            "alerts": [
                _alert(alert)
                | {"cleared_by": alert.cleared_by, "cleared": alert.cleared_at is not None}
                for alert in alerts
            ],
            "commands": [
                {
                    "kind": command.kind,
                    "status": command.status,
                    "reason": command.reason,
                    "issued_at": as_utc(command.issued_at),
                    "by": issuers.get(command.id, ""),
                    "message": " / ".join(m for m in (command.message_zh, command.message_en) if m),
                }
                for command in commands
            ],
        }
