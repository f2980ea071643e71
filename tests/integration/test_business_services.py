"""The kiosk's business use cases with a real store file: an application queued sealed, found
again while it waits, and refused when it is not what was signed."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.domain.applications import CATALOGUE, ApplicationKind, DocumentState, Draft
from kiosk.embedded_center import free_port
from kiosk.services import LookupFailed, LookupProblem
from kiosk.services.business import BusinessDesk
from kiosk.services.business_types import PagePhoto, ReadyApplication, SignedPad, WaitingHere
from kiosk.store import open_store
from sync.client import CenterClient
from sync.protocol.business import APPLICATION_NUMBER
from sync.queue import next_batch, outbox
from sync.sealing import sealer_for

ID_NUMBER = "11010519491231002X"
CARD = {"name": "张三丰", "id_number": ID_NUMBER, "address": "南京市玄武区孝陵卫街200号"}
PAGE = PagePhoto("parking-proof", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40, 180.0)
NOW = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def offline(tmp_path: Path):
    """The desk with the center down: everything it does must still hold."""
    sealing = sealer_for(tmp_path)
    store = open_store(tmp_path / "kiosk.db", sealing=sealing)
    client = CenterClient(f"http://127.0.0.1:{free_port()}", "test-kiosk", timeout=1)
    desk = BusinessDesk(
        client,
        store.unit_of_work,
        kiosk_id="test-kiosk",
        station_id="xuanwu-test",
        clock=lambda: NOW,
    )
    yield desk, store, sealing
    client.close()
    store.close()


def _signed(desk: BusinessDesk) -> ReadyApplication:
    draft = Draft(CATALOGUE[ApplicationKind.EV_CHARGER], dict(CARD), account_number="3201000001")
    draft.answers.update(phone="13912345678", charger_kw="7", parking_space="B2-118")
    draft.set_document("property-consent", DocumentState.PROMISED)
    draft.set_document("parking-proof", DocumentState.PHOTOGRAPHED)
    ready = ReadyApplication(desk.new_application_number(), draft, pages=[PAGE])
    content = desk.application_content(ready)
    ready.signature = SignedPad(
        strokes=(((10, 10, 0), (40, 30, 16), (90, 35, 40)),),
        width=600,
        height=200,
        png=b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        content_sha256=hashlib.sha256(content).hexdigest(),
        signed_at=NOW,
    )
    return ready


def test_an_application_is_queued_with_its_personal_fields_sealed(offline, tmp_path: Path) -> None:
    desk, store, sealing = offline
    ready = _signed(desk)
    submitted = desk.submit_application(ready, online=False)
    assert submitted.number == ready.number and APPLICATION_NUMBER.fullmatch(submitted.number)
    assert submitted.queued_only and not submitted.slip_printed  # no printer here
    with store.engine.connect() as connection:
        row = connection.execute(select(outbox)).one()
        assert row.type == "business.application_submitted"
        assert row.aggregate_id == ready.number
        assert ID_NUMBER not in row.payload and "张三丰" not in row.payload
        assert "13912345678" not in row.payload and "data" not in row.payload
        assert row.sealed is not None
        [event] = next_batch(connection, sealing=sealing)
    # Opened only to be sent: then it is whole, and what was signed.
    assert event.payload["form"]["id_number"] == ID_NUMBER
    assert event.payload["documents"][0]["sha256"] == hashlib.sha256(PAGE.jpeg).hexdigest()
    assert event.payload["promised"] == ["property-consent"]
    assert event.payload["signature"]["content_sha256"] == ready.signature.content_sha256
    raw = (tmp_path / "kiosk.db").read_bytes() + _wal(tmp_path)
    assert ID_NUMBER.encode() not in raw and "张三丰".encode() not in raw


def _wal(tmp_path: Path) -> bytes:
    wal = tmp_path / "kiosk.db-wal"
    return wal.read_bytes() if wal.exists() else b""


def test_a_queued_application_is_found_while_the_center_is_away(offline) -> None:
    desk, _store, _sealing = offline
    ready = _signed(desk)
    desk.submit_application(ready, online=False)
    found = desk.application_progress(ready.number.lower())
    assert found == WaitingHere(ready.number, "ev-charger", NOW)
    assert desk.applications_for_id_number(ID_NUMBER) == [found]
    # Another person's card does not see it.
    with pytest.raises(LookupFailed) as failed:
        desk.applications_for_id_number("320113195907050036")
    assert failed.value.problem is LookupProblem.UNREACHABLE
    with pytest.raises(LookupFailed) as failed:
        desk.application_progress(ready.number[:-1] + ("0" if ready.number[-1] != "0" else "1"))
    assert failed.value.problem is LookupProblem.INVALID_NUMBER


def test_what_was_not_signed_is_not_sent(offline) -> None:
    desk, store, _sealing = offline
    ready = _signed(desk)
    ready.draft.answers["charger_kw"] = "11"  # changed after signing
    with pytest.raises(ValueError, match="other content"):
        desk.submit_application(ready)
    unsigned = _signed(desk)
    unsigned.signature = None
    with pytest.raises(ValueError, match="not signed"):
        desk.submit_application(unsigned)
    pageless = _signed(desk)
    pageless.pages = []
    with pytest.raises(ValueError, match="pages"):
        desk.submit_application(pageless)
    incomplete = _signed(desk)
    incomplete.draft.answers["phone"] = ""
    with pytest.raises(ValueError, match="not complete"):
        desk.submit_application(incomplete)
    with store.engine.connect() as connection:
        assert connection.execute(select(outbox)).all() == []


def test_documents_on_file_are_simply_not_known_offline(offline) -> None:
    desk, _store, _sealing = offline
    assert desk.documents_on_file(ID_NUMBER, "3201000001") == set()
