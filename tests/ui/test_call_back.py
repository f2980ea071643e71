"""Asking to be called back, from Help, on the real window and a real store whose queue seals
personal fields: the number is read back in groups, masked once sent, sealed while it waits,
forgotten when the session ends; a number that is no phone number is refused at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.store import Store, open_store
from kiosk.ui.local_text import CHINESE, ENGLISH
from sync.protocol import EventEnvelope
from sync.queue import next_batch
from sync.sealing import Sealer, derive_key
from tests.support.ui import click

PHONE = "13800138000"
SENT = {
    CHINESE: "谢谢。工作人员将在服务时间内拨打此号码给您回电。",
    ENGLISH: "Thank you. Staff will call you back at this number, in service hours.",
}
NOT_A_PHONE = {CHINESE: "这不是电话号码", ENGLISH: "That is not a phone number"}
SEALER = Sealer(derive_key(b"call-back test key " * 2))


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    """The kiosk's store as it runs: personal fields sealed in the queue."""
    opened = open_store(store_path, sealing=SEALER)
    yield opened
    opened.close()


def queued_events(store: Store) -> list[EventEnvelope]:
    """What waits for the center, its personal fields opened as the relay opens them."""
    with store.engine.connect() as connection:
        return next_batch(connection, sealing=SEALER)


def type_phone(qtbot: Any, window: Any, digits: str) -> None:
    for digit in digits:
        click(qtbot, window.call_back.keypad.digit_keys[digit])


def open_call_back(qtbot: Any, window: Any) -> None:
    click(qtbot, window.idle)
    click(qtbot, window.home.help_tile)
    click(qtbot, window.help.call_back_button)
    assert window.navigator.current == "call_back"


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_a_phone_number_is_read_back_masked_once_sent_and_sealed_in_the_queue(
    qtbot: Any, make_window: Any, running_center: Any, store: Store, store_path: Path, language: str
) -> None:
    window = make_window(running_center.url, language=language)
    open_call_back(qtbot, window)
    screen = window.call_back
    type_phone(qtbot, window, PHONE)
    assert screen.number.text() == "138 0013 8000"  # read back in groups while typing
    click(qtbot, screen.keypad.confirm_key)
    qtbot.waitUntil(lambda: screen.sent.isVisible(), timeout=5000)
    assert screen.sent.text() == SENT[language]
    assert screen.number.text() == "138****8000" and not screen.keypad.isVisible()
    asked = [event for event in queued_events(store) if event.type == "help.call_back_requested"]
    assert len(asked) == 1 and asked[0].payload == {"phone": PHONE, "language": language}
    store.engine.dispose()  # everything on disk: the number is nowhere in clear
    stored = b"".join(path.read_bytes() for path in store_path.parent.glob("kiosk.sqlite3*"))
    assert PHONE.encode() not in stored and b"0013" + b"8000" not in stored
    click(qtbot, screen.done_button)
    assert window.navigator.current == "idle"  # the session ends
    assert screen.digits == "" and screen.number.text() == "_ _ _"  # and the number goes


def test_a_number_that_is_no_phone_number_is_refused_at_once_and_nothing_is_queued(
    qtbot: Any, make_window: Any, running_center: Any, store: Store
) -> None:
    window = make_window(running_center.url, language=CHINESE)
    open_call_back(qtbot, window)
    type_phone(qtbot, window, "12345")
    click(qtbot, window.call_back.keypad.confirm_key)
    assert NOT_A_PHONE[CHINESE] in window.call_back.status.shown_text
    window.display.toggle_language()  # said again in English after a switch
    assert NOT_A_PHONE[ENGLISH] in window.call_back.status.shown_text
    assert not [e for e in queued_events(store) if e.type == "help.call_back_requested"]
