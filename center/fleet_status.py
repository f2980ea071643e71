"""Each kiosk's status for the people who look after the fleet: red, amber or green, and the
alerts that stay listed until someone clears them.

At every heartbeat the kiosk's health is read once into columns (status, faults, paper, queue),
and its conditions are compared with its alerts: a new condition raises an alert (and queues an
SMS to the station's team), one that went away marks its alert resolved. A sweep raises "no
heartbeat" for kiosks gone silent. Thresholds are the utility's, named below.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from center.business.progress import CENTER_TIME
from center.business.sms import queue_sms
from center.database import FleetAlertRow, KioskSeenRow, StationContactRow, as_utc
from sync.protocol.fleet import KioskHealth

log = logging.getLogger(__name__)

PAPER_LOW_PCT = 10
BACKLOG_EVENTS = 100
BACKLOG_AGE = dt.timedelta(minutes=15)
SESSION_STUCK = dt.timedelta(minutes=15)
SILENT_AFTER = dt.timedelta(seconds=120)  # four missed 30 s heartbeats

RED = "red"
AMBER = "amber"
GREEN = "green"
# What each alert kind makes the kiosk's status.
SEVERITY = {
    "paper_out": RED,
    "device_fault": RED,
    "no_heartbeat": RED,
    "session_stuck": AMBER,
    "backlog": AMBER,
    "paper_low": AMBER,
    "device_warning": AMBER,
}
# What the station's team reads by SMS (Chinese: they are the utility's staff on the ground).
SMS_WORDS = {
    "paper_out": "打印纸用完",
    "paper_low": "打印纸将尽",
    "device_fault": "设备故障",
    "no_heartbeat": "失去联系",
    "session_stuck": "会话长时间未结束",
    "backlog": "数据积压未上传",
}


def _base(kind: str) -> str:
    return kind.split(":", 1)[0]


@dataclass(frozen=True)
class Reading:
    """One heartbeat's health, read for the fleet page."""

    status: str
    faults: str
    conditions: dict[str, str]  # alert kind -> detail


