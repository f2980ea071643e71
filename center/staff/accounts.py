"""Staff accounts: roles, passwords under argon2id, lockout, sessions and the audit trail.

A password is checked against its argon2id hash (a slow hash, with its parameters stored beside
it); an unknown login costs the same hash, so timing does not tell which logins exist. Five
wrong passwords in a row lock the account for fifteen minutes, the right one included. A session
is a random token in a cookie, kept at the center only as its SHA-256; signing out everywhere
deletes every session of the account. Every action is written to `staff_audit`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from center.database import StaffAuditRow, StaffRow, StaffSessionRow, as_utc

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
IDLE_LIMIT = dt.timedelta(hours=8)  # a console left open overnight asks for the password again
MIN_PASSWORD_LENGTH = 10

_HASHER = PasswordHasher()  # argon2id, the library's current defaults (RFC 9106 low memory)
# Verified when the login is unknown, so that answer takes as long as a wrong password.
_NOBODY = _HASHER.hash(secrets.token_urlsafe(16))


class Role(StrEnum):
    """What a person at the center does; an admin may do everything."""

    AGENT = "agent"  # answers residents' calls
    REVIEWER = "reviewer"  # reviews business applications
    OPERATOR = "operator"  # looks after the fleet of kiosks
    ADMIN = "admin"  # manages staff accounts, reads the audit trail


class StaffError(Exception):
    """A staff account that cannot be made as asked (the message says why)."""


@dataclass(frozen=True)
class StaffMember:
    id: int
    login: str
    display_name: str
    role: Role

    def may(self, *roles: Role) -> bool:
        return self.role is Role.ADMIN or self.role in roles


@dataclass(frozen=True)
class SignedIn:
    member: StaffMember
    token: str  # for the cookie; the center keeps only its hash
    csrf: str


class LoginRefused(Exception):
    """Wrong login or password, or (`locked_until`) an account locked after too many."""

    def __init__(self, locked_until: dt.datetime | None = None) -> None:
        super().__init__("locked" if locked_until else "wrong login or password")
        self.locked_until = locked_until


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _member(row: StaffRow) -> StaffMember:
    return StaffMember(row.id, row.login, row.display_name, Role(row.role))


def audit(
    session: Session,
    login: str,
    action: str,
    now: dt.datetime,
    *,
    kiosk_id: str | None = None,
    detail: str | None = None,
) -> None:
    session.add(StaffAuditRow(login=login, action=action, kiosk_id=kiosk_id, detail=detail, at=now))


def add_staff(
    sessions: sessionmaker,
    login: str,
    display_name: str,
    role: Role,
    password: str,
    now: dt.datetime,
    *,
    by: str = "command line",
) -> StaffMember:
    login = login.strip()
    if not login or len(login) > 40 or not login.isprintable() or " " in login:
        raise StaffError("a login is 1-40 characters, without spaces")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    with sessions.begin() as session:
        if session.scalar(select(StaffRow.id).where(StaffRow.login == login)) is not None:
            raise StaffError(f"the login {login!r} is taken")
        row = StaffRow(
            login=login,
            display_name=display_name.strip() or login,
            role=role.value,
            password_hash=_HASHER.hash(password),
            failed_logins=0,
            created_at=now,
        )
        session.add(row)
        session.flush()
        audit(session, by, "staff_added", now, detail=f"{login} ({role.value})")
        return _member(row)


def sign_in(sessions: sessionmaker, login: str, password: str, now: dt.datetime) -> SignedIn:
    """A new session for the right password; LoginRefused otherwise, and after
    MAX_FAILED_LOGINS wrong ones in a row, for LOCKOUT, whatever the password."""
    with sessions.begin() as session:  # a refusal is committed too: the count and the audit
        outcome = _check(session, login, password, now)
    if isinstance(outcome, LoginRefused):
        raise outcome
    return outcome


def _check(
    session: Session, login: str, password: str, now: dt.datetime
) -> SignedIn | LoginRefused:
    row = session.scalar(select(StaffRow).where(StaffRow.login == login).with_for_update())
    if row is None:
        _verify(_NOBODY, password)
        audit(session, login[:40], "login_unknown", now)
        return LoginRefused()
    locked_until = as_utc(row.locked_until) if row.locked_until else None
    if locked_until is not None and locked_until > now:
        audit(session, row.login, "login_while_locked", now)
        return LoginRefused(locked_until)
    if not _verify(row.password_hash, password):
        row.failed_logins += 1
        if row.failed_logins >= MAX_FAILED_LOGINS:
            row.failed_logins = 0
            row.locked_until = now + LOCKOUT
            audit(session, row.login, "locked", now, detail=f"{MAX_FAILED_LOGINS} failures")
            return LoginRefused(row.locked_until)
        audit(session, row.login, "login_failed", now)
        return LoginRefused()
    row.failed_logins = 0
    row.locked_until = None
    if _HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = _HASHER.hash(password)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        StaffSessionRow(
            token_hash=token_hash(token), staff_id=row.id, csrf=csrf, created_at=now, last_seen=now
        )
    )
    audit(session, row.login, "login", now)
    return SignedIn(_member(row), token, csrf)


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def session_of(
    sessions: sessionmaker, token: str, now: dt.datetime
) -> tuple[StaffMember, str] | None:
    """(who, the session's CSRF token) for a live session's cookie; None when there is none,
    or it has been idle past IDLE_LIMIT (it is deleted then)."""
    with sessions.begin() as session:
        row = session.get(StaffSessionRow, token_hash(token))
        if row is None:
            return None
        if now - as_utc(row.last_seen) > IDLE_LIMIT:
            session.delete(row)
            return None
        row.last_seen = now
        staff = session.get(StaffRow, row.staff_id)
        if staff is None:
            return None
        return _member(staff), row.csrf


def sign_out(sessions: sessionmaker, token: str, now: dt.datetime, *, everywhere: bool) -> None:
    """End this session, or (`everywhere`) every session of the same account."""
    with sessions.begin() as session:
        row = session.get(StaffSessionRow, token_hash(token))
        if row is None:
            return
        staff = session.get(StaffRow, row.staff_id)
        if everywhere:
            session.execute(delete(StaffSessionRow).where(StaffSessionRow.staff_id == row.staff_id))
        else:
            session.delete(row)
        login = staff.login if staff is not None else "?"
        audit(session, login, "logout_everywhere" if everywhere else "logout", now)


def recent_audit(
    sessions: sessionmaker, *, login: str | None = None, limit: int = 50
) -> list[StaffAuditRow]:
    with sessions() as session:
        query = select(StaffAuditRow).order_by(StaffAuditRow.id.desc()).limit(limit)
        if login is not None:
            query = query.where(StaffAuditRow.login == login)
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows
