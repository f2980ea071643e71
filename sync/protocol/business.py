"""Business at the kiosk, protocol v1: real-name checks, applications and their progress.

How the pieces travel:

- **Real-name check** (online only): `POST /v1/identity/checks` with an `IdentityCheckRequest`
  (the card's fields, the live photo, what the active challenge saw) answers an
  `IdentityCheckAnswer`. The center decides: it asks the identity service (the reference center
  simulates it) for a score; at or above the threshold it passes, far below it fails, in between
  it goes to staff review (`review`), and `GET /v1/identity/checks/{check_id}` tells the outcome
  once staff decided. A challenge the kiosk saw fail is never passed on the score alone.
- **An application** is one event, `business.application_submitted` (aggregate "application",
  id its number), queued at the kiosk like every event so it survives a dropped link: its
  personal fields (`form`, `documents`, `signature`) are sealed while they wait. The center files
  the attachments in its storage, keeps their hashes, renders the signed form to a PDF and seals
  it. Documents added later (staff asked for more) are `business.documents_added`.
- **Progress**: `GET /v1/applications/{number}` answers `ApplicationProgress`;
  `POST /v1/applications/search` with an `IdNumberQuery` answers `ApplicationList` (the card's
  applications, newest first). `POST /v1/applications/on-file` with an `OnFileQuery` answers the
  documents the center already holds for that person and account, not to be asked for again.

Numbers are made at the kiosk (`APPLICATION_NUMBER`) so an application queued offline already
has the number its slip prints.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from enum import StrEnum
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from sync.protocol.event_base import EventPayload, Instant, ShortText
from sync.protocol.schemas import AccountNumber, Money, _Message

IDENTITY_CHECKS_PATH = "/v1/identity/checks"
APPLICATIONS_PATH = "/v1/applications"

# "SQ" + the day it was made (YYMMDD) + 8 Crockford base-32 characters + a check character:
# unique without asking the center, typed from a slip without confusing O/0 or I/1.
APPLICATION_NUMBER = re.compile(r"^SQ[0-9]{6}[0-9A-HJKMNP-TV-Z]{9}$")
ApplicationNumber = Annotated[str, Field(pattern=APPLICATION_NUMBER.pattern)]
# What the slip's QR holds: the number behind a prefix no other code starts with.
SLIP_QR_PREFIX = "BSK-APP:"

IdNumber = Annotated[str, Field(pattern=r"^[0-9]{17}[0-9X]$")]
DocumentId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,39}$")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
# Base64 of an image: a page photo compressed at the kiosk stays well under this.
ImageData = Annotated[str, Field(min_length=16, max_length=1_500_000)]


class ApplicationKind(StrEnum):
    """The businesses a resident starts at the kiosk; the ids are the guides' ids."""

    CHANGE_HOLDER = "change-holder"  # 更名过户
    MULTI_PERSON = "multi-person"  # 一户多人口
    CAPACITY = "capacity"  # 增容
    METER_CHECK = "meter-check"  # 电能表校验
    EV_CHARGER = "ev-charger"  # 充电桩报装
    ROOFTOP_PV = "rooftop-pv"  # 分布式光伏
    REAL_NAME = "real-name"  # 实名制登记
    FAULT_REPORT = "fault-report"  # 报修


# -- real-name check -------------------------------------------------------------------------


class Challenge(StrEnum):
    BLINK = "blink"
    TURN = "turn"


class LivenessSeen(_Message):
    """What the kiosk's active check saw: the challenge asked and whether the face did it."""

    challenge: Challenge
    passed: bool
    frames: Annotated[int, Field(ge=0, le=10_000)]


class IdentityCheckRequest(_Message):
    check_id: UUID
    id_number: IdNumber
    name: Annotated[str, Field(min_length=1, max_length=40)]
    valid_from: dt.date
    valid_until: dt.date | None  # None: valid for life (长期)
    photo_jpeg: ImageData  # base64 JPEG of the live face, cropped to the face and shoulders
    liveness: LivenessSeen


class IdentityStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    REVIEW = "review"  # doubtful: staff decide from the console


class IdentityCheckAnswer(_Message):
    check_id: UUID
    status: IdentityStatus
    score: Annotated[float, Field(ge=0, le=100)]
    threshold: Annotated[float, Field(ge=0, le=100)]
    reason: ShortText | None = None  # why it failed, in the resident's words (English key)


# -- applications ----------------------------------------------------------------------------


class Attachment(_Message):
    """One photographed document, compressed at the kiosk."""

    document: DocumentId  # which of the business's documents this is (see the guides)
    media_type: Literal["image/jpeg", "image/png"]
    sha256: Sha256  # of the decoded bytes
    data: ImageData  # base64


class Stroke(_Message):
    """One pen-down to pen-up of the signature: points as (x, y, milliseconds since the first)."""

    points: Annotated[list[tuple[int, int, int]], Field(min_length=1, max_length=4000)]


