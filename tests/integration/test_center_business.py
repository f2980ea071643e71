"""The center's side of residents' business, through HTTP with the real signed client: intake of
applications (files and hashes, tampering refused, exactly once), progress and its limits, the
SMS outbox, real-name checks, the sealed PDF, documents on file, and who may read what.

The module runs once on SQLite and once on PostgreSQL (skipped where none can start).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import threading
import uuid
from collections.abc import Iterator

import cv2
import numpy as np
import pytest
import requests
from sqlalchemy import func, select

from center.business.identity import (
    IdentitySettings,
    decide_after_review,
    simulated_score,
    sweep_photos,
)
from center.business.progress import (
    StageNotAllowed,
    add_working_days,
    move,
    progress_of,
    working_days_between,
)
from center.business.sealed_pdf import verify_sealed_pdf
from center.business.sms import RecordingGateway, SmsFailed, queue_sms, send_queued
from center.business.storage import FileStore
from center.business.tables import (
    ApplicationFileRow,
    ApplicationRow,
    DocumentOnFileRow,
    IdentityCheckRow,
    ProgressNodeRow,
    SmsRow,
)
from center.database import Database
from center.server import RunningCenter
from kiosk.domain.applications import new_application_number
from rules.id_number import id_number_check_digit
from sync.client import CenterClient, CenterRejected
from sync.credentials import Credentials
from sync.protocol import EventBatch, EventEnvelope
from sync.protocol.business import (
    ApplicationKind,
    ApplicationSubmitted,
    Attachment,
    Challenge,
    DocumentsAdded,
    IdentityCheckRequest,
    IdentityStatus,
    LivenessSeen,
    OnFileQuery,
    Signature,
    Stage,
    Stroke,
    signed_content,
)
from sync.protocol.event_base import EventPayload
from tests.support.center import enrol

NOW = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)  # a Tuesday
PHONE = "13800138000"


def id_number(serial: int) -> str:
    first17 = f"110105198001{serial % 28 + 1:02d}{serial % 1000:03d}"
    return first17 + id_number_check_digit(first17)


def picture(seed: str) -> bytes:
    """A small JPEG-looking blob: the center stores bytes, it does not decode them."""
    return b"\xff\xd8\xff\xe0" + hashlib.sha256(seed.encode()).digest() * 8


def signature_png() -> bytes:
    image = np.full((60, 200, 3), 255, dtype=np.uint8)
    cv2.line(image, (10, 40), (190, 20), (0, 0, 0), 3)
    return bytes(cv2.imencode(".png", image)[1])


def face_jpeg(seed: int, *, blank: bool = False) -> bytes:
    """A photo with something in it (noise), or a uniform one in which no face can be."""
    rng = np.random.default_rng(seed)
    image = (
        np.full((120, 100), 128, dtype=np.uint8)
        if blank
        else rng.integers(0, 255, (120, 100), dtype=np.uint8)
    )
    return bytes(cv2.imencode(".jpg", image)[1])


def attachment(document: str, data: bytes) -> Attachment:
    return Attachment(
        document=document,
        media_type="image/jpeg",
        sha256=hashlib.sha256(data).hexdigest(),
        data=base64.b64encode(data).decode(),
    )


def application(
    person: str,
    *,
    by: CenterClient | None = None,
    check_id: uuid.UUID | None = None,
    kind: ApplicationKind = ApplicationKind.CHANGE_HOLDER,
    documents: dict[str, bytes] | None = None,
    account: str | None = "3100012345",
    phone: str | None = PHONE,
    language: str = "zh_CN",
    resubmission_of: str | None = None,
    station: str = "station-7",
) -> ApplicationSubmitted:
    """A signed application of `person`; `by`: the kiosk that first makes their real-name
    check (passed), as the kiosk's flow does, for the kinds that need one."""
    if by is not None and check_id is None and kind is not ApplicationKind.FAULT_REPORT:
        check = identity_request(person, photo_scoring(person, 80, 100))
        check_id = by.check_identity(check).check_id
    number = new_application_number(NOW.date(), os.urandom(5))
    pages = [attachment(d, data) for d, data in (documents or {}).items()]
    form = {"name": "张三", "id_number": person, "address": "上海市浦东新区某路1号"}
    if phone:
        form["phone"] = phone
    content = signed_content(
        number=number,
        kind=kind.value,
        station=station,
        account_number=account,
        form=form,
        documents=[(page.document, page.sha256) for page in pages],
        promised=[],
        on_file=[],
    )
    png = signature_png()
    return ApplicationSubmitted(
        number=number,
        kind=kind,
        station=station,
        account_number=account,
        identity_check_id=check_id,
        form=form,
        documents=pages,
        promised=[],
        on_file=[],
        signature=Signature(
            content_sha256=hashlib.sha256(content).hexdigest(),
            strokes=[Stroke(points=[(1, 2, 0), (30, 40, 120)])],
            width=600,
            height=200,
            image_png=base64.b64encode(png).decode(),
            signed_at=NOW,
        ),
        language=language,
        resubmission_of=resubmission_of,
        submitted_at=NOW,
    )


