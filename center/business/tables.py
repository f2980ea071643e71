"""The center's tables for residents' business: applications, their files, progress, identity
checks, the SMS outbox and the shared work queue (抢单).

Personal data kept here is what the business needs (the form: name, ID number, address, phone),
in the center's database as a utility's would be; files (photos, the signed PDF) live behind the
storage port (center/business/storage.py) and the database keeps only their key and hash.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from center.database import Base


class ApplicationRow(Base):
    __tablename__ = "applications"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    station: Mapped[str] = mapped_column(String(40), index=True)  # where it was made
    # Who may work it: a station id, or "center" when it is beyond a station's authority.
    scope: Mapped[str] = mapped_column(String(40), index=True)
    account_number: Mapped[str | None] = mapped_column(String(13), nullable=True, index=True)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    form: Mapped[dict[str, Any]] = mapped_column(JSON)
    promised: Mapped[list[str]] = mapped_column(JSON)
    on_file: Mapped[list[str]] = mapped_column(JSON)
    wanted: Mapped[list[str]] = mapped_column(JSON, default=list)  # asked for by staff
    # One check stands for one application (the unique index holds it against two at once).
    identity_check_id: Mapped[str | None] = mapped_column(String(36), nullable=True, unique=True)
    stage: Mapped[str] = mapped_column(String(20), index=True)  # sync.protocol.business.Stage
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    visit_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    valid_until: Mapped[dt.date | None] = mapped_column(nullable=True)
    resubmission_of: Mapped[str | None] = mapped_column(String(20), nullable=True)
    language: Mapped[str] = mapped_column(String(16))
    content_sha256: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    stage_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApplicationFileRow(Base):
    """A file of an application: a document photo, the signature, the sealed PDF."""

    __tablename__ = "application_files"
    __table_args__ = (UniqueConstraint("number", "role", "document", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(ForeignKey("applications.number"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # document | signature | strokes | sealed_pdf
    document: Mapped[str | None] = mapped_column(String(40), nullable=True)
    media_type: Mapped[str] = mapped_column(String(40))
    storage_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DocumentOnFileRow(Base):
    """A document the center holds for a person (and account): not asked for again."""

    __tablename__ = "documents_on_file"
    __table_args__ = (UniqueConstraint("id_number", "account_number", "document"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    account_number: Mapped[str] = mapped_column(String(13), default="")  # "" for any account
    document: Mapped[str] = mapped_column(String(40))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("application_files.id"), nullable=True)
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ProgressNodeRow(Base):
    """One node of an application's timeline, as the resident sees it (and is sent by SMS)."""

    __tablename__ = "application_progress"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(ForeignKey("applications.number"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(200), nullable=True)
    by: Mapped[str | None] = mapped_column(String(40), nullable=True)  # staff login, or None
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class IdentityCheckRow(Base):
    """A real-name check: the identity service's score, and staff's decision when doubtful.
    The live photo is a file behind the storage port, removed once the check is decided and
    its retention (configuration) has passed."""

    __tablename__ = "identity_checks"

    check_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    station: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(40))
    score: Mapped[float]
    threshold: Mapped[float]
    challenge: Mapped[str] = mapped_column(String(8))
    challenge_passed: Mapped[bool]
    status: Mapped[str] = mapped_column(String(8), index=True)  # passed | failed | review
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    photo_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SmsRow(Base):
    """The SMS outbox: written in the transaction that made the news, sent by a gateway
    adapter (center/business/sms.py); the reference center's gateway only records."""

    __tablename__ = "sms_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    phone: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    about: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)  # a number
    state: Mapped[str] = mapped_column(String(8), index=True)  # queued | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ClaimRow(Base):
    """Who works an application now (抢单): one row per application, taken atomically; a claim
    past `expires_at` may be taken by another. Every take and release is in the staff audit."""

    __tablename__ = "application_claims"

    number: Mapped[str] = mapped_column(ForeignKey("applications.number"), primary_key=True)
    login: Mapped[str] = mapped_column(String(40))
    team: Mapped[str] = mapped_column(String(40))  # the claimer's station, or "center"
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class StaffTeamRow(Base):
    """Which team a member of staff works in (抢单): a station's id, or "center". A member with
    no row is the center's."""

    __tablename__ = "staff_teams"

    login: Mapped[str] = mapped_column(String(40), primary_key=True)
    team: Mapped[str] = mapped_column(String(40))