class Signature(_Message):
    """The resident's signature on the rendered application, bound to what it signed."""

    content_sha256: Sha256  # of `signed_content(...)`: the application as shown when signed
    strokes: Annotated[list[Stroke], Field(min_length=1, max_length=200)]
    width: Annotated[int, Field(ge=50, le=4000)]  # the pad the strokes were drawn on
    height: Annotated[int, Field(ge=50, le=4000)]
    image_png: ImageData  # base64 PNG of the strokes
    signed_at: Instant


class ApplicationSubmitted(EventPayload):
    """A resident's application, as signed (aggregate "application", id its number).

    `form`, `documents` and `signature` are personal: sealed while the event waits at the kiosk.
    """

    event_type: ClassVar[str] = "business.application_submitted"
    aggregate_type: ClassVar[str] = "application"

    number: ApplicationNumber
    kind: ApplicationKind
    station: Annotated[str, Field(min_length=1, max_length=40)]  # the kiosk's station id
    account_number: AccountNumber | None
    identity_check_id: UUID | None
    form: dict[Annotated[str, Field(max_length=40)], Annotated[str, Field(max_length=400)]]
    documents: Annotated[list[Attachment], Field(max_length=12)]
    promised: list[DocumentId]  # missing, a signed commitment letter stands in (承诺书)
    on_file: list[DocumentId]  # already held by the center, not asked for again
    signature: Signature
    language: Annotated[str, Field(max_length=16)]
    resubmission_of: ApplicationNumber | None = None  # a rejected application, made again
    submitted_at: Instant


class DocumentsAdded(EventPayload):
    """Documents staff asked for, brought later (same aggregate as the application)."""

    event_type: ClassVar[str] = "business.documents_added"
    aggregate_type: ClassVar[str] = "application"

    number: ApplicationNumber
    documents: Annotated[list[Attachment], Field(min_length=1, max_length=12)]
    added_at: Instant


BUSINESS_EVENTS: tuple[type[EventPayload], ...] = (ApplicationSubmitted, DocumentsAdded)


# -- progress --------------------------------------------------------------------------------


class Stage(StrEnum):
    """The nodes a resident sees, in the order they usually come."""

    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    MORE_DOCUMENTS = "more_documents"  # staff want another document (`wanted`)
    SITE_VISIT = "site_visit"  # a site visit is booked (`visit_at`)
    APPROVED = "approved"
    DONE = "done"
    REJECTED = "rejected"  # with a reason; the resident may apply again


class ProgressNode(_Message):
    stage: Stage
    at: AwareDatetime
    note: ShortText | None = None  # the reason of a rejection, what is wanted, the visit time


class StageLimit(_Message):
    """The current stage's time limit, in working days, and how much of it is used."""

    stage: Stage
    limit_days: Annotated[int, Field(ge=1, le=60)]
    used_days: Annotated[int, Field(ge=0)]
    due: dt.date


class ApplicationProgress(_Message):
    number: ApplicationNumber
    kind: ApplicationKind
    stage: Stage
    submitted_at: AwareDatetime
    nodes: list[ProgressNode]  # oldest first
    limit: StageLimit | None  # None once done or rejected
    wanted: list[DocumentId]  # documents staff asked for (stage more_documents)
    reason: ShortText | None  # why it was rejected
    visit_at: AwareDatetime | None
    account_number_masked: str | None
    cost: Money  # what the business costs the resident (0.00 for most)
    valid_until: dt.date | None = None  # an approval that must be renewed (一户多人口: 2 years)


class ApplicationList(_Message):
    applications: list[ApplicationProgress]


class OnFileQuery(_Message):
    id_number: IdNumber
    account_number: AccountNumber | None


class OnFile(_Message):
    documents: list[DocumentId]


__all__ = [
    "APPLICATIONS_PATH",
    "APPLICATION_NUMBER",
    "BUSINESS_EVENTS",
    "IDENTITY_CHECKS_PATH",
    "SLIP_QR_PREFIX",
    "ApplicationKind",
    "ApplicationList",
    "ApplicationNumber",
    "ApplicationProgress",
    "ApplicationSubmitted",
    "Attachment",
    "Challenge",
    "DocumentsAdded",
    "IdentityCheckAnswer",
    "IdentityCheckRequest",
    "IdentityStatus",
    "LivenessSeen",
    "OnFile",
    "OnFileQuery",
    "ProgressNode",
    "Signature",
    "Stage",
    "StageLimit",
    "Stroke",
    "signed_content",
]


def signed_content(
    *,
    number: str,
    kind: str,
    station: str,
    account_number: str | None,
    form: dict[str, str],
    documents: list[tuple[str, str]],
    promised: list[str],
    on_file: list[str],
) -> bytes:
    """The bytes a signature binds: the application as the resident saw it when signing.

    Canonical JSON (sorted keys, no spaces, UTF-8); documents as (document id, sha256) pairs.
    Kiosk and center build it alike, so the center can tell a form or a page changed after
    signing: the sha256 of these bytes is `Signature.content_sha256`.
    """
    body = {
        "number": number,
        "kind": kind,
        "station": station,
        "account_number": account_number,
        "form": dict(sorted(form.items())),
        "documents": [list(pair) for pair in documents],
        "promised": sorted(promised),
        "on_file": sorted(on_file),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
