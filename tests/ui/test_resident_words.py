"""What the resident reads in the hard moments: a payment code shown too early, the words of
each utility, a message after a language switch, English with no Chinese left in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.config import load_config
from kiosk.domain.session import EndReason
from kiosk.reference_setup import reference_library
from kiosk.ui.background import DeviceSignals
from kiosk.ui.local_text import CHINESE, ENGLISH
from kiosk.ui.main_window import KioskWindow
from tests.support.ui import HELP, click, type_number

WECHAT_CODE = "134567890123456789"

FIND_FIRST = {
    CHINESE: ("付款码", "请先找到您的户号", "身份证", "再缴费"),
    ENGLISH: ("payment code", "First find your account", "ID card", "Then you can pay"),
}


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_payment_code_at_idle_says_to_find_the_account_first(
    qtbot: Any, make_window: Any, running_center: Any, sim_scanner: Any, language: str
) -> None:
    devices = DeviceSignals()
    devices.attach_scanner(sim_scanner)
    window = make_window(running_center.url, devices=devices, language=language)
    assert window.navigator.current == "idle"
    sim_scanner.show_code(WECHAT_CODE)  # the phone, held up before anything else
    qtbot.waitUntil(lambda: window.entry.status.shown_text != "", timeout=5000)
    qtbot.waitUntil(lambda: not window.entry.status.is_busy, timeout=5000)
    assert window.navigator.current == "account_entry"
    shown = window.entry.status.shown_text
    for words in FIND_FIRST[language]:
        assert words in shown
    assert "not available" not in shown and "暂不" not in shown
    devices.detach_all()


def test_payment_code_at_the_entry_then_a_language_switch_says_it_again(
    qtbot: Any, make_window: Any, running_center: Any, sim_scanner: Any
) -> None:
    devices = DeviceSignals()
    devices.attach_scanner(sim_scanner)
    window = make_window(running_center.url, devices=devices, language=ENGLISH)
    click(qtbot, window.idle)
    click(qtbot, window.home.bills_tile)
    sim_scanner.show_code(WECHAT_CODE)
    qtbot.waitUntil(
        lambda: "First find your account" in window.entry.status.shown_text, timeout=5000
    )
    click(qtbot, window.top_bar.language_button)
    shown = window.entry.status.shown_text
    assert "请先找到您的户号" in shown
    assert "First find" not in shown
    devices.detach_all()


def test_an_error_shown_before_a_language_switch_is_said_in_the_new_language(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    window = make_window(running_center.url, language=ENGLISH)
    click(qtbot, window.idle)
    click(qtbot, window.home.bills_tile)
    type_number(qtbot, window, "3201999999")
    click(qtbot, window.entry.keypad.confirm_key)
    qtbot.waitUntil(
        lambda: "No account has this number" in window.entry.status.shown_text, timeout=5000
    )
    click(qtbot, window.top_bar.language_button)
    assert window.display.language == CHINESE
    shown = window.entry.status.shown_text
    assert "No account" not in shown
    assert "户号" in shown
    click(qtbot, window.top_bar.language_button)
    assert "No account has this number" in window.entry.status.shown_text


@pytest.fixture
def shown_window(qtbot: Any) -> Iterator[KioskWindow]:
    """The window on the reference data a kiosk ships with, for display (no center)."""
    shown = KioskWindow(
        None,
        station_name="钟灵街营业基站",
        help_info=HELP,
        reference=reference_library(load_config()),
    )
    qtbot.addWidget(shown)
    shown.fit(1920, 1080)
    shown.show()
    shown.finish_building()
    yield shown
    shown.teardown()


def test_no_business_guide_claims_an_application_can_be_made_here(
    qtbot: Any, shown_window: KioskWindow
) -> None:
    screen = shown_window.information.guides
    shown_window.start_session()
    shown_window.show_screen(screen.name)
    assert len(screen.choice_buttons) == 6
    for index in range(len(screen.choice_buttons)):
        shown_window.display.set_language(CHINESE)
        click(qtbot, screen.choice_buttons[index])
        where = screen.where.text()
        assert "本机可受理" not in where
        assert "本机暂不能办理申请" in where
        assert any(place in where for place in ("营业厅", "95598", "App"))
        shown_window.display.set_language(ENGLISH)
        where = screen.where.text()
        assert "At this kiosk" not in where
        assert "cannot be made at this kiosk" in where


AIR_CONDITIONERS = {CHINESE: "空调", ENGLISH: "air conditioners"}


def idle_notices(window: KioskWindow) -> list[str]:
    """Every notice the idle screen shows in turn, in the window's language."""
    seen = [window.idle.current_notice]
    for _ in range(10):
        window.idle.next_notice()
        seen.append(window.idle.current_notice)
    return seen


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_the_summer_notice_is_hidden_in_december_and_back_in_july(
    qtbot: Any, language: str
) -> None:
    today = [dt.datetime(2026, 12, 2, 10, 0).astimezone()]
    window = KioskWindow(
        None,
        station_name="钟灵街营业基站",
        help_info=HELP,
        reference=reference_library(load_config()),
        language=language,
        wallclock=lambda: today[0],
    )
    qtbot.addWidget(window)
    window.show()
    december = idle_notices(window)
    assert len(set(december)) == 2  # the welcome and the tiered prices
    assert not any(AIR_CONDITIONERS[language] in notice for notice in december)
    window.finish_building()
    assert not any(AIR_CONDITIONERS[language] in notice for notice in idle_notices(window))
    today[0] = dt.datetime(2027, 7, 1, 10, 0).astimezone()  # the kiosk ran on into summer
    click(qtbot, window.idle)
    window.end_session(EndReason.FINISHED)
    window.display.set_language(language)
    assert any(AIR_CONDITIONERS[language] in notice for notice in idle_notices(window))
    window.teardown()
