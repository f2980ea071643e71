"""The resident's business at the kiosk (一证受理): real-name check, applications, progress.

An application is queued like every event, in one transaction, so it survives a dropped link
and a power cut; its form, pages and signature are sealed while they wait (the queue's
`personal=`). The slip is printed after the commit: paper never promises what the queue lost.
Progress is asked of the center; an application still waiting in this kiosk's queue is
answered from here, so a resident who comes back before the link does still finds it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import os
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from kiosk.domain.applications import (
    new_application_number,
    normalise_application_number,
)
from kiosk.services.business_types import (
    CardHolder,
    LiveFace,
    PagePhoto,
    Progress,
    ReadyApplication,
    Submitted,
    WaitingHere,
)
from kiosk.services.ports import UnitOfWorkFactory
from kiosk.services.problems import LookupFailed, LookupProblem
from kiosk.services.receipt import application_slip_job
from rules.id_number import is_valid_id_number
from sync.protocol.business import (
    ApplicationKind,
    ApplicationProgress,
    ApplicationSubmitted,
    Attachment,
    DocumentsAdded,
    IdentityCheckAnswer,
    IdentityCheckRequest,
    LivenessSeen,
    OnFileQuery,
    Signature,
    Stroke,
    signed_content,
)
from sync.protocol.errors import CenterError, CenterTimeout, CenterUnreachable

log = logging.getLogger(__name__)

_PERSONAL = frozenset({"form", "documents", "signature"})


class BusinessCenter(Protocol):
    """What business needs of the center (sync.client.CenterClient answers it)."""

    def check_identity(self, request: IdentityCheckRequest) -> IdentityCheckAnswer: ...

    def identity_outcome(self, check_id: str) -> IdentityCheckAnswer: ...

    def application_progress(self, number: str) -> ApplicationProgress | None: ...

    def applications_for_id_number(self, id_number: str) -> list[ApplicationProgress]: ...

    def documents_on_file(self, query: OnFileQuery) -> list[str]: ...


PrintSlip = Callable[[Callable[..., Any], str], bool]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _attachment(page: PagePhoto) -> Attachment:
    return Attachment(
        document=page.document,
        media_type="image/jpeg",
        sha256=hashlib.sha256(page.jpeg).hexdigest(),
        data=_b64(page.jpeg),
    )


def _lookup_failed(error: CenterError) -> LookupFailed:
    if isinstance(error, CenterTimeout):
        return LookupFailed(LookupProblem.TIMEOUT, str(error))
    if isinstance(error, CenterUnreachable):
        return LookupFailed(LookupProblem.UNREACHABLE, str(error))
    return LookupFailed(LookupProblem.CENTER_FAULT, str(error))


class BusinessDesk:
    """The business use cases of `UseCases`; thread-safe (no state but what it is given)."""

    def __init__(
        self,
        center: BusinessCenter,
        unit_of_work: UnitOfWorkFactory,
        *,
        kiosk_id: str,
        station_id: str,
        print_slip: PrintSlip | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
        random_bytes: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self._center = center
        self._unit_of_work = unit_of_work
        self._kiosk_id = kiosk_id
        self.station_id = station_id
        self._print_slip = print_slip
        self._clock = clock
        self._random = random_bytes

    def new_application_number(self) -> str:
        return new_application_number(self._clock().date(), self._random(5))

    # -- real-name check ------------------------------------------------------------------

    def check_identity(self, holder: CardHolder, face: LiveFace) -> IdentityCheckAnswer:
        request = IdentityCheckRequest(
            check_id=uuid.uuid4(),
            id_number=holder.id_number,
            name=holder.name,
            valid_from=holder.valid_from,
            valid_until=holder.valid_until,
            photo_jpeg=_b64(face.jpeg),
            liveness=LivenessSeen(challenge=face.challenge, passed=face.passed, frames=face.frames),
        )
        answer = self._center.check_identity(request)
        log.info(
            "identity check answered",
            extra={"status": answer.status.value, "score": round(answer.score)},
        )
        return answer

    def identity_outcome(self, check_id: str) -> IdentityCheckAnswer:
        return self._center.identity_outcome(check_id)

    def documents_on_file(self, id_number: str, account_number: str | None) -> set[str]:
        try:
            query = OnFileQuery(id_number=id_number, account_number=account_number)
            return set(self._center.documents_on_file(query))
        except (CenterError, ValueError) as error:
            # Not knowing only means asking for a page the center may have: never a refusal.
            log.info("documents on file not known: %s", type(error).__name__)
            return set()

    # -- applications ---------------------------------------------------------------------

    def application_content(self, application: ReadyApplication) -> bytes:
        draft = application.draft
        return signed_content(
            number=application.number,
            kind=draft.business.kind.value,
            station=self.station_id,
            account_number=draft.account_number,
            form=draft.form(),
            documents=[
                (page.document, hashlib.sha256(page.jpeg).hexdigest()) for page in application.pages
            ],
            promised=draft.promised(),
            on_file=draft.on_file(),
        )

    def submit_application(
        self, application: ReadyApplication, *, hotline: str = "", online: bool = True
    ) -> Submitted:
        draft = application.draft
        problems = draft.problems()
        if problems:
            raise ValueError(f"the application is not complete: {sorted(problems)}")
        if {page.document for page in application.pages} != set(draft.photographed()):
            raise ValueError("the pages are not the documents the application says it has")
        pad = application.signature
        if pad is None:
            raise ValueError("the application is not signed")
        content = self.application_content(application)
        if hashlib.sha256(content).hexdigest() != pad.content_sha256:
            # The resident signed something else than what would be sent: sign again.
            raise ValueError("the signature was made on other content")
        event = ApplicationSubmitted(
            number=application.number,
            kind=ApplicationKind(draft.business.kind.value),
            station=self.station_id,
            account_number=draft.account_number,
            identity_check_id=(
                uuid.UUID(application.identity_check_id) if application.identity_check_id else None
            ),
            form=draft.form(),
            documents=[_attachment(page) for page in application.pages],
            promised=draft.promised(),
            on_file=draft.on_file(),
            signature=Signature(
                content_sha256=pad.content_sha256,
                strokes=[Stroke(points=list(stroke)) for stroke in pad.strokes],
                width=pad.width,
                height=pad.height,
                image_png=_b64(pad.png),
                signed_at=pad.signed_at,
            ),
            language=application.language,
            resubmission_of=application.resubmission_of,
            submitted_at=self._clock(),
        )
        with self._unit_of_work() as uow:
            uow.outbox.add(event, aggregate_id=application.number, personal=_PERSONAL)
            uow.commit()
        log.info(
            "application queued",
            extra={"application": application.number, "kind": draft.business.kind.value},
        )
        printed = self.print_application_slip(application.number, draft.business.kind, hotline)
        return Submitted(application.number, slip_printed=printed, queued_only=not online)

    def add_documents(self, number: str, pages: list[PagePhoto]) -> None:
        if not pages:
            raise ValueError("no documents to add")
        event = DocumentsAdded(
            number=number, documents=[_attachment(page) for page in pages], added_at=self._clock()
        )
        with self._unit_of_work() as uow:
            uow.outbox.add(event, aggregate_id=number, personal={"documents"})
            uow.commit()
        log.info("documents queued", extra={"application": number, "pages": len(pages)})

    def print_application_slip(self, number: str, kind: str, hotline: str = "") -> bool:
        if self._print_slip is None:
            return False
        submitted_at = self._clock()

        def build(**paper: Any) -> Any:
            return application_slip_job(
                number=number, kind=str(kind), at=submitted_at, hotline=hotline, **paper
            )

        return self._print_slip(build, f"slip of application {number}")

    # -- progress -------------------------------------------------------------------------

    def application_progress(self, number: str) -> Progress:
        found = normalise_application_number(number)
        if found is None:
            raise LookupFailed(LookupProblem.INVALID_NUMBER)
        waiting = {w.number: w for w in self._waiting_here()}
        try:
            progress = self._center.application_progress(found)
        except CenterError as error:
            if found in waiting:
                return waiting[found]
            raise _lookup_failed(error) from error
        if progress is None:
            if found in waiting:
                return waiting[found]
            raise LookupFailed(LookupProblem.NOT_FOUND)
        return progress

    def applications_for_id_number(self, id_number: str) -> list[Progress]:
        if not is_valid_id_number(id_number):
            raise LookupFailed(LookupProblem.INVALID_NUMBER)
        here: list[Progress] = [w for w in self._waiting_here(id_number)]
        try:
            there: list[Progress] = list(self._center.applications_for_id_number(id_number))
        except CenterError as error:
            if here:
                return here
            raise _lookup_failed(error) from error
        known = {p.number for p in there}
        found = [w for w in here if w.number not in known] + there
        return sorted(found, key=lambda p: p.submitted_at, reverse=True)

    def _waiting_here(self, id_number: str | None = None) -> list[WaitingHere]:
        with self._unit_of_work() as uow:
            rows = uow.waiting_applications(id_number)
        return [WaitingHere(row.number, row.kind, row.submitted_at) for row in rows]
