"""The ID card at a session's edges, on the real SAM driver over a pseudo-terminal: the reminder
to take it, a card left on the reader read only when asked, and a card that cannot be read."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.idcard.protocol import Command
from drivers.idcard.reader import SamSerialIdCardReader
from drivers.idcard.simulator import FOREVER, Fault, IdCardSimulator
from drivers.simulated.idcard import load_deck
from kiosk.domain.session import EndReason
from kiosk.ui.background import DeviceSignals
from kiosk.ui.local_text import CHINESE, ENGLISH
from tests.support.devices import running
from tests.support.ui import click

PLACE_CARD = {
    CHINESE: "请把身份证放在读卡区。",
    ENGLISH: "Please place your ID card on the card reader.",
}
DECK = load_deck()
ONE_ACCOUNT = 1  # 王𠮷 in assets/demo/residents.toml: account 3201000002
FORGED = dataclasses.replace(DECK[0], id_number="320102195203140027")  # wrong check digit

REMINDER = {CHINESE: "请取走您的身份证", ENGLISH: "Please take your ID card"}
UNREADABLE = {
    CHINESE: "这张身份证无法读取。请改为输入户号，或按“帮助”找工作人员。",
    ENGLISH: (
        "This ID card could not be read. Please type your account number instead, "
        "or press Help to reach a person."
    ),
}
NOT_READ = {
    CHINESE: (
        "未能读取您的身份证。请把身份证从读卡区拿起，再平放上去。"
        "如仍无法读取，请输入户号，或按“帮助”找工作人员。"
    ),
    ENGLISH: (
        "Your ID card could not be read. Please lift it off the reader and place it flat again. "
        "If it still cannot be read, type your account number or press Help."
    ),
}
READ_BUTTON = {
    CHINESE: "身份证已放在读卡区，点此读取",
    ENGLISH: "My ID card is on the reader: read it",
}


@pytest.fixture
def wire(tmp_path: Path) -> Iterator[Callable[..., tuple[IdCardSimulator, DeviceSignals]]]:
    """wire(deck=None) -> (the reader's wire simulator, the window's device signals on it)."""
    opened: list[tuple[IdCardSimulator, Iterator[Any], DeviceSignals]] = []

    def make(deck: list[Any] | None = None) -> tuple[IdCardSimulator, DeviceSignals]:
        simulator = IdCardSimulator(deck, link=tmp_path / f"idcard{len(opened)}", baud=None)
        simulator.start()
        reader = SamSerialIdCardReader(
            url=f"serial://{simulator.path}?baud=115200",
            poll_interval=0.02,
            reply_timeout=0.2,
            reconnect_after=0.05,
            idle_check=0.1,
        )
        device = running(reader)
        next(device)
        signals = DeviceSignals()
        signals.attach_id_card_reader(reader)
        opened.append((simulator, device, signals))
        return simulator, signals

    yield make
    for simulator, device, signals in opened:
        signals.detach_all()
        next(device, None)  # closes the reader
        simulator.stop()


def wait_for_polls(qtbot: Any, simulator: IdCardSimulator, count: int) -> None:
    """Let the driver ask for a card ``count`` more times, the window taking what comes."""
    start = simulator.requests.count(Command.FIND_CARD)
    qtbot.waitUntil(lambda: simulator.requests.count(Command.FIND_CARD) >= start + count)


def card_read_into_a_bill(qtbot: Any, window: Any, simulator: IdCardSimulator) -> None:
    simulator.place(ONE_ACCOUNT)  # on the idle screen: starts a session
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=5000)
    assert window.bill.bill.account.number == "3201000002"
    assert window.device_signals.card_on_reader


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_finishing_with_the_card_on_the_reader_reminds_until_it_is_taken(
    qtbot: Any, make_window: Any, running_center: Any, wire: Any, language: str
) -> None:
    simulator, devices = wire()
    window = make_window(running_center.url, devices=devices)
    if language == ENGLISH:
        window.display.set_language(ENGLISH)
    card_read_into_a_bill(qtbot, window, simulator)
    with qtbot.waitSignal(window.sig_session_ended) as ended:
        click(qtbot, window.bottom_bar.finish_button)
    assert ended.args[0].reason is EndReason.FINISHED
    assert window.navigator.current == "take_card"
    assert window.take_card.isVisible() and window.bottom_bar.isHidden()
    assert window.take_card.title.text() == REMINDER[language]  # in the resident's language
    assert window.bill.bill is None  # the card's data is wiped all the same
    simulator.remove()
    qtbot.waitUntil(lambda: window.navigator.current == "idle", timeout=5000)
    assert window.display.language == CHINESE  # the next resident starts with the defaults
    assert not window.take_card.isVisible()


def test_timing_out_with_the_card_on_the_reader_reminds_for_a_bounded_time(
    qtbot: Any, make_window: Any, running_center: Any, wire: Any
) -> None:
    simulator, devices = wire()
    window = make_window(
        running_center.url, devices=devices, timeout_s=1.6, warning_s=1.0, card_reminder_s=1.0
    )
    card_read_into_a_bill(qtbot, window, simulator)
    with qtbot.waitSignal(window.sig_session_ended, timeout=5000) as ended:
        pass
    assert ended.args[0].reason is EndReason.TIMEOUT
    assert window.navigator.current == "take_card"
    assert window.take_card.title.text() == REMINDER[CHINESE]
    qtbot.waitUntil(lambda: window.navigator.current == "idle", timeout=5000)
    assert simulator.card is not None  # still there: the reminder gave up, nothing was read
    assert not window.session.running


def test_a_card_taken_before_the_end_goes_straight_to_idle(
    qtbot: Any, make_window: Any, running_center: Any, wire: Any
) -> None:
    simulator, devices = wire()
    window = make_window(running_center.url, devices=devices)
    card_read_into_a_bill(qtbot, window, simulator)
    simulator.remove()
    qtbot.waitUntil(lambda: not devices.card_on_reader, timeout=5000)
    click(qtbot, window.bottom_bar.finish_button)
    assert window.navigator.current == "idle"


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_a_card_left_on_the_reader_is_read_when_the_next_resident_asks(
    qtbot: Any, make_window: Any, running_center: Any, wire: Any, language: str
) -> None:
    simulator, devices = wire()
    window = make_window(running_center.url, devices=devices)
    card_read_into_a_bill(qtbot, window, simulator)
    click(qtbot, window.bottom_bar.finish_button)
    assert window.navigator.current == "take_card"
    click(qtbot, window.take_card)  # the next resident (or the same one) starts anew
    assert window.navigator.current == "home" and window.session.running
    if language == ENGLISH:
        click(qtbot, window.top_bar.language_button)
    click(qtbot, window.home.bills_tile)
    wait_for_polls(qtbot, simulator, 5)
    assert window.navigator.current == "account_entry"
    assert window.entry.digits == ""  # the card lying there was not read into this session
    assert window.entry.status.shown_text == ""
    button = window.entry.read_card_button
    assert button.isVisible() and button.text() == READ_BUTTON[language]
    click(qtbot, button)
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=5000)
    assert window.bill.bill.account.number == "3201000002"


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_asking_to_read_with_no_card_on_the_reader_says_where_to_put_it(
    qtbot: Any, make_window: Any, running_center: Any, wire: Any, language: str
) -> None:
    simulator, devices = wire()
    window = make_window(running_center.url, devices=devices, language=language)
    click(qtbot, window.idle)
    click(qtbot, window.home.bills_tile)
    click(qtbot, window.entry.read_card_button)
    assert window.entry.status.shown_text == PLACE_CARD[language]
    simulator.place(ONE_ACCOUNT)
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=5000)


def test_the_read_button_is_not_offered_for_receipts_or_without_a_reader(
    qtbot: Any, make_window: Any, running_center: Any, wire: Any
) -> None:
    _, devices = wire()
    window = make_window(running_center.url, devices=devices)
    click(qtbot, window.idle)
    click(qtbot, window.home.bills_tile)
    assert window.entry.read_card_button.isVisible()
    window.go_home()
    window.home.sig_receipts.emit()  # the reprint tile, hidden here without payments
    assert window.navigator.current == "account_entry"
    assert not window.entry.read_card_button.isVisible()
    bare = make_window(running_center.url, devices=DeviceSignals())
    click(qtbot, bare.idle)
    click(qtbot, bare.home.bills_tile)
    assert not bare.entry.read_card_button.isVisible()


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_a_malformed_card_says_what_the_resident_can_do(
    qtbot: Any, make_window: Any, running_center: Any, wire: Any, language: str
) -> None:
    simulator, devices = wire([FORGED])
    window = make_window(running_center.url, devices=devices, language=language)
    simulator.place(0)  # on the idle screen: starts a session, as a good card does
    qtbot.waitUntil(lambda: window.entry.status.shown_text != "", timeout=5000)
    assert window.navigator.current == "account_entry"
    assert window.entry.status.shown_text == UNREADABLE[language]
    assert window.entry.keypad.isEnabled()  # typing the number is the way on
    window.display.set_large_text(True)  # all of the message still shows, in large text
    qtbot.wait(20)
    status = window.entry.status
    assert status.isVisible() and status.height() >= status.heightForWidth(status.width())


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_an_id_number_the_center_refuses_says_what_the_resident_can_do(
    qtbot: Any, make_window: Any, running_center: Any, tmp_path: Path, language: str
) -> None:
    # A reader that passes the card's number on unchecked (the simulated one, with a deck
    # holding a forged number): the kiosk's own check refuses it.
    from drivers.simulated.idcard import SimulatedIdCardReader

    deck = tmp_path / "residents.toml"
    deck.write_text(
        '[[resident]]\nname = "李秀英"\ngender = 2\nnation = "01"\nbirth = "1952-03-14"\n'
        'address = "江苏省南京市玄武区中山路1号"\nid_number = "320102195203140027"\n'
        'authority = "南京市公安局玄武分局"\nvalid_from = "2015-01-01"\nvalid_to = "长期"\n',
        encoding="utf-8",
    )
    reader_runs = running(SimulatedIdCardReader(deck_path=str(deck), read_latency_s=0.001))
    reader = next(reader_runs)
    devices = DeviceSignals()
    devices.attach_id_card_reader(reader)
    try:
        window = make_window(running_center.url, devices=devices, language=language)
        reader.present(0)
        qtbot.waitUntil(lambda: window.entry.status.shown_text != "", timeout=5000)
        qtbot.waitUntil(lambda: not window.entry.busy, timeout=5000)
        assert window.entry.status.shown_text == UNREADABLE[language]
    finally:
        devices.detach_all()
        next(reader_runs, None)


def test_a_worn_card_failing_every_read_says_to_place_it_again_then_reads(
    qtbot: Any, make_window: Any, running_center: Any, wire: Any
) -> None:
    simulator, devices = wire()
    window = make_window(running_center.url, devices=devices, language=CHINESE)
    simulator.inject(Fault.READ_FAILS, times=FOREVER)  # a worn card: every read fails
    simulator.place(ONE_ACCOUNT)
    qtbot.waitUntil(lambda: window.entry.status.shown_text != "", timeout=5000)
    assert window.navigator.current == "account_entry"
    assert window.entry.status.shown_text == NOT_READ[CHINESE]
    window.display.toggle_language()  # said again in the other language
    assert window.entry.status.shown_text == NOT_READ[ENGLISH]
    # Lifted and placed flat again, it reads: the account's bill follows.
    simulator.clear_faults()
    simulator.remove()
    qtbot.waitUntil(lambda: not window.device_signals.card_on_reader, timeout=5000)
    simulator.place(ONE_ACCOUNT)
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=5000)
    assert window.bill.bill.account.number == "3201000002"
