"""What the console's business pages show and do: the applications, one application's review,
the SMS outbox. Only the claim's holder may decide (center/business/claims.py); a decision is a
move of the application's progress (with its SMS) and is audited; one that ends the work
releases the claim. What is personal is masked: staff see enough to review, not to copy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from center.business.claims import holder, may_claim, release, team_of
from center.business.progress import move
from center.business.tables import (
    ApplicationFileRow,
    ApplicationRow,
    ClaimRow,
    IdentityCheckRow,
    ProgressNodeRow,
    SmsRow,
)
from center.database import as_utc
from center.staff.accounts import audit
from rules.masking import mask_address, mask_id_number, mask_name
from sync.protocol.business import Stage

DECISIONS = {
    "review": Stage.UNDER_REVIEW,
    "more_documents": Stage.MORE_DOCUMENTS,
    "site_visit": Stage.SITE_VISIT,
    "approve": Stage.APPROVED,
    "done": Stage.DONE,
    "reject": Stage.REJECTED,
}
_ENDS_THE_WORK = {Stage.DONE, Stage.REJECTED}
_PERSONAL_FIELDS = {"name": mask_name, "id_number": mask_id_number, "address": mask_address}


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def _masked_form(form: dict[str, str]) -> list[tuple[str, str]]:
    shown = []
    for key, value in form.items():
        if key in _PERSONAL_FIELDS:
            value = _PERSONAL_FIELDS[key](value)
        elif key == "phone":
            value = mask_phone(value)
        shown.append((key, value))
    return shown


def application_list(session: Session, login: str, now: dt.datetime) -> list[dict[str, Any]]:
    """Every application, newest first, with who holds it and whether `login` may take it."""
    team = team_of(session, login)
    claims = {row.number: row for row in session.scalars(select(ClaimRow))}
    shown = []
    for row in session.scalars(select(ApplicationRow).order_by(ApplicationRow.received_at.desc())):
        claim_row = claims.get(row.number)
        held = claim_row is not None and as_utc(claim_row.expires_at) > now
        shown.append(
            {
                "number": row.number,
                "kind": row.kind,
                "station": row.station,
                "scope": row.scope,
                "stage": row.stage,
                "received_at": as_utc(row.received_at),
                "holder": claim_row.login if held and claim_row is not None else None,
                "mine": held and claim_row is not None and claim_row.login == login,
                "claimable": not held and may_claim(row.scope, team)
                and row.stage not in ("done", "rejected"),
            }
        )  # fmt: skip
    return shown


def application_detail(
    session: Session, number: str, login: str, now: dt.datetime
) -> dict[str, Any] | None:
    row = session.get(ApplicationRow, number)
    if row is None:
        return None
    files = session.scalars(
        select(ApplicationFileRow)
        .where(ApplicationFileRow.number == number)
        .order_by(ApplicationFileRow.id)
    )
    nodes = session.scalars(
        select(ProgressNodeRow).where(ProgressNodeRow.number == number).order_by(ProgressNodeRow.id)
    )
    held = holder(session, number, now)
    return {
        "number": row.number,
        "kind": row.kind,
        "station": row.station,
        "scope": row.scope,
        "stage": row.stage,
        "account": row.account_number or "",
        "form": _masked_form(row.form),
        "promised": row.promised,
        "on_file": row.on_file,
        "wanted": row.wanted,
        "reason": row.reason,
        "identity": _identity_status(session, row.identity_check_id),
        "files": [
            {
                "id": f.id,
                "role": f.role,
                "document": f.document,
                "media_type": f.media_type,
                "size": f.size,
                "image": f.media_type.startswith("image/"),
            }
            for f in files
        ],
        "nodes": [(as_utc(n.at), n.stage, n.note or "", n.by or "") for n in nodes],
        "holder": held.login if held is not None else None,
        "mine": held is not None and held.login == login,
        "claimable": held is None and may_claim(row.scope, team_of(session, login)),
    }


def application_file(session: Session, number: str, file_id: int) -> ApplicationFileRow | None:
    row = session.get(ApplicationFileRow, file_id)
    return row if row is not None and row.number == number else None


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # a key of the console's words (why_<reason>)


def decide(
    sessions: sessionmaker[Session],
    number: str,
    *,
    login: str,
    action: str,
    now: dt.datetime,
    note: str = "",
    wanted: list[str] | None = None,
    visit_at: dt.datetime | None = None,
) -> None:
    """The holder's decision on `number`: a move of its progress, audited. Raises Refused."""
    stage = DECISIONS.get(action)
    if stage is None:
        raise Refused("unknown_decision")
    if stage is Stage.REJECTED and not note.strip():
        raise Refused("reason_needed")
    with sessions.begin() as session:
        held = holder(session, number, now)
        if held is None or held.login != login:
            raise Refused("not_yours")
        if stage is Stage.APPROVED and not _real_name_confirmed(session, number):
            raise Refused("identity_unconfirmed")
        from center.errors import Refusal

        try:
            move(session, number, stage, now=now, by=login, note=note.strip() or None,
                 wanted=wanted or (), visit_at=visit_at)  # fmt: skip
        except Refusal as refusal:
            raise Refused("stage_not_allowed") from refusal
        audit(session, login, f"application_{stage.value}", now, detail=number)
    if stage in _ENDS_THE_WORK:
        release(sessions, number, login=login, now=now)


def _identity_status(session: Session, check_id: str | None) -> str | None:
    check = session.get(IdentityCheckRow, check_id) if check_id is not None else None
    return check.status if check is not None else None


def _real_name_confirmed(session: Session, number: str) -> bool:
    """An application approved stands on a passed real-name check (or needs none); a doubtful
    one is confirmed first, at /staff/identity."""
    row = session.get(ApplicationRow, number)
    if row is None or row.identity_check_id is None:
        return True
    check = session.get(IdentityCheckRow, row.identity_check_id)
    return check is not None and check.status == "passed"


def identity_reviews(session: Session) -> list[dict[str, Any]]:
    """Real-name checks waiting for staff (status review), oldest first, masked."""
    rows = session.scalars(
        select(IdentityCheckRow)
        .where(IdentityCheckRow.status == "review")
        .order_by(IdentityCheckRow.created_at)
    )
    return [
        {"check_id": r.check_id, "created_at": as_utc(r.created_at), "kiosk": r.kiosk_id,
         "name": mask_name(r.name), "id_number": mask_id_number(r.id_number),
         "score": r.score, "threshold": r.threshold, "challenge": r.challenge,
         "challenge_passed": r.challenge_passed, "photo": r.photo_key is not None}
        for r in rows
    ]  # fmt: skip


def identity_photo(session: Session, check_id: str) -> str | None:
    """The storage key of a check's live photo, while the check still has one."""
    row = session.get(IdentityCheckRow, check_id)
    return row.photo_key if row is not None else None


def sms_outbox(session: Session, limit: int = 200) -> list[dict[str, Any]]:
    rows = session.scalars(select(SmsRow).order_by(SmsRow.id.desc()).limit(limit))
    return [
        {"created_at": as_utc(r.created_at), "phone": mask_phone(r.phone), "text": r.text,
         "state": r.state, "about": r.about or "", "attempts": r.attempts}
        for r in rows
    ]  # fmt: skip
