"""Notices and planned outages, published from the console to the idle screens of the stations
they concern, with their dates. Each change is a new revision of the notices the kiosks pull."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy.orm import Session

from center.reference_data import publish_notices, published_notices
from center.staff.accounts import audit
from sync.protocol.reference import Notice, Notices, Text

STATION = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class NoticeRefused(ValueError):
    """A notice that cannot be published as given; the message names the field."""


def current(session: Session) -> list[Notice]:
    return list(published_notices(session).notices)


def stations_from(text: str) -> frozenset[str]:
    """ "station-a, station-b" (empty: every station)."""
    names = frozenset(name.strip() for name in re.split(r"[,\s，]+", text) if name.strip())
    wrong = sorted(name for name in names if not STATION.match(name))
    if wrong:
        raise NoticeRefused(f"not a station id: {', '.join(wrong)}")
    return names


def add_notice(
    session: Session,
    login: str,
    now: dt.datetime,
    *,
    kind: str,
    stations: str,
    starts: dt.date | None,
    ends: dt.date | None,
    zh: str,
    en: str,
) -> Notice:
    if not zh.strip() or not en.strip():
        raise NoticeRefused("the words in both languages")
    if kind == "outage" and starts is None:
        raise NoticeRefused("a planned outage needs its first day")
    if starts and ends and ends < starts:
        raise NoticeRefused("the last day is before the first")
    notice = Notice(
        id=f"n-{now:%Y%m%d}-{secrets.token_hex(3)}",
        text=Text(zh=zh.strip(), en=en.strip()),
        starts=starts,
        ends=(ends or starts) if kind == "outage" else ends,
        stations=stations_from(stations),
        kind="outage" if kind == "outage" else "notice",
    )
    notices = current(session)
    if len(notices) >= 50:
        raise NoticeRefused("fifty notices are published already: remove one first")
    revision = publish_notices(session, Notices(notices=[*notices, notice]), now)
    where = ", ".join(sorted(notice.stations)) or "every station"
    audit(session, login, "notice_published", now,
          detail=f"{notice.id} ({notice.kind}, {where}) revision {revision}")  # fmt: skip
    return notice


def remove_notice(session: Session, login: str, now: dt.datetime, notice_id: str) -> bool:
    notices = current(session)
    kept = [notice for notice in notices if notice.id != notice_id]
    if len(kept) == len(notices):
        return False
    revision = publish_notices(session, Notices(notices=kept), now)
    audit(session, login, "notice_removed", now, detail=f"{notice_id} revision {revision}")
    return True