def envelope(payload: EventPayload, aggregate_id: str, sequence: int = 0) -> EventEnvelope:
    return EventEnvelope(
        id=uuid.uuid4(),
        type=payload.event_type,
        aggregate_type=payload.aggregate_type,
        aggregate_id=aggregate_id,
        sequence=sequence,
        occurred_at=NOW,
        payload=payload.model_dump(mode="json"),
    )


def deliver(client: CenterClient, *events: EventEnvelope) -> list[tuple[str, str | None]]:
    result = client.deliver_events(EventBatch(kiosk_id=client.kiosk_id, events=list(events)))
    return [(ack.status, ack.reason) for ack in result.results]


@pytest.fixture(scope="module")
def credentials(signed_center: RunningCenter, signed_center_db: Database) -> Credentials:
    return enrol(signed_center, signed_center_db, "kiosk-business-1")


@pytest.fixture(scope="module")
def client(signed_center: RunningCenter, credentials: Credentials) -> Iterator[CenterClient]:
    with CenterClient(signed_center.url, credentials.kiosk_id, credentials=credentials) as c:
        yield c


@pytest.fixture(scope="module")
def other_client(
    signed_center: RunningCenter, signed_center_db: Database
) -> Iterator[CenterClient]:
    credentials = enrol(signed_center, signed_center_db, "kiosk-business-2")
    with CenterClient(signed_center.url, credentials.kiosk_id, credentials=credentials) as c:
        yield c


@pytest.fixture(scope="module")
def files(signed_center: RunningCenter) -> FileStore:
    assert signed_center.app is not None
    store: FileStore = signed_center.app.state.files
    return store


# -- intake ------------------------------------------------------------------------------------


def test_an_application_is_filed_with_its_pages_hashes_and_first_node(
    client: CenterClient, signed_center_db: Database, files: FileStore
) -> None:
    pages = {"ownership-proof": picture("deed"), "other-proof": picture("other")}
    event = application(id_number(1), by=client, documents=pages)
    assert deliver(client, envelope(event, event.number)) == [("accepted", None)]

    with signed_center_db.sessions() as session:
        row = session.get(ApplicationRow, event.number)
        assert row is not None
        assert (row.stage, row.scope, row.id_number) == ("received", "station-7", id_number(1))
        stored = session.scalars(
            select(ApplicationFileRow).where(ApplicationFileRow.number == event.number)
        ).all()
        by_role = {(f.role, f.document): f for f in stored}
        for document, data in pages.items():
            file = by_role[("document", document)]
            assert file.sha256 == hashlib.sha256(data).hexdigest()
            assert files.get(file.storage_key) == data
        strokes = json.loads(files.get(by_role[("strokes", None)].storage_key))
        assert strokes["strokes"] == [[[1, 2, 0], [30, 40, 120]]]
        assert files.get(by_role[("signature", None)].storage_key).startswith(b"\x89PNG")
        on_file = session.scalars(
            select(DocumentOnFileRow.document).where(DocumentOnFileRow.id_number == id_number(1))
        ).all()
        assert on_file == []  # on file once the application is approved, not before
        nodes = session.scalars(
            select(ProgressNodeRow.stage).where(ProgressNodeRow.number == event.number)
        ).all()
        assert nodes == ["received"]
        sms = session.scalars(select(SmsRow).where(SmsRow.about == event.number)).all()
        assert [(m.phone, m.state) for m in sms] == [(PHONE, "queued")]
        assert event.number in sms[0].text and "已受理" in sms[0].text


