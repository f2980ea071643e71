"""The center receiving residents' applications: the handlers of `business.application_submitted`
and `business.documents_added`, run by center/events.py in the transaction storing the event.

An application is taken only whole and as signed: every attachment's bytes match the sha256 it
came with, and the signature's content hash is the one the center recomputes from the event
(`signed_content`); otherwise the event is rejected with the reason and nothing is kept. Each
handler checks everything before its first write (center/events.py's rule).

Files go to the storage port first, under their content hash, then the rows naming them: a
batch that fails after that leaves at most unreferenced files, which the same content reuses.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center.business.progress import add_node, move
from center.business.storage import FileStore, store_content
from center.business.tables import (
    ApplicationFileRow,
    ApplicationRow,
    DocumentOnFileRow,
    IdentityCheckRow,
)
from center.database import as_utc
from center.events import EventHandler, EventRejected
from rules.id_number import is_valid_id_number
from sync.protocol.business import (
    ApplicationKind,
    ApplicationSubmitted,
    Attachment,
    DocumentsAdded,
    Stage,
    signed_content,
)
from sync.protocol.event_base import EventPayload

log = logging.getLogger(__name__)

# Connection work goes beyond a station's authority: the center's team works it.
CENTER_SCOPE = "center"
CENTER_KINDS = frozenset({ApplicationKind.ROOFTOP_PV, ApplicationKind.EV_CHARGER})
# Reporting a fault asks nobody's identity: anyone may report a fallen line.
WITHOUT_REAL_NAME_CHECK = frozenset({ApplicationKind.FAULT_REPORT})
# A check is made for one application, just before it; an application queued while the link
# was down may arrive days later, but not a check kept to be used again.
CHECK_KEPT_AT_MOST = dt.timedelta(days=7)

ROLE_DOCUMENT = "document"
ROLE_SIGNATURE = "signature"
ROLE_STROKES = "strokes"
ROLE_SEALED_PDF = "sealed_pdf"


@dataclass(frozen=True)
class Page:
    """An attachment decoded and checked."""

    document: str
    media_type: str
    data: bytes
    sha256: str


# Renders and seals an application as received (center/business/sealed_pdf.py): PDF bytes.
Sealer = Callable[[ApplicationRow, list[Page], bytes], bytes]


def business_event_handlers(
    files: FileStore, sealer: Sealer | None = None
) -> dict[str, EventHandler]:
    """The handlers center/events.py runs for residents' business, keyed by event type."""

    def submitted(
        session: Session, kiosk_id: str, payload: EventPayload, now: dt.datetime
    ) -> dict[str, Any]:
        assert isinstance(payload, ApplicationSubmitted)
        take_application(session, files, sealer, kiosk_id, payload, now)
        return without_personal_data(payload)

    def added(
        session: Session, kiosk_id: str, payload: EventPayload, now: dt.datetime
    ) -> dict[str, Any]:
        assert isinstance(payload, DocumentsAdded)
        add_documents(session, files, payload, now)
        return without_personal_data(payload)

    return {ApplicationSubmitted.event_type: submitted, DocumentsAdded.event_type: added}


def without_personal_data(event: ApplicationSubmitted | DocumentsAdded) -> dict[str, Any]:
    """What the event store keeps of a business event: the form, the pages and the signature
    are in the application's tables and files; here only their hashes."""
    kept = event.model_dump(mode="json", exclude={"form", "documents", "signature"})
    kept["documents"] = [{"document": a.document, "sha256": a.sha256} for a in event.documents]
    if isinstance(event, ApplicationSubmitted):
        kept["signature"] = {"content_sha256": event.signature.content_sha256}
    return kept


