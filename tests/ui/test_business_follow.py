"""Following an application, as a resident does: by the ID card (the list, then one), by the
number typed from the slip, by the slip's QR shown to the scanner from any screen; against the
real center's demo applications, and one still waiting in this kiosk's queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.idcard.simulator import IdCardSimulator
from drivers.simulated.scanner import SimulatedScanner
from kiosk.domain.session import EndReason
from kiosk.ui.background import DeviceSignals
from kiosk.ui.local_text import ENGLISH
from tests.support.devices import running
from tests.support.id_card_wire import card_reader
from tests.support.ui import click

LI = 0  # 李秀英: the demo center's multi-person quota (due for renewal) and capacity change


@pytest.fixture
def signals(tmp_path: Path) -> Iterator[tuple[DeviceSignals, IdCardSimulator, SimulatedScanner]]:
    with card_reader(tmp_path) as (cards, reader):
        scanner_running = running(SimulatedScanner(read_latency_s=0.001))
        scanner = next(scanner_running)
        found = DeviceSignals()
        found.attach_id_card_reader(reader)
        found.attach_scanner(scanner)
        yield found, cards, scanner
        found.detach_all()
        next(scanner_running, None)


def _window(qtbot: Any, make_window: Any, url: str, signals: Any) -> Any:
    window = make_window(url, devices=signals[0], language=ENGLISH)
    click(qtbot, window.idle)
    click(qtbot, window.home.business_tile)
    click(qtbot, window.later().business.menu.follow_button)
    return window


def test_by_id_card_then_one_of_its_applications(
    qtbot: Any, make_window: Any, start_center: Any, signals: Any
) -> None:
    window = _window(qtbot, make_window, start_center().url, signals)
    follow = window.later().business.follow
    assert window.navigator.current == follow.name
    signals[1].place(LI)
    qtbot.waitUntil(lambda: len(follow.list_buttons) == 2, timeout=8000)
    texts = [b.text() for b in follow.list_buttons.values()]
    assert "More capacity" in texts[0] and "More documents wanted" in texts[0]
    assert "Large household quota" in texts[1] and "Done" in texts[1]
    quota = list(follow.list_buttons)[1]
    click(qtbot, follow.list_buttons[quota])
    qtbot.waitUntil(lambda: "Valid until" in follow.timeline.text(), timeout=8000)
    timeline = follow.timeline.text()
    assert "Renew it now" in timeline  # approved almost two years ago
    assert timeline.index("Received") < timeline.index("Approved") < timeline.rindex("Done")


def test_by_the_number_typed_and_by_the_slip_from_any_screen(
    qtbot: Any, make_window: Any, start_center: Any, signals: Any
) -> None:
    window = _window(qtbot, make_window, start_center().url, signals)
    flow = window.later().business
    follow = flow.follow
    signals[1].place(LI)
    qtbot.waitUntil(lambda: len(follow.list_buttons) == 2, timeout=8000)
    capacity = next(iter(follow.list_buttons))
    signals[1].remove()
    window.end_session(EndReason.FINISHED)
    assert follow.list_buttons == {} and follow.timeline.text() == ""  # wiped with the session

    window = _window(qtbot, make_window, start_center().url, signals)
    follow = window.later().business.follow
    for key in capacity[2:].lower().upper():
        click(qtbot, follow.pad.keys[key])
    click(qtbot, follow.look_up_button)
    qtbot.waitUntil(lambda: "Staff ask for" in follow.timeline.text(), timeout=8000)
    assert "Proof of ownership" in follow.timeline.text()
    assert "Time limit: day" in follow.timeline.text()

    window.show_screen(window.home.name)  # the slip works from anywhere
    signals[2].show_code("BSK-APP:" + capacity)
    qtbot.waitUntil(lambda: window.navigator.current == follow.name, timeout=5000)
    qtbot.waitUntil(lambda: "Staff ask for" in follow.timeline.text(), timeout=8000)


def test_a_mistyped_number_is_told_at_once(
    qtbot: Any, make_window: Any, start_center: Any, signals: Any
) -> None:
    window = _window(qtbot, make_window, start_center().url, signals)
    follow = window.later().business.follow
    for key in "2612030000000":
        click(qtbot, follow.pad.keys[key])
    click(qtbot, follow.look_up_button)
    qtbot.waitUntil(lambda: "not an application number" in follow.status.shown_text, timeout=5000)