def test_connection_work_is_the_centers_and_has_the_longer_limits(
    client: CenterClient, signed_center_db: Database
) -> None:
    event = application(id_number(2), by=client, kind=ApplicationKind.ROOFTOP_PV, phone=None)
    assert deliver(client, envelope(event, event.number)) == [("accepted", None)]
    with signed_center_db.sessions() as session:
        row = session.get(ApplicationRow, event.number)
        assert row is not None and row.scope == "center"
        assert session.scalars(select(SmsRow).where(SmsRow.about == event.number)).all() == []
    progress = client.application_progress(event.number)
    assert progress is not None and progress.limit is not None
    assert (progress.stage, progress.limit.limit_days) == (Stage.RECEIVED, 1)


def test_an_event_delivered_twice_makes_one_application(
    client: CenterClient, signed_center_db: Database
) -> None:
    event = application(id_number(3), by=client, documents={"ownership-proof": picture("twice")})
    sent = envelope(event, event.number)
    assert deliver(client, sent) == [("accepted", None)]
    assert deliver(client, sent) == [("duplicate", None)]
    with signed_center_db.sessions() as session:
        nodes = session.scalars(
            select(ProgressNodeRow).where(ProgressNodeRow.number == event.number)
        ).all()
        assert len(nodes) == 1
        assert len(session.scalars(select(SmsRow).where(SmsRow.about == event.number)).all()) == 1
    # The same number under another event id is not a second application either.
    status, reason = deliver(client, envelope(event, event.number + "-x"))[0]
    assert status == "rejected" and reason is not None and "already taken" in reason


def test_a_tampered_page_is_rejected_and_nothing_kept(
    client: CenterClient, signed_center_db: Database
) -> None:
    event = application(id_number(4), by=client, documents={"ownership-proof": picture("honest")})
    forged = event.documents[0].model_copy(
        update={"data": base64.b64encode(picture("forged")).decode()}
    )
    tampered = event.model_copy(update={"documents": [forged]})
    status, reason = deliver(client, envelope(tampered, event.number))[0]
    assert status == "rejected"
    assert reason is not None and "ownership-proof" in reason and "sha256" in reason
    with signed_center_db.sessions() as session:
        assert session.get(ApplicationRow, event.number) is None


def test_a_form_changed_after_signing_is_rejected(
    client: CenterClient, signed_center_db: Database
) -> None:
    event = application(id_number(5), by=client)
    changed = event.model_copy(update={"form": {**event.form, "address": "another address"}})
    status, reason = deliver(client, envelope(changed, event.number))[0]
    assert status == "rejected" and reason is not None and "signature" in reason
    with signed_center_db.sessions() as session:
        assert session.get(ApplicationRow, event.number) is None


def test_documents_added_bring_the_application_back_to_review(
    client: CenterClient, signed_center_db: Database, files: FileStore
) -> None:
    person = id_number(6)
    event = application(person, by=client)
    deliver(client, envelope(event, event.number))
    with signed_center_db.sessions.begin() as session:
        move(session, event.number, Stage.UNDER_REVIEW, now=NOW, by="clerk")
        move(session, event.number, Stage.MORE_DOCUMENTS, now=NOW, wanted=["ownership-proof"])
    progress = client.application_progress(event.number)
    assert progress is not None
    assert (progress.stage, progress.wanted) == (Stage.MORE_DOCUMENTS, ["ownership-proof"])

    deed = picture("deed-later")
    added = DocumentsAdded(
        number=event.number, documents=[attachment("ownership-proof", deed)], added_at=NOW
    )
    assert deliver(client, envelope(added, event.number, 1)) == [("accepted", None)]
    progress = client.application_progress(event.number)
    assert progress is not None
    assert progress.stage is Stage.UNDER_REVIEW and progress.wanted == []
    assert [n.stage for n in progress.nodes] == [
        Stage.RECEIVED,
        Stage.UNDER_REVIEW,
        Stage.MORE_DOCUMENTS,
        Stage.UNDER_REVIEW,
    ]
    with signed_center_db.sessions() as session:
        file = session.scalars(
            select(ApplicationFileRow).where(
                ApplicationFileRow.number == event.number,
                ApplicationFileRow.document == "ownership-proof",
            )
        ).one()
        assert files.get(file.storage_key) == deed


