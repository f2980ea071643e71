"""A resident's application from the kiosk's desk to the center and back, over real HTTP: made
while the center is away and delivered when it returns, rejected there and made again with a
new page, and a real-name check the center decides."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy import select

from center.business.identity import simulated_score
from center.business.progress import move
from center.business.tables import ApplicationFileRow, ApplicationRow
from center.database import open_database
from center.server import RunningCenter
from kiosk.domain.applications import CATALOGUE, ApplicationKind, DocumentState, Draft, renewal_due
from kiosk.services.business import BusinessDesk
from kiosk.services.business_types import (
    CardHolder,
    LiveFace,
    PagePhoto,
    ReadyApplication,
    SignedPad,
    WaitingHere,
)
from kiosk.store import open_store
from sync.client import CenterClient
from sync.protocol.business import ApplicationProgress, Challenge, IdentityStatus, Stage
from sync.protocol.errors import CenterUnreachable
from sync.relay import Relay
from sync.sealing import sealer_for
from tests.support.fault_proxy import FaultProxy

ID_NUMBER = "11010519491231002X"
HOLDER = CardHolder("张三丰", ID_NUMBER, "南京市玄武区孝陵卫街200号", dt.date(2020, 1, 1), None)
KIOSK = "round-trip-kiosk"


def _jpeg(seed: int) -> bytes:
    """A photo with something in it (the identity service scores a blank one as no face)."""
    picture = np.random.default_rng(seed).integers(0, 255, (120, 160, 3), dtype=np.uint8)
    return cv2.imencode(".jpg", picture)[1].tobytes()


class Kiosk:
    def __init__(self, center_url: str, folder: Path) -> None:
        self.sealing = sealer_for(folder)
        self.store = open_store(folder / "kiosk.db", sealing=self.sealing)
        self.client = CenterClient(center_url, KIOSK, timeout=2)
        self.desk = BusinessDesk(
            self.client, self.store.unit_of_work, kiosk_id=KIOSK, station_id="xuanwu-xiaolingwei"
        )
        self.relay = Relay(
            self.store.engine, self.client.deliver_events, KIOSK, sealing=self.sealing
        )

    def close(self) -> None:
        self.client.close()
        self.store.close()

    def sign(self, ready: ReadyApplication) -> ReadyApplication:
        content = self.desk.application_content(ready)
        ready.signature = SignedPad(
            strokes=(((12, 40, 0), (60, 20, 30), (140, 60, 80)),),
            width=600,
            height=200,
            png=b"\x89PNG\r\n\x1a\n" + bytes(64),
            content_sha256=hashlib.sha256(content).hexdigest(),
            signed_at=dt.datetime.now(dt.UTC),
        )
        return ready


@pytest.fixture
def round_trip(
    start_center: Callable[..., RunningCenter], tmp_path: Path
) -> Iterator[tuple[RunningCenter, FaultProxy, Kiosk]]:
    center = start_center()
    with FaultProxy(center.url) as proxy:
        kiosk = Kiosk(proxy.url, tmp_path)
        yield center, proxy, kiosk
        kiosk.close()


def _checked(kiosk: Kiosk) -> str:
    """The resident's real-name check, made online when they start (the kiosk's flow)."""
    seed = next(s for s in range(100, 400) if simulated_score(ID_NUMBER, _jpeg(s))[0] >= 80)
    face = LiveFace(_jpeg(seed), Challenge.BLINK, True, 40)
    answer = kiosk.desk.check_identity(HOLDER, face)
    assert answer.status is IdentityStatus.PASSED
    return str(answer.check_id)


def _ev_charger(
    kiosk: Kiosk, page: bytes, check_id: str, resubmission_of: str | None = None
) -> ReadyApplication:
    draft = Draft(CATALOGUE[ApplicationKind.EV_CHARGER], HOLDER.card_fields(), "3201000001")
    draft.answers.update(phone="13912345678", charger_kw="7", parking_space="B2-118")
    draft.set_document("property-consent", DocumentState.PROMISED)
    draft.set_document("parking-proof", DocumentState.PHOTOGRAPHED)
    pages = [PagePhoto("parking-proof", page, 180.0)]
    ready = ReadyApplication(
        kiosk.desk.new_application_number(), draft, pages, identity_check_id=check_id,
        resubmission_of=resubmission_of,
    )  # fmt: skip
    return kiosk.sign(ready)


def test_made_offline_delivered_later_rejected_and_made_again(round_trip) -> None:
    center, proxy, kiosk = round_trip
    check_id = _checked(kiosk)
    proxy.refuse()  # the center goes away while the resident applies
    first = _ev_charger(kiosk, _jpeg(1), check_id)
    submitted = kiosk.desk.submit_application(first, online=False)
    assert submitted.queued_only
    assert isinstance(kiosk.desk.application_progress(first.number), WaitingHere)
    with pytest.raises(CenterUnreachable):  # nothing gets through while it is away
        kiosk.relay.deliver_once()

    proxy.listen()  # back: the queue delivers what waited
    assert kiosk.relay.deliver_once() == 1
    progress = kiosk.desk.application_progress(first.number)
    assert isinstance(progress, ApplicationProgress)
    assert progress.stage is Stage.RECEIVED and progress.kind == "ev-charger"
    assert progress.limit is not None and progress.limit.limit_days >= 1

    database = open_database(center.db_url)
    try:
        now = dt.datetime.now(dt.UTC)
        with database.sessions.begin() as session:
            move(session, first.number, Stage.UNDER_REVIEW, now=now, by="reviewer")
            move(session, first.number, Stage.REJECTED, now=now, by="reviewer",
                 note="The parking proof is unreadable")  # fmt: skip
        rejected = kiosk.desk.application_progress(first.number)
        assert isinstance(rejected, ApplicationProgress)
        assert rejected.stage is Stage.REJECTED and rejected.reason == (
            "The parking proof is unreadable"
        )
        assert [node.stage for node in rejected.nodes][-1] is Stage.REJECTED

        new_page = _jpeg(2)
        second = _ev_charger(kiosk, new_page, _checked(kiosk), resubmission_of=first.number)
        assert not kiosk.desk.submit_application(second).queued_only
        assert kiosk.relay.deliver_once() == 1
        with database.sessions() as session:
            row = session.get(ApplicationRow, second.number)
            assert row is not None and row.resubmission_of == first.number
            hashes = set(
                session.scalars(
                    select(ApplicationFileRow.sha256).where(
                        ApplicationFileRow.number == second.number,
                        ApplicationFileRow.role == "document",
                    )
                )
            )
            assert hashes == {hashlib.sha256(new_page).hexdigest()}
        # The card finds both, newest first; nothing waits here any more.
        found = kiosk.desk.applications_for_id_number(ID_NUMBER)
        assert [p.number for p in found] == [second.number, first.number]
    finally:
        database.close()


def test_a_real_name_check_is_decided_by_the_center(round_trip) -> None:
    _center, _proxy, kiosk = round_trip
    seed = next(s for s in range(200) if simulated_score(ID_NUMBER, _jpeg(s))[0] >= 80)
    passed = kiosk.desk.check_identity(HOLDER, LiveFace(_jpeg(seed), Challenge.BLINK, True, 40))
    assert passed.status is IdentityStatus.PASSED and passed.score >= passed.threshold
    # The same face, but the kiosk saw the blink fail: a still photo is never passed on score.
    held_up = kiosk.desk.check_identity(HOLDER, LiveFace(_jpeg(seed), Challenge.BLINK, False, 150))
    assert held_up.status is not IdentityStatus.PASSED
    expired = CardHolder(HOLDER.name, ID_NUMBER, HOLDER.address, dt.date(2000, 1, 1),
                         dt.date(2020, 1, 1))  # fmt: skip
    answer = kiosk.desk.check_identity(expired, LiveFace(_jpeg(seed), Challenge.TURN, True, 30))
    assert answer.status is IdentityStatus.FAILED and answer.reason
    assert str(uuid.UUID(str(answer.check_id))) == str(answer.check_id)


def test_the_demo_card_finds_its_applications(round_trip) -> None:
    """The demo's story: 李秀英's quota is due for renewal and her capacity change waits for a
    document; her household register is on file, so a renewal does not ask for it again."""
    center, _proxy, kiosk = round_trip
    found = kiosk.desk.applications_for_id_number("320102195203140026")
    assert [p.kind for p in found if isinstance(p, ApplicationProgress)] == [
        "capacity",
        "multi-person",
    ]
    capacity, quota = found
    assert isinstance(capacity, ApplicationProgress) and isinstance(quota, ApplicationProgress)
    assert capacity.stage is Stage.MORE_DOCUMENTS and capacity.wanted == ["ownership-proof"]
    assert quota.stage is Stage.DONE and quota.valid_until is not None
    assert renewal_due(quota.valid_until, center.today)
    on_file = kiosk.desk.documents_on_file("320102195203140026", "3201000001")
    assert on_file == {"household-register"}
