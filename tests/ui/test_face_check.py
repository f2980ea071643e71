"""The real-name check as residents and a cheat meet it: the ID card on the real SAM driver,
the simulated camera filming a drawn resident, the real center deciding.

A resident who closes their eyes and opens them again passes and goes on to the form, the
center keeping that the challenge was done; a photo held up to the camera never does the
challenge: after two tries it is sent marked "not done", the center leaves it to staff, and the
resident may carry on while the application waits for them. Two people are told one at a time.
The language switched mid-check switches the instruction; the session's end forgets it all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from center.business.tables import IdentityCheckRow
from center.database import open_database
from drivers.camera.face_pictures import Sitter, face_picture, resident_blinking
from kiosk.domain.session import EndReason
from kiosk.ui.local_text import ENGLISH
from tests.support.ui import click
from tests.ui import test_business_end_to_end as making

devices = making.devices  # the card reader on its wire, the printer, the simulated camera
LI, _open = making.LI, making._open


def _start(qtbot: Any, make_window: Any, url: str, devices: dict[str, Any], kind: str) -> Any:
    window = _open(qtbot, make_window, url, devices)
    flow = window.later().business
    click(qtbot, flow.menu.tiles[kind])
    flow.face_check.time_limit_ms = 3000  # the tests wait less than a resident is given
    devices["cards"].place(LI)
    face = flow.face_check.screen
    qtbot.waitUntil(lambda: window.navigator.current == face.name, timeout=8000)
    return window


def _checks(url: str) -> list[IdentityCheckRow]:
    database = open_database(url)
    try:
        with database.sessions() as session:
            return list(session.scalars(select(IdentityCheckRow)))
    finally:
        database.close()


def test_a_resident_who_blinks_passes_and_the_center_knows_the_challenge_was_done(
    qtbot: Any, make_window: Any, start_center: Any, devices: dict[str, Any]
) -> None:
    center = start_center()
    devices["camera"].hold_up(resident_blinking(Sitter(skin=2, wall=1, light=-0.6)))
    window = _start(qtbot, make_window, center.url, devices, "change-holder")
    flow = window.later().business
    qtbot.waitUntil(lambda: window.navigator.current == flow.form.name, timeout=15000)
    [check] = _checks(center.db_url)
    assert check.challenge == "blink" and check.challenge_passed
    assert flow.identity_check_id == check.check_id
    assert not flow.face_check.running  # the card and the photo are forgotten by the check


def test_a_photo_held_up_never_passes_and_goes_to_staff(
    qtbot: Any, make_window: Any, start_center: Any, devices: dict[str, Any]
) -> None:
    center = start_center()
    devices["camera"].hold_up(face_picture(Sitter(), seed=3))  # one still picture
    window = _start(qtbot, make_window, center.url, devices, "capacity")
    flow = window.later().business
    face = flow.face_check.screen
    qtbot.waitUntil(face.try_again_button.isVisible, timeout=10000)
    assert "try again" in face.status.shown_text.lower() or "再试" in face.status.shown_text
    assert _checks(center.db_url) == []  # nothing sent after one try
    click(qtbot, face.try_again_button)
    qtbot.waitUntil(lambda: window.navigator.current == flow.form.name, timeout=15000)
    [check] = _checks(center.db_url)
    assert not check.challenge_passed and check.status == "review"  # never on the score alone
    assert "工作人员" in flow.form.status.shown_text or "Staff" in flow.form.status.shown_text


def test_two_people_are_told_one_at_a_time_and_the_language_follows(
    qtbot: Any, make_window: Any, start_center: Any, devices: dict[str, Any]
) -> None:
    center = start_center()
    two = face_picture(Sitter(centre=(0.35, 0.5), size=0.7),
                       others=(Sitter(centre=(0.75, 0.45), size=0.7),))  # fmt: skip
    devices["camera"].hold_up(two)
    window = _start(qtbot, make_window, center.url, devices, "meter-check")
    face = window.later().business.face_check.screen
    qtbot.waitUntil(lambda: "一人" in face.status.shown_text or "one person" in
                    face.status.shown_text, timeout=8000)  # fmt: skip
    chinese = face.instruction.text()
    window.display.set_language(ENGLISH)
    qtbot.waitUntil(lambda: "one person" in face.status.shown_text, timeout=5000)
    assert face.instruction.text() != chinese and "camera" in face.instruction.text()
    window.end_session(EndReason.FINISHED)
    flow = window.later().business
    assert not flow.face_check.running and flow.holder is None
    assert face.picture.pixmap().isNull() and face.instruction.text() == ""
    assert _checks(center.db_url) == []