def test_a_resubmission_links_to_the_rejected_application(
    client: CenterClient, signed_center_db: Database
) -> None:
    first = application(id_number(7), by=client)
    deliver(client, envelope(first, first.number))
    with signed_center_db.sessions.begin() as session:
        move(session, first.number, Stage.REJECTED, now=NOW, note="the deed is unreadable")
    again = application(id_number(7), by=client, resubmission_of=first.number)
    assert deliver(client, envelope(again, again.number)) == [("accepted", None)]
    with signed_center_db.sessions() as session:
        row = session.get(ApplicationRow, again.number)
        assert row is not None and row.resubmission_of == first.number


# -- progress ----------------------------------------------------------------------------------


def test_the_timeline_limits_and_refused_moves(
    client: CenterClient, signed_center_db: Database
) -> None:
    event = application(id_number(8), by=client, kind=ApplicationKind.MULTI_PERSON, language="en")
    deliver(client, envelope(event, event.number))
    visit = NOW + dt.timedelta(days=2)
    with signed_center_db.sessions.begin() as session:
        move(session, event.number, Stage.UNDER_REVIEW, now=NOW, by="clerk")
        with pytest.raises(StageNotAllowed):
            move(session, event.number, Stage.DONE, now=NOW)  # not approved yet
        with pytest.raises(StageNotAllowed):
            move(session, event.number, Stage.REJECTED, now=NOW)  # no reason
        move(session, event.number, Stage.SITE_VISIT, now=NOW, visit_at=visit)
    saturday = dt.date(2026, 11, 28)
    with signed_center_db.sessions() as session:
        progress = progress_of(session, event.number, saturday)
    assert progress.limit is not None
    # Booked on Tuesday: Wednesday, Thursday, Friday used; due three working days later.
    assert (progress.limit.limit_days, progress.limit.used_days) == (3, 3)
    assert progress.limit.due == dt.date(2026, 11, 27)
    assert progress.visit_at == visit
    assert progress.account_number_masked is not None and "*" in progress.account_number_masked

    with signed_center_db.sessions.begin() as session:
        move(session, event.number, Stage.APPROVED, now=NOW, by="clerk")
        move(session, event.number, Stage.DONE, now=NOW, by="clerk")
    done = client.application_progress(event.number)
    assert done is not None and done.limit is None
    assert done.valid_until == dt.date(2028, 11, 24)  # a multi-person quota: two years
    with signed_center_db.sessions() as session:
        texts = session.scalars(
            select(SmsRow.text).where(SmsRow.about == event.number).order_by(SmsRow.id)
        ).all()
    assert len(texts) == 5  # one per node
    assert texts[-1] == f"Your application {event.number}: done."


def test_working_days_skip_the_weekend() -> None:
    friday = dt.date(2026, 11, 27)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 30)
    assert working_days_between(friday, dt.date(2026, 11, 30)) == 1
    assert working_days_between(friday, friday) == 0


# -- SMS ---------------------------------------------------------------------------------------


def test_two_senders_at_once_send_each_message_once(signed_center_db: Database) -> None:
    with signed_center_db.sessions.begin() as session:
        for index in range(40):
            queue_sms(session, f"139{index:08d}", f"race {index}", "race", NOW)
    gateways = [RecordingGateway(), RecordingGateway()]
    start = threading.Barrier(2)

    def sender(gateway: RecordingGateway) -> None:
        start.wait()
        while send_queued(signed_center_db.sessions, gateway, NOW, limit=3):
            pass

    threads = [threading.Thread(target=sender, args=(gateway,)) for gateway in gateways]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = [text for gateway in gateways for _, text in gateway.sent if text.startswith("race")]
    assert sorted(sent) == sorted(f"race {index}" for index in range(40))
    with signed_center_db.sessions() as session:
        states = session.scalars(select(SmsRow.state).where(SmsRow.about == "race")).all()
    assert set(states) == {"sent"}


