"""The shared work queue (抢单): who works an application now.

A claim is one row per application, taken atomically: an INSERT that the primary key refuses
when someone holds it, or, for a claim past its time, an UPDATE that only matches while it is
still expired, so two staff pressing "claim" at once never both get it, on SQLite as on
PostgreSQL. A claim lasts `HOLD` and is released by its holder, by a decision that ends the
work, or by time. Every take, take-over and release is in the staff audit.

Who may claim what (business.md): work beyond a station's authority is the center's queue
(scope "center"), which the center's team works; work within a station's scope can be taken by
that station's team, and by the center's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from center.business.intake import CENTER_SCOPE
from center.business.tables import ApplicationRow, ClaimRow, StaffTeamRow
from center.database import as_utc
from center.staff.accounts import audit

HOLD = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Holder:
    login: str
    team: str
    expires_at: dt.datetime


def team_of(session: Session, login: str) -> str:
    row = session.get(StaffTeamRow, login)
    return row.team if row is not None else CENTER_SCOPE


def set_team(session: Session, login: str, team: str) -> None:
    row = session.get(StaffTeamRow, login)
    if row is None:
        session.add(StaffTeamRow(login=login, team=team))
    else:
        row.team = team


def may_claim(scope: str, team: str) -> bool:
    return team in (scope, CENTER_SCOPE)


def holder(session: Session, number: str, now: dt.datetime) -> Holder | None:
    """Who holds the application now (None: nobody, or a claim past its time)."""
    row = session.get(ClaimRow, number)
    if row is None or as_utc(row.expires_at) <= now:
        return None
    return Holder(row.login, row.team, as_utc(row.expires_at))


def claim(
    sessions: sessionmaker[Session],
    number: str,
    *,
    login: str,
    now: dt.datetime,
    hold: dt.timedelta = HOLD,
) -> bool:
    """Take application `number` for `login`; True when they hold it now (also when they held
    it already: the hold starts again). False: another holds it, or it is not their team's."""
    with sessions.begin() as session:
        application = session.get(ApplicationRow, number)
        team = team_of(session, login)
        if application is None or not may_claim(application.scope, team):
            return False
        current = holder(session, number, now)
        if current is not None and current.login != login:
            return False
    until = now + hold
    values = {"login": login, "team": team, "claimed_at": now, "expires_at": until}
    try:
        with sessions.begin() as session:
            session.execute(insert(ClaimRow).values(number=number, **values))
            audit(session, login, "application_claimed", now, detail=number)
        return True
    except IntegrityError:
        pass  # held, or held once: take it over only if it is still past its time (or mine)
    with sessions.begin() as session:
        taken = session.execute(
            update(ClaimRow)
            .where(ClaimRow.number == number)
            .where((ClaimRow.expires_at <= now) | (ClaimRow.login == login))
            .values(**values)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult
            return False
        audit(session, login, "application_claimed", now, detail=f"{number} (taken over)")
    return True


def release(sessions: sessionmaker[Session], number: str, *, login: str, now: dt.datetime) -> bool:
    """The holder lets it go (or a decision ended the work); False when they did not hold it."""
    with sessions.begin() as session:
        gone = session.execute(
            delete(ClaimRow).where(ClaimRow.number == number, ClaimRow.login == login)
        )
        if gone.rowcount != 1:  # type: ignore[attr-defined]
            return False
        audit(session, login, "application_released", now, detail=number)
    return True


def claimable(session: Session, team: str, now: dt.datetime) -> list[str]:
    """Numbers of open applications this team may take and nobody holds, oldest first."""
    open_stages = ("received", "under_review", "more_documents", "site_visit", "approved")
    rows = session.scalars(
        select(ApplicationRow)
        .where(ApplicationRow.stage.in_(open_stages))
        .order_by(ApplicationRow.received_at)
    )
    return [
        row.number
        for row in rows
        if may_claim(row.scope, team) and holder(session, row.number, now) is None
    ]