def take_application(
    session: Session,
    files: FileStore,
    sealer: Sealer | None,
    kiosk_id: str,
    event: ApplicationSubmitted,
    now: dt.datetime,
) -> ApplicationRow:
    # -- checks: nothing is written before all pass -----------------------------------------
    if session.get(ApplicationRow, event.number) is not None:
        raise EventRejected(f"application number {event.number} is already taken")
    id_number = event.form.get("id_number", "")
    if not is_valid_id_number(id_number):
        raise EventRejected("the form has no valid id_number")
    check_id = _real_name_check(session, kiosk_id, event, id_number, now)
    pages = [decoded(attachment) for attachment in event.documents]
    signature_png = _base64(event.signature.image_png, "the signature image")
    content = signed_content(
        number=event.number,
        kind=event.kind.value,
        station=event.station,
        account_number=event.account_number,
        form=event.form,
        documents=[(page.document, page.sha256) for page in pages],
        promised=event.promised,
        on_file=event.on_file,
    )
    content_sha256 = hashlib.sha256(content).hexdigest()
    if content_sha256 != event.signature.content_sha256:
        raise EventRejected("the signature was made on other content than the application's")
    earlier = event.resubmission_of
    if earlier is not None and session.get(ApplicationRow, earlier) is None:
        earlier = None  # a number this center never had links to nothing

    row = ApplicationRow(
        number=event.number,
        kind=event.kind.value,
        kiosk_id=kiosk_id,
        station=event.station,
        scope=CENTER_SCOPE if event.kind in CENTER_KINDS else event.station,
        account_number=event.account_number,
        id_number=id_number,
        form=dict(event.form),
        promised=list(event.promised),
        on_file=list(event.on_file),
        wanted=[],
        identity_check_id=check_id,
        stage=Stage.RECEIVED.value,
        resubmission_of=earlier,
        language=event.language,
        content_sha256=content_sha256,
        submitted_at=event.submitted_at,
        received_at=now,
        stage_at=now,
    )
    # Rendered and sealed before the first write: on SQLite the first write takes the
    # database's write lock, which the batch then holds until it commits.
    pdf = sealer(row, pages, signature_png) if sealer is not None else None
    strokes = {
        "width": event.signature.width,
        "height": event.signature.height,
        "signed_at": event.signature.signed_at.isoformat(),
        "content_sha256": event.signature.content_sha256,
        "strokes": [stroke.points for stroke in event.signature.strokes],
    }
    strokes_json = json.dumps(strokes, separators=(",", ":")).encode()

    # -- writes ----------------------------------------------------------------------------
    session.add(row)
    session.flush()  # the application before the rows naming it
    _file_pages(session, files, row, pages, now)
    add_file(session, files, row.number, ROLE_SIGNATURE, None, "image/png", signature_png, now)
    add_file(session, files, row.number, ROLE_STROKES, None, "application/json", strokes_json, now)
    if pdf is not None:
        add_file(session, files, row.number, ROLE_SEALED_PDF, None, "application/pdf", pdf, now)
    add_node(session, row, Stage.RECEIVED, now=now)
    log.info("application received", extra={"application": row.number, "kind": row.kind})
    return row


def _real_name_check(
    session: Session, kiosk_id: str, event: ApplicationSubmitted, id_number: str, now: dt.datetime
) -> str | None:
    """The real-name check the application stands on, which must be this kiosk's, of this
    person, not failed (passed, or waiting for staff), recent, and not used by another
    application: another kiosk's check, someone else's, or one kept to be used again does not
    make an application."""
    if event.identity_check_id is None:
        if event.kind in WITHOUT_REAL_NAME_CHECK:
            return None
        raise EventRejected(f"{event.kind.value} needs a real-name check, and none came")
    check = session.get(IdentityCheckRow, str(event.identity_check_id))
    if check is None or check.kiosk_id != kiosk_id:
        raise EventRejected("the real-name check was not made by this kiosk")
    if check.id_number != id_number:
        raise EventRejected("the real-name check is of another person")
    if check.status == "failed":
        raise EventRejected("the real-name check failed")
    if as_utc(now) - as_utc(check.created_at) > CHECK_KEPT_AT_MOST:
        raise EventRejected("the real-name check is too old")
    used = session.scalars(
        select(ApplicationRow.number).where(ApplicationRow.identity_check_id == check.check_id)
    ).first()
    if used is not None:
        raise EventRejected("the real-name check was used already")
    return check.check_id