# -- the sealed PDF ----------------------------------------------------------------------------


def test_the_sealed_pdf_verifies_and_a_changed_byte_does_not(
    client: CenterClient,
    signed_center: RunningCenter,
    signed_center_db: Database,
    files: FileStore,
) -> None:
    event = application(id_number(9), by=client, documents={"ownership-proof": picture("sealed")})
    deliver(client, envelope(event, event.number))
    with signed_center_db.sessions() as session:
        sealed = session.scalars(
            select(ApplicationFileRow).where(
                ApplicationFileRow.number == event.number,
                ApplicationFileRow.role == "sealed_pdf",
            )
        ).one()
    pdf = files.get(sealed.storage_key)
    assert sealed.sha256 == hashlib.sha256(pdf).hexdigest()
    assert pdf.startswith(b"%PDF-")
    assert signed_center.app is not None
    assert verify_sealed_pdf(pdf, signed_center.app.state.seal)
    for position in (len(pdf) // 5, len(pdf) // 2, len(pdf) - 20):
        changed = bytearray(pdf)
        changed[position] ^= 0x01
        assert not verify_sealed_pdf(bytes(changed)), position
    assert not verify_sealed_pdf(pdf + b"\n% appended after sealing\n")


# -- documents on file and who may read what ---------------------------------------------------


def test_documents_on_file_are_the_persons_and_accounts(
    client: CenterClient, signed_center_db: Database
) -> None:
    person = id_number(10)
    event = application(person, by=client, documents={"ownership-proof": picture("on-file")})
    deliver(client, envelope(event, event.number))
    asked = OnFileQuery(id_number=person, account_number="3100012345")
    assert client.documents_on_file(asked) == []  # received, not yet accepted
    now = dt.datetime.now(dt.UTC)
    with signed_center_db.sessions.begin() as session:
        move(session, event.number, Stage.UNDER_REVIEW, now=now)
        move(session, event.number, Stage.APPROVED, now=now, by="reviewer")
    assert client.documents_on_file(asked) == ["ownership-proof"]
    assert (
        client.documents_on_file(OnFileQuery(id_number=person, account_number="3100099999")) == []
    )
    assert (
        client.documents_on_file(OnFileQuery(id_number=id_number(11), account_number="3100012345"))
        == []
    )


def test_a_search_by_id_number_answers_only_that_persons_applications(
    client: CenterClient,
) -> None:
    mine = application(id_number(12), by=client)
    theirs = application(id_number(13), by=client)
    deliver(client, envelope(mine, mine.number), envelope(theirs, theirs.number))
    found = client.applications_for_id_number(id_number(12))
    assert [a.number for a in found] == [mine.number]
    assert theirs.number not in {a.number for a in client.applications_for_id_number(id_number(12))}
    with pytest.raises(CenterRejected) as refused:
        client.applications_for_id_number("110105198001010011")  # a wrong check digit
    assert refused.value.status == 422


def test_an_unknown_number_is_none(client: CenterClient) -> None:
    assert client.application_progress(new_application_number(NOW.date(), os.urandom(5))) is None


def test_a_body_too_large_for_its_route_is_refused(signed_center: RunningCenter) -> None:
    answer = requests.post(
        signed_center.url + "/v1/identity/checks",
        data=b"x" * (4 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "body_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it comes
        for _ in range(64):
            yield b"x" * 65536

    chunked = requests.post(
        signed_center.url + "/v1/identity/checks",
        data=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert chunked.status_code == 413


# -- real-name checks --------------------------------------------------------------------------


def photo_scoring(person: str, low: float, high: float) -> bytes:
    """A photo the simulated service scores in [low, high) for this person (documented rule)."""
    start = int(person[14:17]) * 1000  # each person's own photos
    for seed in range(start, start + 500):
        photo = face_jpeg(seed)
        if low <= simulated_score(person, photo)[0] < high:
            return photo
    raise AssertionError("no such photo")


def identity_request(
    person: str,
    photo: bytes,
    *,
    liveness: bool = True,
    valid_until: dt.date | None = dt.date(2035, 1, 1),
) -> IdentityCheckRequest:
    return IdentityCheckRequest(
        check_id=uuid.uuid4(),
        id_number=person,
        name="张三",
        valid_from=dt.date(2015, 1, 1),
        valid_until=valid_until,
        photo_jpeg=base64.b64encode(photo).decode(),
        liveness=LivenessSeen(challenge=Challenge.BLINK, passed=liveness, frames=30),
    )


def test_identity_checks_pass_fail_and_go_to_review(
    client: CenterClient, signed_center_db: Database, files: FileStore
) -> None:
    person = id_number(14)
    passed = client.check_identity(identity_request(person, photo_scoring(person, 80, 100)))
    assert (passed.status, passed.threshold) == (IdentityStatus.PASSED, 80)
    blank = client.check_identity(identity_request(person, face_jpeg(1, blank=True)))
    assert (blank.status, blank.reason) == (IdentityStatus.FAILED, "no_face")
    unknown_card = "110105198001019990"[:17]
    unknown = unknown_card[:14] + "999"
    unknown += id_number_check_digit(unknown)
    stranger = client.check_identity(identity_request(unknown, face_jpeg(2)))
    assert (stranger.status, stranger.reason) == (IdentityStatus.FAILED, "card_not_on_record")
    expired = client.check_identity(
        identity_request(person, photo_scoring(person, 80, 100), valid_until=dt.date(2020, 1, 1))
    )
    assert (expired.status, expired.reason) == (IdentityStatus.FAILED, "card_expired")
    # A perfect score with a failed blink is never passed on the score alone.
    still = client.check_identity(
        identity_request(person, photo_scoring(person, 80, 100), liveness=False)
    )
    assert still.status is IdentityStatus.REVIEW

    doubtful_request = identity_request(person, photo_scoring(person, 70, 80))
    doubtful = client.check_identity(doubtful_request)
    assert doubtful.status is IdentityStatus.REVIEW
    assert client.check_identity(doubtful_request) == doubtful  # asked again: the same answer
    with signed_center_db.sessions.begin() as session:
        decide_after_review(session, str(doubtful.check_id), passed=True, by="clerk", now=NOW)
    decided = client.identity_outcome(str(doubtful.check_id))
    assert decided.status is IdentityStatus.PASSED


def test_a_live_photo_is_deleted_once_decided(
    client: CenterClient, signed_center_db: Database, files: FileStore
) -> None:
    person = id_number(15)
    answer = client.check_identity(identity_request(person, photo_scoring(person, 70, 80)))
    with signed_center_db.sessions() as session:
        row = session.get(IdentityCheckRow, str(answer.check_id))
        assert row is not None and row.photo_key is not None
        key = row.photo_key
    assert files.exists(key)
    settings = IdentitySettings()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    with signed_center_db.sessions.begin() as session:
        sweep_photos(session, files, settings, later)
    assert files.exists(key)  # in review: staff still need to see it
    with signed_center_db.sessions.begin() as session:
        decide_after_review(session, str(answer.check_id), passed=False, by="clerk", now=later)
        sweep_photos(session, files, settings, later)
    assert not files.exists(key)
    assert client.identity_outcome(str(answer.check_id)).reason == "rejected_by_staff"


def test_a_kiosk_cannot_read_another_kiosks_identity_check(
    client: CenterClient, other_client: CenterClient
) -> None:
    person = id_number(16)
    answer = client.check_identity(identity_request(person, face_jpeg(7)))
    assert client.identity_outcome(str(answer.check_id)).status is answer.status
    with pytest.raises(CenterRejected) as refused:
        other_client.identity_outcome(str(answer.check_id))
    assert refused.value.status == 404


def test_an_application_stands_only_on_its_own_kiosks_passed_check_of_the_same_person(
    client: CenterClient, other_client: CenterClient, signed_center_db: Database
) -> None:
    person, someone_else = id_number(18), id_number(19)

    def delivered(event: ApplicationSubmitted, by: CenterClient = client) -> tuple[str, str]:
        [(status, reason)] = deliver(by, envelope(event, event.number))
        return status, reason or ""

    # None at all, for a business that needs one.
    assert delivered(application(person))[0] == "rejected"
    # Another kiosk's check (an enrolled kiosk replaying what it saw elsewhere).
    theirs = other_client.check_identity(identity_request(person, photo_scoring(person, 80, 100)))
    assert delivered(application(person, check_id=theirs.check_id)) == (
        "rejected", "the real-name check was not made by this kiosk"
    )  # fmt: skip
    # This kiosk's check, but of someone else.
    other = client.check_identity(
        identity_request(someone_else, photo_scoring(someone_else, 80, 100))
    )
    assert delivered(application(person, check_id=other.check_id))[1] == (
        "the real-name check is of another person"
    )
    # A failed one.
    failed = client.check_identity(identity_request(person, face_jpeg(3, blank=True)))
    assert delivered(application(person, check_id=failed.check_id))[1] == (
        "the real-name check failed"
    )
    with signed_center_db.sessions() as session:
        made = select(func.count()).where(ApplicationRow.id_number == person)
        assert session.scalar(made) == 0
    # Waiting for staff is enough to apply (approval waits for them); a fault report needs none.
    doubtful = client.check_identity(
        identity_request(person, photo_scoring(person, 80, 100), liveness=False)
    )
    assert doubtful.status is IdentityStatus.REVIEW
    assert delivered(application(person, check_id=doubtful.check_id))[0] == "accepted"
    # Kept more than a week (an application waits offline for days at most, not a check).
    old = client.check_identity(identity_request(person, photo_scoring(person, 80, 100)))
    with signed_center_db.sessions.begin() as session:
        kept = session.get(IdentityCheckRow, str(old.check_id))
        assert kept is not None
        kept.created_at = NOW - dt.timedelta(days=8)
    assert delivered(application(person, check_id=old.check_id))[1] == (
        "the real-name check is too old"
    )
    # One check, one application: the same check again does not make a second.
    assert delivered(application(person, check_id=doubtful.check_id))[1] == (
        "the real-name check was used already"
    )
    report = application(person, kind=ApplicationKind.FAULT_REPORT)
    assert delivered(report)[0] == "accepted"


def test_the_centers_chores_send_the_outbox_through_its_gateway(
    client: CenterClient, signed_center: RunningCenter, signed_center_db: Database
) -> None:
    event = application(id_number(17), by=client, phone="13912345678")
    deliver(client, envelope(event, event.number))
    assert signed_center.app is not None
    signed_center.app.state.business_chores.run_once()
    gateway: RecordingGateway = signed_center.app.state.sms_gateway
    assert [text for phone, text in gateway.sent if phone == "13912345678"] == [
        f"您的申请{event.number}：已受理。"
    ]
    with signed_center_db.sessions() as session:
        row = session.scalars(select(SmsRow).where(SmsRow.about == event.number)).one()
    assert (row.state, row.attempts) == ("sent", 1)


class RefusingGateway(RecordingGateway):
    """Refuses one phone number, takes the rest."""

    def send(self, phone: str, text: str) -> None:
        if phone == "13700000000":
            raise SmsFailed("number not in service")
        super().send(phone, text)


def test_a_message_the_gateway_refuses_is_tried_three_times(signed_center_db: Database) -> None:
    with signed_center_db.sessions.begin() as session:
        queue_sms(session, "13700000000", "refused", "refusing", NOW)
    gateway = RefusingGateway()
    states = []
    for _ in range(3):
        send_queued(signed_center_db.sessions, gateway, NOW)
        with signed_center_db.sessions() as session:
            row = session.scalars(select(SmsRow).where(SmsRow.about == "refusing")).one()
            states.append((row.state, row.attempts))
    assert states == [("queued", 1), ("queued", 2), ("failed", 3)]
    assert row.last_error == "number not in service"
    assert all(phone != "13700000000" for phone, _ in gateway.sent)