def read_health(health: KioskHealth, now: dt.datetime) -> Reading:
    conditions: dict[str, str] = {}
    faults = []
    for device in health.devices:
        paper = device.name == "printer" and "paper" in device.detail.lower()
        if device.status == "fault":
            faults.append(device.name)
            kind = "paper_out" if paper else f"device_fault:{device.name}"
            conditions[kind] = device.detail
        elif device.status == "warning":
            kind = "paper_low" if paper else f"device_warning:{device.name}"
            conditions[kind] = device.detail
    if health.paper_left_pct is not None and health.paper_left_pct <= PAPER_LOW_PCT:
        conditions.setdefault("paper_low", f"about {health.paper_left_pct} % of the roll left")
    old = health.oldest_unsent is not None and now - health.oldest_unsent > BACKLOG_AGE
    if (health.queue_depth or 0) >= BACKLOG_EVENTS or old:
        conditions["backlog"] = f"{health.queue_depth} events waiting"
    if health.session_since is not None and now - health.session_since > SESSION_STUCK:
        minutes = int((now - health.session_since).total_seconds() // 60)
        conditions["session_stuck"] = f"a session going on for {minutes} min"
    severities = {SEVERITY[_base(kind)] for kind in conditions}
    status = RED if RED in severities else AMBER if AMBER in severities else GREEN
    return Reading(status, " ".join(faults)[:200], conditions)


def note_heartbeat(session: Session, kiosk_id: str, health: KioskHealth, now: dt.datetime) -> int:
    """Keep the kiosk's health and status, and bring its alerts up to date; how many commands
    may wait for it (0: none to look for).

    One statement for a healthy kiosk (an upsert answering the two counts): a province's
    heartbeats are most of the center's traffic."""
    reading = read_health(health, now)
    values = {
        "kiosk_id": kiosk_id,
        "last_seen": now,
        "health": health.model_dump(mode="json"),
        "station_id": health.station_id,
        "status": reading.status,
        "faults": reading.faults,
        "paper_pct": health.paper_left_pct,
        "queue_depth": health.queue_depth,
        "oldest_unsent": health.oldest_unsent,
        "version": health.versions.app[:40],
        # A kiosk first seen: its alerts and the commands issued before it ever beat are
        # looked for once, and counted from then on (an update leaves both as they are).
        "active_alerts": 1,
        "pending_commands": 1,
    }
    upsert = _heartbeat_upsert(session.get_bind().dialect.name)
    active, pending = session.execute(upsert, values).one()
    if reading.conditions or active:
        review_alerts(session, kiosk_id, health.station_id, reading.conditions, now)
    return int(pending)


# What a heartbeat updates in a kiosk's row; the statement is built once per dialect (building
# it for each heartbeat cost more CPU than PostgreSQL spends running it).
_HEALTH_COLUMNS = (
    "last_seen",
    "health",
    "station_id",
    "status",
    "faults",
    "paper_pct",
    "queue_depth",
    "oldest_unsent",
    "version",
)
_UPSERTS: dict[str, Any] = {}


def _heartbeat_upsert(dialect: str) -> Any:
    """INSERT .. ON CONFLICT DO UPDATE of the health columns, answering the two counts (the
    dialect's INSERT: PostgreSQL's and SQLite's alike know ON CONFLICT)."""
    upsert = _UPSERTS.get(dialect)
    if upsert is None:
        table = cast(Table, KioskSeenRow.__table__)
        insert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
        upsert = insert.on_conflict_do_update(
            index_elements=["kiosk_id"],
            set_={name: insert.excluded[name] for name in _HEALTH_COLUMNS},
        ).returning(table.c.active_alerts, table.c.pending_commands)
        _UPSERTS[dialect] = upsert
    return upsert


def review_alerts(
    session: Session,
    kiosk_id: str,
    station_id: str | None,
    conditions: dict[str, str],
    now: dt.datetime,
    *,
    only: set[str] | None = None,
) -> list[FleetAlertRow]:
    """Raise what is new, resolve what went away (of the kinds in `only`, when given: a sweep
    that looks at heartbeats alone leaves the other kinds as they are). The new alerts."""
    listed = session.scalars(
        select(FleetAlertRow)
        .where(FleetAlertRow.kiosk_id == kiosk_id)
        .where(FleetAlertRow.cleared_at.is_(None))
    ).all()
    by_kind = {alert.kind: alert for alert in listed}
    raised = []
    for kind, detail in conditions.items():
        alert = by_kind.get(kind)
        if alert is None:
            alert = FleetAlertRow(
                kiosk_id=kiosk_id,
                station_id=station_id,
                kind=kind,
                detail=detail[:200],
                raised_at=now,
            )
            session.add(alert)
            raised.append(alert)
        elif alert.resolved_at is not None:
            alert.resolved_at = None  # back before anyone cleared it: the same alert again
            alert.detail = detail[:200]
    for kind, alert in by_kind.items():
        if kind not in conditions and alert.resolved_at is None and (only is None or kind in only):
            alert.resolved_at = now
    for alert in raised:
        log.warning("fleet alert: %s on %s (%s)", alert.kind, kiosk_id, alert.detail)
        if not kind_is_warning_only(alert.kind):
            tell_station(session, alert, now)
    active = sum(alert.resolved_at is None for alert in (*listed, *raised))
    session.execute(
        update(KioskSeenRow).where(KioskSeenRow.kiosk_id == kiosk_id).values(active_alerts=active)
    )
    return raised


def kind_is_warning_only(kind: str) -> bool:
    return _base(kind) == "device_warning"


def tell_station(session: Session, alert: FleetAlertRow, now: dt.datetime) -> None:
    """Queue an SMS to each of the station's contacts, in this transaction."""
    if alert.station_id is None:
        return
    phones = session.scalars(
        select(StationContactRow.phone).where(StationContactRow.station_id == alert.station_id)
    ).all()
    what = SMS_WORDS.get(_base(alert.kind), alert.kind)
    device = f"（{alert.kind.split(':', 1)[1]}）" if ":" in alert.kind else ""
    when = now.astimezone(CENTER_TIME).strftime("%m-%d %H:%M")
    text = f"【营业基站告警】{alert.station_id} 自助机 {alert.kiosk_id}：{what}{device}，{when}。"
    for phone in phones:
        queue_sms(session, phone, text, f"alert:{alert.kiosk_id}"[:40], now)


def sweep_silent(session: Session, now: dt.datetime) -> int:
    """Raise "no heartbeat" for each kiosk silent too long; how many were raised. Kiosks heard
    again resolve it at their next heartbeat."""
    cutoff = now - SILENT_AFTER
    silent = session.execute(
        select(KioskSeenRow.kiosk_id, KioskSeenRow.station_id, KioskSeenRow.last_seen).where(
            KioskSeenRow.last_seen < cutoff
        )
    ).all()
    raised = 0
    for kiosk_id, station_id, last_seen in silent:
        heard = as_utc(last_seen).strftime("%Y-%m-%d %H:%M:%S")
        raised += len(
            review_alerts(
                session,
                kiosk_id,
                station_id,
                {"no_heartbeat": f"last heard {heard} UTC"},
                now,
                only={"no_heartbeat"},
            )
        )
    if silent:
        session.execute(
            update(KioskSeenRow).where(KioskSeenRow.last_seen < cutoff).values(status=RED)
        )
    return raised


def clear_alert(
    session: Session, alert_id: int, login: str, now: dt.datetime
) -> FleetAlertRow | None:
    alert = session.get(FleetAlertRow, alert_id)
    if alert is None or alert.cleared_at is not None:
        return None
    alert.cleared_at = now
    alert.cleared_by = login[:40]
    # The kiosk's count of active alerts is left as it was: a count too high costs its next
    # heartbeat one look at its alerts, which counts them again.
    return alert