def add_documents(
    session: Session, files: FileStore, event: DocumentsAdded, now: dt.datetime
) -> None:
    row = session.get(ApplicationRow, event.number)
    if row is None:
        raise EventRejected(f"no application {event.number}")
    pages = [decoded(attachment) for attachment in event.documents]
    _file_pages(session, files, row, pages, now)
    if row.stage == Stage.MORE_DOCUMENTS.value:
        move(session, row.number, Stage.UNDER_REVIEW, now=now, note=_brought(pages))
    log.info("documents added", extra={"application": row.number, "pages": len(pages)})


def decoded(attachment: Attachment) -> Page:
    data = _base64(attachment.data, f"document {attachment.document}")
    digest = hashlib.sha256(data).hexdigest()
    if digest != attachment.sha256:
        raise EventRejected(f"document {attachment.document}: its bytes do not match its sha256")
    return Page(attachment.document, attachment.media_type, data, digest)


def add_file(
    session: Session,
    files: FileStore,
    number: str,
    role: str,
    document: str | None,
    media_type: str,
    data: bytes,
    now: dt.datetime,
) -> ApplicationFileRow:
    """Store `data` behind the port and name it in the database (once per content and role)."""
    key, digest = store_content(files, data)
    existing = session.scalars(
        select(ApplicationFileRow).where(
            ApplicationFileRow.number == number,
            ApplicationFileRow.role == role,
            ApplicationFileRow.document == document,
            ApplicationFileRow.sha256 == digest,
        )
    ).first()
    if existing is not None:
        return existing
    row = ApplicationFileRow(
        number=number,
        role=role,
        document=document,
        media_type=media_type,
        storage_key=key,
        sha256=digest,
        size=len(data),
        added_at=now,
    )
    session.add(row)
    session.flush()
    return row


def _file_pages(
    session: Session, files: FileStore, row: ApplicationRow, pages: list[Page], now: dt.datetime
) -> None:
    for page in pages:
        add_file(
            session,
            files,
            row.number,
            ROLE_DOCUMENT,
            page.document,
            page.media_type,
            page.data,
            now,
        )
        # Not on file yet: a page is the center's to reuse once the application is approved
        # (a page staff found unreadable must be asked for again).


def record_on_file(
    session: Session,
    id_number: str,
    account_number: str | None,
    document: str,
    file_id: int | None,
    now: dt.datetime,
) -> None:
    """The center now holds `document` for this person and account: not asked for again."""
    account = account_number or ""
    held = session.scalars(
        select(DocumentOnFileRow).where(
            DocumentOnFileRow.id_number == id_number,
            DocumentOnFileRow.account_number == account,
            DocumentOnFileRow.document == document,
        )
    ).first()
    if held is None:
        session.add(
            DocumentOnFileRow(
                id_number=id_number,
                account_number=account,
                document=document,
                file_id=file_id,
                accepted_at=now,
            )
        )
    else:  # the newer page replaces the older one
        held.file_id = file_id
        held.accepted_at = now


def documents_on_file(session: Session, id_number: str, account_number: str | None) -> list[str]:
    accounts = {"", account_number} if account_number else {""}
    return sorted(
        set(
            session.scalars(
                select(DocumentOnFileRow.document).where(
                    DocumentOnFileRow.id_number == id_number,
                    DocumentOnFileRow.account_number.in_(accounts),
                )
            )
        )
    )


def _brought(pages: list[Page]) -> str:
    return ", ".join(sorted({page.document for page in pages}))[:200]


def _base64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise EventRejected(f"{what} is not valid base64") from None
