"""An application's progress: staff move it from stage to stage (`move`), each move a node of
the resident's timeline and an SMS; the kiosk reads it back (`progress_of`) with the current
stage's time limit in working days.

Time limits (working days, Monday to Friday), after the published limits for connection work
(business.md: supply plan answer ≤ 15, inspections ≤ 5, meter fitting and connection ≤ 5);
a resident's low-voltage business is faster:

| stage           | connection work (ev-charger, rooftop-pv) | residential (the others) |
|-----------------|------------------------------------------|--------------------------|
| received        | 1  (taken into review)                   | 1                        |
| under_review    | 15 (supply plan answered)                | 3                        |
| more_documents  | 10 (the resident brings them)            | 10                       |
| site_visit      | 5  (inspection)                          | 3                        |
| approved        | 5  (meter fitted and connected)          | 2                        |
| done, rejected  | no limit                                 | no limit                 |

Days are counted in the center's time zone (China Standard Time, UTC+8, no summer time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from center.business.sms import queue_sms
from center.business.tables import ApplicationFileRow, ApplicationRow, ProgressNodeRow
from center.database import as_utc
from center.errors import Refusal
from rules.masking import mask_digits
from sync.protocol.business import (
    ApplicationKind,
    ApplicationProgress,
    ProgressNode,
    Stage,
    StageLimit,
)

CENTER_TIME = dt.timezone(dt.timedelta(hours=8), "CST")

CONNECTION_WORK = frozenset({ApplicationKind.EV_CHARGER, ApplicationKind.ROOFTOP_PV})

# (connection work, residential) working days; see the table above.
STAGE_LIMITS: dict[Stage, tuple[int, int]] = {
    Stage.RECEIVED: (1, 1),
    Stage.UNDER_REVIEW: (15, 3),
    Stage.MORE_DOCUMENTS: (10, 10),
    Stage.SITE_VISIT: (5, 3),
    Stage.APPROVED: (5, 2),
}

# Where each stage may go next. Done and rejected are final: a rejected application is made
# again as a new one (`resubmission_of`).
TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.RECEIVED: frozenset(
        {Stage.UNDER_REVIEW, Stage.MORE_DOCUMENTS, Stage.SITE_VISIT, Stage.APPROVED, Stage.REJECTED}
    ),
    Stage.UNDER_REVIEW: frozenset(
        {Stage.MORE_DOCUMENTS, Stage.SITE_VISIT, Stage.APPROVED, Stage.REJECTED}
    ),
    Stage.MORE_DOCUMENTS: frozenset({Stage.UNDER_REVIEW, Stage.REJECTED}),
    Stage.SITE_VISIT: frozenset(
        {Stage.SITE_VISIT, Stage.MORE_DOCUMENTS, Stage.APPROVED, Stage.REJECTED}
    ),
    Stage.APPROVED: frozenset({Stage.DONE}),
    Stage.DONE: frozenset(),
    Stage.REJECTED: frozenset(),
}

# An approved multi-person quota (一户多人口) must be renewed after two years.
RENEWAL_YEARS = {ApplicationKind.MULTI_PERSON: 2}

# What each business costs the resident; none of the eight costs anything at the counter.
COSTS: dict[ApplicationKind, Decimal] = {kind: Decimal("0.00") for kind in ApplicationKind}

_STAGE_WORDS = {
    "en": {
        Stage.RECEIVED: "received",
        Stage.UNDER_REVIEW: "under review",
        Stage.MORE_DOCUMENTS: "more documents are needed",
        Stage.SITE_VISIT: "a site visit is booked",
        Stage.APPROVED: "approved",
        Stage.DONE: "done",
        Stage.REJECTED: "rejected",
    },
    "zh": {
        Stage.RECEIVED: "已受理",
        Stage.UNDER_REVIEW: "审核中",
        Stage.MORE_DOCUMENTS: "需补充材料",
        Stage.SITE_VISIT: "已预约现场勘查",
        Stage.APPROVED: "已通过",
        Stage.DONE: "已办结",
        Stage.REJECTED: "未通过",
    },
}


class ApplicationNotFound(Refusal):
    def __init__(self, number: str) -> None:
        super().__init__(404, "application_not_found", f"no application {number}")


class StageNotAllowed(Refusal):
    def __init__(self, message: str) -> None:
        super().__init__(409, "stage_not_allowed", message)


def move(
    session: Session,
    number: str,
    stage: Stage,
    *,
    now: dt.datetime,
    by: str | None = None,
    note: str | None = None,
    wanted: Iterable[str] = (),
    visit_at: dt.datetime | None = None,
) -> None:
    """Move application `number` to `stage` in the caller's transaction: a node of its timeline
    and an SMS to the resident's phone. Refused (StageNotAllowed) when the stage cannot follow
    the current one, or lacks what it says: a rejection its reason (`note`), more documents
    what is `wanted`, a site visit its `visit_at`."""
    row = session.get(ApplicationRow, number)
    if row is None:
        raise ApplicationNotFound(number)
    current = Stage(row.stage)
    if stage not in TRANSITIONS[current]:
        raise StageNotAllowed(f"an application {current.value} cannot become {stage.value}")
    wanted = [document for document in wanted if document]
    if stage is Stage.REJECTED and not (note and note.strip()):
        raise StageNotAllowed("a rejection needs its reason")
    if stage is Stage.MORE_DOCUMENTS and not wanted:
        raise StageNotAllowed("say which documents are wanted")
    if stage is Stage.SITE_VISIT and visit_at is None:
        raise StageNotAllowed("a site visit needs its time")
    if note is None and wanted:
        note = ", ".join(wanted)
    if note is None and visit_at is not None:
        note = visit_at.astimezone(CENTER_TIME).strftime("%Y-%m-%d %H:%M")
    note = note[:200] if note else None
    row.stage = stage.value
    row.stage_at = now
    row.wanted = wanted if stage is Stage.MORE_DOCUMENTS else []
    if stage is Stage.REJECTED:
        row.reason = note
    if stage is Stage.SITE_VISIT:
        row.visit_at = visit_at
    if stage is Stage.APPROVED:
        years = RENEWAL_YEARS.get(ApplicationKind(row.kind))
        if years:
            row.valid_until = _years_after(now.astimezone(CENTER_TIME).date(), years)
    if stage is Stage.APPROVED:
        _documents_accepted(session, row, now)
    add_node(session, row, stage, now=now, by=by, note=note)


def _documents_accepted(session: Session, row: ApplicationRow, now: dt.datetime) -> None:
    """An approved application's pages are on file: the person is not asked for them again."""
    from center.business.intake import record_on_file  # intake builds on this module

    pages = session.scalars(
        select(ApplicationFileRow).where(
            ApplicationFileRow.number == row.number, ApplicationFileRow.role == "document"
        )
    )
    for page in pages:
        if page.document:
            record_on_file(session, row.id_number, row.account_number, page.document, page.id, now)


