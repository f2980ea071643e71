"""The kiosk-facing routes of residents' business (paths and shapes: sync/protocol/business.py),
each for signed kiosks only.

Who may read what: an application's progress by its number (the number is the slip's secret:
whoever holds the slip may follow it); the search by ID number answers only that person's
applications, and a real-name check only to the kiosk that asked for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from center.business.identity import IdentitySettings, answer_of, check_identity
from center.business.intake import documents_on_file
from center.business.progress import progress_of, progress_of_row
from center.business.storage import FileStore
from center.business.tables import ApplicationRow, IdentityCheckRow
from center.errors import Refusal
from center.kiosk_auth import KIOSK_ONLY, SignedKiosk
from rules.id_number import is_valid_id_number
from sync.protocol import IdNumberQuery
from sync.protocol.business import (
    APPLICATION_NUMBER,
    APPLICATIONS_PATH,
    IDENTITY_CHECKS_PATH,
    ApplicationList,
    ApplicationProgress,
    IdentityCheckAnswer,
    IdentityCheckRequest,
    OnFile,
    OnFileQuery,
)

# Request bodies each route may take, in bytes (center/app.py refuses larger ones with 413):
# an application with 12 page photos is up to ~18 MB and travels in an event batch; a real-name
# check carries one face photo; the rest are small queries.
BODY_LIMITS: dict[str, int] = {
    "/v1/events": 24 * 1024 * 1024,
    IDENTITY_CHECKS_PATH: 3 * 1024 * 1024,
    f"{APPLICATIONS_PATH}/search": 16 * 1024,
    f"{APPLICATIONS_PATH}/on-file": 16 * 1024,
}

SEARCH_LIMIT = 50  # a person's applications, newest first


def business_routes(
    sessions: sessionmaker[Session],
    files: FileStore,
    today: Callable[[], dt.date],
    clock: Callable[[], dt.datetime],
    identity: IdentitySettings,
) -> APIRouter:
    router = APIRouter()

    @router.post(IDENTITY_CHECKS_PATH, response_model=IdentityCheckAnswer)
    def new_identity_check(
        request: IdentityCheckRequest, kiosk: SignedKiosk
    ) -> IdentityCheckAnswer:
        with sessions.begin() as session:
            return check_identity(session, files, identity, kiosk.kiosk_id, request, clock())

    @router.get(f"{IDENTITY_CHECKS_PATH}/{{check_id}}", response_model=IdentityCheckAnswer)
    def identity_outcome(check_id: UUID, kiosk: SignedKiosk) -> IdentityCheckAnswer:
        with sessions() as session:
            row = session.get(IdentityCheckRow, str(check_id))
            # Another kiosk's check is answered as unknown: no hint it exists.
            if row is None or row.kiosk_id != kiosk.kiosk_id:
                raise Refusal(404, "identity_check_not_found", f"no identity check {check_id}")
            return answer_of(row)

    @router.get(
        f"{APPLICATIONS_PATH}/{{number}}",
        response_model=ApplicationProgress,
        dependencies=[KIOSK_ONLY],
    )
    def application_progress(
        number: Annotated[str, Path(pattern=APPLICATION_NUMBER.pattern)],
    ) -> ApplicationProgress:
        with sessions() as session:
            return progress_of(session, number, today())

    @router.post(
        f"{APPLICATIONS_PATH}/search", response_model=ApplicationList, dependencies=[KIOSK_ONLY]
    )
    def applications_of_person(query: IdNumberQuery) -> ApplicationList:
        _check_id_number(query.id_number)
        with sessions() as session:
            rows = session.scalars(
                select(ApplicationRow)
                .where(ApplicationRow.id_number == query.id_number)
                .order_by(ApplicationRow.submitted_at.desc(), ApplicationRow.number.desc())
                .limit(SEARCH_LIMIT)
            ).all()
            return ApplicationList(
                applications=[progress_of_row(session, row, today()) for row in rows]
            )

    @router.post(f"{APPLICATIONS_PATH}/on-file", response_model=OnFile, dependencies=[KIOSK_ONLY])
    def on_file(query: OnFileQuery) -> OnFile:
        _check_id_number(query.id_number)
        with sessions() as session:
            return OnFile(
                documents=documents_on_file(session, query.id_number, query.account_number)
            )

    return router


def _check_id_number(id_number: str) -> None:
    if not is_valid_id_number(id_number):
        raise Refusal(422, "invalid_id_number", "the ID number's check digit is wrong")
