"""Reference data the center publishes to the kiosks: tariffs, notices, knowledge base, settings.

One row per kind, each publication a new revision numbered across all kinds, so a kiosk asks
"what changed after revision R" in one request and fetches only those kinds, each answered 304
when its ETag still holds. Everything lives in the database: any number of center processes
answer alike. Operators publish with PUT /v1/admin/reference/{kind} and the operator token:
it takes a kind's data, checks it against the protocol and gives it the next revision.
"""

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy import JSON, DateTime, Integer, String, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from center.database import Base, TariffRow, as_utc, write_lock
from center.errors import error_response
from center.kiosk_auth import KIOSK_ONLY
from center.operators import OPERATOR_ONLY
from sync.protocol.reference import (
    KioskSettings,
    Notices,
    ReferenceChange,
    ReferenceDocument,
    ReferenceIndex,
    ReferenceKind,
    etag_of,
    parse_data,
)

ROOT = Path(__file__).resolve().parent.parent
# The first editions: the knowledge base and tariff explanation the kiosks ship with, and the
# reference center's own demo notices and fleet settings.
SEED_FILES = {
    ReferenceKind.KNOWLEDGE: ROOT / "config" / "reference" / "knowledge.toml",
    ReferenceKind.TARIFFS: ROOT / "config" / "reference" / "tariffs.toml",
    ReferenceKind.NOTICES: Path(__file__).with_name("reference") / "notices.toml",
    ReferenceKind.SETTINGS: Path(__file__).with_name("reference") / "settings.toml",
}


class ReferenceRow(Base):
    __tablename__ = "reference_documents"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, unique=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


def _seed_data(session: Session, kind: ReferenceKind) -> dict[str, Any]:
    data = tomllib.loads(SEED_FILES[kind].read_text(encoding="utf-8"))
    if kind is ReferenceKind.TARIFFS:
        # The tariffs bills are computed with, so what the kiosk explains is what it bills.
        rows = session.scalars(select(TariffRow).order_by(TariffRow.name))
        data["tariffs"] = [
            {
                "name": row.name,
                "utility": row.utility,
                "unit": row.unit,
                "prices": row.prices,
                "limits": row.limits,
            }
            for row in rows
        ]
    return parse_data(kind, data).model_dump(mode="json")


def seed_reference_data(sessions: sessionmaker[Session], now: dt.datetime) -> None:
    """Publish a first edition of every kind the database has none of (after the tariffs)."""
    for kind in ReferenceKind:
        try:
            with sessions.begin() as session:
                write_lock(session)
                if session.get(ReferenceRow, kind.value) is None:
                    _publish(session, kind, _seed_data(session, kind), now)
        except IntegrityError:
            pass  # another center process seeded it first


def _publish(
    session: Session, kind: ReferenceKind, data: dict[str, Any], now: dt.datetime
) -> ReferenceRow:
    newest = session.scalar(select(func.max(ReferenceRow.revision))) or 0
    row = session.get(ReferenceRow, kind.value)
    if row is None:
        row = ReferenceRow(kind=kind.value)
        session.add(row)
    row.revision = newest + 1
    row.updated_at = now
    row.data = data
    session.flush()
    return row


def published_notices(session: Session) -> Notices:
    row = session.get(ReferenceRow, ReferenceKind.NOTICES.value)
    assert row is not None, "seeded when the app is made (reference_routes)"
    return Notices.model_validate(row.data)


def publish_notices(session: Session, notices: Notices, now: dt.datetime) -> int:
    """Publish the notices as the next revision (the kiosks fetch it at their next pull)."""
    write_lock(session)
    data = parse_data(ReferenceKind.NOTICES, notices.model_dump(mode="json"))
    return _publish(session, ReferenceKind.NOTICES, data.model_dump(mode="json"), now).revision


def published_settings(session: Session) -> KioskSettings:
    """The kiosk settings as last published: the utility's own limits (prepayments) that the
    center enforces and every kiosk may only narrow."""
    row = session.get(ReferenceRow, ReferenceKind.SETTINGS.value)
    assert row is not None, "seeded when the app is made (reference_routes)"
    return KioskSettings.model_validate(row.data)


def _document(row: ReferenceRow) -> ReferenceDocument:
    return ReferenceDocument(
        kind=ReferenceKind(row.kind),
        revision=row.revision,
        updated_at=as_utc(row.updated_at),
        data=row.data,
    )


def reference_routes(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime]
) -> APIRouter:
    """The reference-data routes; seeds a first edition of every kind missing. Kiosks read,
    operators publish."""
    seed_reference_data(sessions, clock())
    router = APIRouter()

    @router.get("/v1/reference", response_model=ReferenceIndex, dependencies=[KIOSK_ONLY])
    def changed_since(since: Annotated[int, Query(ge=0)] = 0) -> ReferenceIndex:
        with sessions() as session:
            rows = list(session.scalars(select(ReferenceRow).order_by(ReferenceRow.revision)))
        newest = max((row.revision for row in rows), default=0)
        changed = [
            ReferenceChange(
                kind=ReferenceKind(row.kind),
                revision=row.revision,
                etag=etag_of(ReferenceKind(row.kind), row.revision),
            )
            for row in rows
            if row.revision > since
        ]
        return ReferenceIndex(revision=newest, changed=changed)

    @router.get(
        "/v1/reference/{kind}",
        response_model=ReferenceDocument,
        responses={304: {"description": "the kiosk's copy (If-None-Match) is current"}},
        dependencies=[KIOSK_ONLY],
    )
    def document(
        kind: ReferenceKind,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        with sessions() as session:
            row = session.get(ReferenceRow, kind.value)
        if row is None:
            return error_response(404, "not_found", f"no reference data {kind.value}")
        etag = etag_of(kind, row.revision)
        if if_none_match is not None and etag in (t.strip() for t in if_none_match.split(",")):
            return Response(status_code=304, headers={"ETag": etag})
        return JSONResponse(content=_document(row).model_dump(mode="json"), headers={"ETag": etag})

    @router.put(
        "/v1/admin/reference/{kind}",
        response_model=ReferenceDocument,
        dependencies=[OPERATOR_ONLY],
    )
    def publish(kind: ReferenceKind, data: dict[str, Any]) -> Response:
        try:
            checked = parse_data(kind, data).model_dump(mode="json")
        except ValueError as error:  # pydantic's ValidationError is one
            problem = str(error).splitlines()[0]
            return error_response(422, "invalid_reference_data", problem)
        with sessions.begin() as session:
            write_lock(session)
            row = _publish(session, kind, checked, clock())
            published = _document(row)
        return JSONResponse(content=published.model_dump(mode="json"))

    return router