def add_node(
    session: Session,
    row: ApplicationRow,
    stage: Stage,
    *,
    now: dt.datetime,
    by: str | None = None,
    note: str | None = None,
) -> None:
    """Write a node of the timeline and queue its SMS (when the form has a phone)."""
    session.add(ProgressNodeRow(number=row.number, stage=stage.value, note=note, by=by, at=now))
    phone = row.form.get("phone")
    if phone:
        queue_sms(session, phone, sms_text(row.number, stage, row.language, note), row.number, now)


def sms_text(number: str, stage: Stage, language: str, note: str | None) -> str:
    """The node's SMS in the resident's language (Chinese unless they chose English)."""
    if language.lower().startswith("en"):
        text = f"Your application {number}: {_STAGE_WORDS['en'][stage]}."
        return f"{text} {note}" if note else text
    text = f"您的申请{number}：{_STAGE_WORDS['zh'][stage]}。"
    return f"{text}{note}" if note else text


def progress_of(session: Session, number: str, today: dt.date) -> ApplicationProgress:
    row = session.get(ApplicationRow, number)
    if row is None:
        raise ApplicationNotFound(number)
    return progress_of_row(session, row, today)


def progress_of_row(session: Session, row: ApplicationRow, today: dt.date) -> ApplicationProgress:
    nodes = session.scalars(
        select(ProgressNodeRow)
        .where(ProgressNodeRow.number == row.number)
        .order_by(ProgressNodeRow.id)  # the order they were made, whatever the clocks said
    )
    kind = ApplicationKind(row.kind)
    stage = Stage(row.stage)
    return ApplicationProgress(
        number=row.number,
        kind=kind,
        stage=stage,
        submitted_at=as_utc(row.submitted_at),
        nodes=[ProgressNode(stage=Stage(n.stage), at=as_utc(n.at), note=n.note) for n in nodes],
        limit=stage_limit(kind, stage, as_utc(row.stage_at), today),
        wanted=list(row.wanted or []),
        reason=row.reason if stage is Stage.REJECTED else None,
        visit_at=as_utc(row.visit_at) if row.visit_at else None,
        account_number_masked=mask_digits(row.account_number) if row.account_number else None,
        cost=COSTS[kind],
        valid_until=row.valid_until,
    )


def stage_limit(
    kind: ApplicationKind, stage: Stage, since: dt.datetime, today: dt.date
) -> StageLimit | None:
    limits = STAGE_LIMITS.get(stage)
    if limits is None:
        return None
    days = limits[0] if kind in CONNECTION_WORK else limits[1]
    start = since.astimezone(CENTER_TIME).date()
    return StageLimit(
        stage=stage,
        limit_days=days,
        used_days=working_days_between(start, today),
        due=add_working_days(start, days),
    )


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not later)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February: the quota runs to the 28th
        return day.replace(year=day.year + years, day=28)
