"""The reference center's demo business: what a resident walking the demo finds when they follow
their applications with the demo ID card, and a document already on file not asked for again.

李秀英 (the first demo card) has a multi-person quota approved almost two years ago, due for
renewal; a capacity change waiting for another document; and her household register on file.
陈建国 has an EV charger connection with a site visit booked (the center's queue). Dates follow
the demo's `today`, so the story reads the same on any day. Rows only: no photos are made up.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from center.business.intake import CENTER_SCOPE
from center.business.progress import CENTER_TIME, add_node, move
from center.business.tables import ApplicationRow, DocumentOnFileRow
from center.database import Database
from rules.application_number import new_application_number
from sync.protocol.business import ApplicationKind, Stage

STATION = "xuanwu-xiaolingwei"
LI = ("320102195203140026", "李秀英", "江苏省南京市玄武区孝陵卫街道钟灵街18号3幢201室")
CHEN = ("320113195907050036", "陈建国", "江苏省南京市栖霞区尧化街道尧新大道66号12幢503室")


def load_demo_business(database: Database, today: dt.date) -> bool:
    """Add the demo applications to a center that has none. True when they were added."""
    with database.sessions.begin() as session:
        if session.scalar(select(func.count()).select_from(ApplicationRow)):
            return False
        _multi_person_due_for_renewal(session, today)
        _capacity_wanting_a_document(session, today)
        _charger_with_a_visit(session, today)
    return True


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), CENTER_TIME).astimezone(dt.UTC)


def _application(
    session: Session,
    kind: ApplicationKind,
    person: tuple[str, str, str],
    account: str,
    day: dt.date,
    seed: bytes,
    answers: dict[str, str],
    *,
    scope: str = STATION,
) -> ApplicationRow:
    id_number, name, address = person
    submitted = _at(day, 10)
    form = {"id_number": id_number, "name": name, "address": address, **answers}
    row = ApplicationRow(
        number=new_application_number(day, hashlib.sha256(seed).digest()),
        kind=kind.value,
        kiosk_id="demo-kiosk",
        station=STATION,
        scope=scope,
        account_number=account,
        id_number=id_number,
        form=form,
        promised=[],
        on_file=[],
        wanted=[],
        identity_check_id=None,
        stage=Stage.RECEIVED.value,
        resubmission_of=None,
        language="zh_CN",
        content_sha256=hashlib.sha256(repr(sorted(form.items())).encode()).hexdigest(),
        submitted_at=submitted,
        received_at=submitted,
        stage_at=submitted,
    )
    session.add(row)
    session.flush()
    add_node(session, row, Stage.RECEIVED, now=submitted)
    return row


def _multi_person_due_for_renewal(session: Session, today: dt.date) -> None:
    approved = today - dt.timedelta(days=2 * 365 - 40)
    row = _application(
        session, ApplicationKind.MULTI_PERSON, LI, "3201000001", approved - dt.timedelta(days=6),
        b"demo multi-person", {"phone": "13951860001", "members": "6"},
    )  # fmt: skip
    move(session, row.number, Stage.UNDER_REVIEW, now=_at(approved - dt.timedelta(days=5), 9))
    move(session, row.number, Stage.APPROVED, now=_at(approved, 15), by="demo")
    move(session, row.number, Stage.DONE, now=_at(approved, 16), by="demo")
    session.add(
        DocumentOnFileRow(
            id_number=LI[0], account_number="3201000001", document="household-register",
            accepted_at=_at(approved, 15),
        )
    )  # fmt: skip


def _capacity_wanting_a_document(session: Session, today: dt.date) -> None:
    row = _application(
        session, ApplicationKind.CAPACITY, LI, "3201000001", today - dt.timedelta(days=6),
        b"demo capacity", {"phone": "13951860001", "capacity_kw": "16"},
    )  # fmt: skip
    row.promised = ["ownership-proof"]
    move(session, row.number, Stage.UNDER_REVIEW, now=_at(today - dt.timedelta(days=5), 9))
    move(session, row.number, Stage.MORE_DOCUMENTS, now=_at(today - dt.timedelta(days=2), 14),
         by="demo", wanted=["ownership-proof"])  # fmt: skip


def _charger_with_a_visit(session: Session, today: dt.date) -> None:
    row = _application(
        session, ApplicationKind.EV_CHARGER, CHEN, "3201000003", today - dt.timedelta(days=4),
        b"demo charger", {"phone": "13951860003", "charger_kw": "7", "parking_space": "B2-118"},
        scope=CENTER_SCOPE,
    )  # fmt: skip
    move(session, row.number, Stage.UNDER_REVIEW, now=_at(today - dt.timedelta(days=3), 9))
    move(session, row.number, Stage.SITE_VISIT, now=_at(today - dt.timedelta(days=1), 11),
         by="demo", visit_at=_at(today + dt.timedelta(days=2), 9))  # fmt: skip
