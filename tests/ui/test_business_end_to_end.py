"""Business at the kiosk, as a resident does it, for every kind: the menu, the ID card on the
real SAM driver over a pseudo-terminal, the form filled from it, a page held to the simulated
camera and found, a promise where allowed, the signature, the slip from the printer simulator,
and the application delivered to the real center; one made while the center is away."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from sqlalchemy import select

from center.business.progress import move
from center.business.tables import ApplicationFileRow, ApplicationRow
from center.database import open_database
from drivers.camera.face_pictures import resident_blinking
from drivers.camera.page_pictures import shot
from drivers.printer.simulator import PrinterSimulator
from drivers.registry import load_driver
from drivers.simulated.camera import SimulatedCamera
from kiosk.domain.applications import CATALOGUE, ApplicationKind, FieldKind
from kiosk.store import Store, open_store
from kiosk.ui.background import DeviceSignals
from kiosk.ui.local_text import CHINESE
from sync.client import CenterClient
from sync.protocol.business import SLIP_QR_PREFIX, Stage
from sync.relay import Relay
from sync.sealing import sealer_for
from tests.support.fault_proxy import FaultProxy
from tests.support.id_card_wire import card_reader
from tests.support.ui import click, queued_events

LI = 0  # 李秀英 in assets/demo/residents.toml: accounts 3201000001 (electricity) and water
ANSWERS = {"phone": "13951860001", "members": "6", "pv_kw": "8", "parking_space": "B2-118"}


@pytest.fixture
def sealing(tmp_path: Path) -> Any:
    return sealer_for(tmp_path)


@pytest.fixture
def store(store_path: Path, sealing: Any) -> Iterator[Store]:
    """The kiosk's store as the kiosk opens it: personal fields sealed while they wait."""
    opened = open_store(store_path, sealing=sealing)
    yield opened
    opened.close()


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The card reader on its wire simulator, the printer on its, the simulated camera."""
    with card_reader(tmp_path) as (cards, reader):
        paper = PrinterSimulator().start()
        printer = load_driver("printer", "escpos", {"url": f"serial://{paper.path}?baud=115200"})
        camera = SimulatedCamera(fps=10)
        for device in (printer, camera):
            device.open()
            device.enable()
        signals = DeviceSignals()
        signals.attach_id_card_reader(reader)
        yield {"cards": cards, "paper": paper, "printer": printer, "camera": camera,
               "signals": signals}  # fmt: skip
        signals.detach_all()
        for device in (printer, camera):
            device.close()
        paper.stop()


def _open(qtbot: Any, make_window: Any, url: str, devices: dict[str, Any]) -> Any:
    window = make_window(
        url, devices=devices["signals"], language=CHINESE, printer=devices["printer"],
        camera=devices["camera"],
    )  # fmt: skip
    click(qtbot, window.idle)
    click(qtbot, window.home.business_tile)
    return window


def _make_application(
    qtbot: Any, window: Any, devices: dict[str, Any], kind: str, *, chosen: bool = False
) -> str:
    """Make one application of `kind` from the business menu (or, `chosen`, from its start)."""
    flow = window.later().business
    if not chosen:
        assert window.navigator.current == flow.menu.name
        click(qtbot, flow.menu.tiles[kind])
    assert window.navigator.current == flow.start.name
    assert "身份证" in flow.start.needs.text() and flow.start.cost.text()
    # The real-name check, where the business asks it: a resident who blinks.
    devices["camera"].hold_up(resident_blinking(looking=5, shut=3))
    devices["cards"].place(LI)
    qtbot.waitUntil(lambda: window.navigator.current == flow.form.name, timeout=20000)
    devices["camera"].hold_up(None)
    if CATALOGUE[ApplicationKind(kind)].needs_identity_check:
        assert flow.identity_check_id is not None
    form = flow.form
    # Masked: the card's name and number are never whole on the screen.
    shown = " ".join(form.facts.texts())
    assert "李秀英" not in shown and "320102195203140026" not in shown
    assert "3201000001" in shown
    for form_field in CATALOGUE[ApplicationKind(kind)].fields:
        if form_field.kind is FieldKind.CHOICE:
            click(qtbot, form.choice_buttons[form_field.id][form_field.choices[0]])
            continue
        click(qtbot, form.field_buttons[form_field.id])
        for key in ANSWERS[form_field.id]:
            pad = form.keypad.digit_keys if key.isdigit() else None
            if pad is not None:
                click(qtbot, pad[key])
            else:
                letter = next(b for b in form.letters.findChildren(type(form.next_button))
                              if b.text() == key)  # fmt: skip
                click(qtbot, letter)
    click(qtbot, form.next_button)
    assert window.navigator.current == flow.documents.name, form.status.shown_text
    documents = flow.documents
    for index, need in enumerate(CATALOGUE[ApplicationKind(kind)].documents):
        buttons = documents.row_buttons[need.id]
        if "photograph" not in buttons:
            continue  # already on file at the center
        if index == 0 or "promise" not in buttons:
            _photograph(qtbot, window, devices, need.id)
        else:
            click(qtbot, buttons["promise"])
    click(qtbot, documents.next_button)
    assert window.navigator.current == flow.sign.name, documents.status.shown_text
    assert "李秀英" not in flow.sign.content.text()
    _sign(qtbot, flow.sign.pad)
    click(qtbot, flow.sign.sign_button)
    done = lambda: window.navigator.current == flow.done.name  # noqa: E731
    qtbot.waitUntil(lambda: done() or not flow.sign.status.is_busy, timeout=10000)
    assert done(), flow.sign.status.shown_text
    number = flow.done.number.text()
    assert flow.done.qr.text == SLIP_QR_PREFIX + number
    # Nothing of the resident stays in the flow once it is queued.
    assert flow.draft is None and flow.holder is None and flow.pages == {}
    return number


def _photograph(qtbot: Any, window: Any, devices: dict[str, Any], document: str) -> None:
    flow = window.later().business
    devices["camera"].hold_up(shot(7).picture)
    click(qtbot, flow.documents.row_buttons[document]["photograph"])
    assert window.navigator.current == flow.capture.name
    qtbot.waitUntil(flow.capture.take_button.isEnabled, timeout=8000)
    click(qtbot, flow.capture.take_button)
    assert flow.capture.showing_page
    click(qtbot, flow.capture.use_button)
    devices["camera"].hold_up(None)
    assert window.navigator.current == flow.documents.name


def _sign(qtbot: Any, pad: Any) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(40, 60))
    for step in range(1, 30):
        qtbot.mouseMove(pad, QPoint(40 + step * 12, 60 + (step % 5) * 14))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(400, 100))


def _deliver(store: Store, url: str, sealing: Any) -> int:
    with CenterClient(url, "kiosk-ui-test", timeout=5) as client:
        relay = Relay(store.engine, client.deliver_events, "kiosk-ui-test", sealing=sealing)
        return relay.deliver_once()


@pytest.mark.parametrize("kind", [kind.value for kind in ApplicationKind])
def test_each_business_from_the_menu_to_the_center(
    qtbot: Any,
    make_window: Any,
    start_center: Any,
    store: Store,
    sealing: Any,
    devices: dict[str, Any],
    kind: str,
) -> None:
    center = start_center()
    window = _open(qtbot, make_window, center.url, devices)
    number = _make_application(qtbot, window, devices, kind)
    paper = devices["paper"]
    assert paper.wait_for_receipts(1, timeout=10)
    slip = paper.receipts[0].receipt.text()
    assert "业务受理回执" in slip and number in slip and "李秀英" not in slip
    queued = queued_events(store, sealing)
    [event] = [e for e in queued if e.type == "business.application_submitted"]
    assert event.aggregate_id == number
    assert _deliver(store, center.url, sealing) >= 1
    database = open_database(center.db_url)
    try:
        with database.sessions() as session:
            row = session.get(ApplicationRow, number)
            assert row is not None and row.kind == kind and row.stage == "received"
            assert row.form["phone"] == ANSWERS["phone"]
            roles = {f.role for f in session.query(ApplicationFileRow).filter_by(number=number)}
            assert "sealed_pdf" in roles and "signature" in roles
    finally:
        database.close()


def test_made_while_the_center_is_away_and_delivered_when_it_is_back(
    qtbot: Any,
    make_window: Any,
    start_center: Any,
    store: Store,
    sealing: Any,
    devices: dict[str, Any],
) -> None:
    center = start_center()
    with FaultProxy(center.url) as proxy:
        window = _open(qtbot, make_window, proxy.url, devices)
        flow = window.later().business
        click(qtbot, flow.menu.tiles["meter-check"])
        devices["camera"].hold_up(resident_blinking(looking=5, shut=3))
        devices["cards"].place(LI)
        qtbot.waitUntil(lambda: window.navigator.current == flow.form.name, timeout=20000)
        proxy.refuse()  # the link drops while the resident fills the form
        click(qtbot, flow.form.choice_buttons["reason"]["too_fast"])
        click(qtbot, flow.form.field_buttons["phone"])
        for digit in ANSWERS["phone"]:
            click(qtbot, flow.form.keypad.digit_keys[digit])
        click(qtbot, flow.form.next_button)
        click(qtbot, flow.documents.next_button)
        _sign(qtbot, flow.sign.pad)
        click(qtbot, flow.sign.sign_button)
        qtbot.waitUntil(lambda: window.navigator.current == flow.done.name, timeout=10000)
        number = flow.done.number.text()
        assert [e.aggregate_id for e in queued_events(store, sealing)] == [number]  # waits here
        proxy.listen()
    assert _deliver(store, center.url, sealing) >= 1
    database = open_database(center.db_url)
    try:
        with database.sessions() as session:
            assert session.get(ApplicationRow, number) is not None
    finally:
        database.close()


def test_rejected_at_the_center_and_made_again_with_a_new_page(
    qtbot: Any,
    make_window: Any,
    start_center: Any,
    store: Store,
    sealing: Any,
    devices: dict[str, Any],
) -> None:
    center = start_center()
    window = _open(qtbot, make_window, center.url, devices)
    first = _make_application(qtbot, window, devices, "change-holder")
    assert _deliver(store, center.url, sealing) >= 1
    database = open_database(center.db_url)
    try:
        with database.sessions.begin() as session:
            now = dt.datetime.now(dt.UTC)
            move(session, first, Stage.REJECTED, now=now, by="reviewer",
                 note="The proof of ownership is unreadable")  # fmt: skip
        flow = window.later().business
        flow.open_follow()
        for key in first[2:]:
            click(qtbot, flow.follow.pad.keys[key])
        click(qtbot, flow.follow.look_up_button)
        qtbot.waitUntil(lambda: "unreadable" in flow.follow.timeline.text(), timeout=8000)
        assert flow.follow.apply_again_button.isVisible()
        click(qtbot, flow.follow.apply_again_button)
        assert window.navigator.current == flow.start.name
        devices["cards"].remove()  # taken, and placed again for the new application
        qtbot.waitUntil(lambda: not devices["signals"].card_on_reader, timeout=5000)
        second = _make_application(qtbot, window, devices, "change-holder", chosen=True)
        assert second != first
        assert _deliver(store, center.url, sealing) >= 1
        with database.sessions() as session:
            again = session.get(ApplicationRow, second)
            assert again is not None and again.resubmission_of == first
            pages = session.scalars(
                select(ApplicationFileRow.sha256).where(
                    ApplicationFileRow.number == second, ApplicationFileRow.role == "document"
                )
            ).all()
            assert len(pages) == 1  # the new photograph of the proof of ownership
    finally:
        database.close()


def test_a_document_staff_ask_for_is_photographed_at_the_kiosk_and_reaches_them(
    qtbot: Any,
    make_window: Any,
    start_center: Any,
    store: Store,
    sealing: Any,
    devices: dict[str, Any],
) -> None:
    center = start_center()
    window = _open(qtbot, make_window, center.url, devices)
    number = _make_application(qtbot, window, devices, "change-holder")
    assert _deliver(store, center.url, sealing) >= 1
    wanted = CATALOGUE[ApplicationKind.CHANGE_HOLDER].documents[-1].id
    database = open_database(center.db_url)
    try:
        with database.sessions.begin() as session:
            now = dt.datetime.now(dt.UTC)
            move(session, number, Stage.UNDER_REVIEW, now=now, by="reviewer")
            move(session, number, Stage.MORE_DOCUMENTS, now=now, by="reviewer", wanted=[wanted])
        flow = window.later().business
        flow.open_follow()
        for key in number[2:]:
            click(qtbot, flow.follow.pad.keys[key])
        click(qtbot, flow.follow.look_up_button)
        qtbot.waitUntil(flow.follow.bring_button.isVisible, timeout=8000)
        devices["camera"].hold_up(shot(7).picture)
        click(qtbot, flow.follow.bring_button)
        assert window.navigator.current == flow.capture.name
        qtbot.waitUntil(flow.capture.take_button.isEnabled, timeout=8000)
        click(qtbot, flow.capture.take_button)
        click(qtbot, flow.capture.use_button)
        devices["camera"].hold_up(None)
        assert window.navigator.current == flow.follow.name
        qtbot.waitUntil(lambda: "staff" in flow.follow.status.shown_text.lower()
                        or "工作人员" in flow.follow.status.shown_text, timeout=8000)  # fmt: skip
        assert flow.pages == {}  # sent: nothing of it stays in the flow
        assert _deliver(store, center.url, sealing) >= 1
        with database.sessions() as session:
            row = session.get(ApplicationRow, number)
            assert row is not None and row.stage == "under_review"
            documents = session.scalars(
                select(ApplicationFileRow.document).where(
                    ApplicationFileRow.number == number, ApplicationFileRow.role == "document"
                )
            ).all()
            assert wanted in documents
    finally:
        database.close()
