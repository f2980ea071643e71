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
from tests.support.screen_text import chinese_in, visible_texts
from tests.support.ui import HELP, click, open_bill, type_number

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


def test_every_business_guide_says_it_can_be_done_here_and_elsewhere(
    qtbot: Any, shown_window: KioskWindow
) -> None:
    """Each business in the guides is offered at this kiosk (the business menu has all eight),
    and the guide names another way too: the hall or the hotline."""
    screen = shown_window.information.guides
    shown_window.start_session()
    shown_window.show_screen(screen.name)
    assert len(screen.choice_buttons) == 8
    for index in range(len(screen.choice_buttons)):
        shown_window.display.set_language(CHINESE)
        click(qtbot, screen.choice_buttons[index])
        where = screen.where.text()
        assert "本机" in where and "暂不能" not in where
        assert any(place in where for place in ("营业厅", "95598"))
        assert screen.cost.text()
        shown_window.display.set_language(ENGLISH)
        where = screen.where.text()
        assert "this kiosk" in where and "cannot" not in where


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


WATER_ACCOUNT = "5101000001"  # 张秀英's water account in the center's demo data
STATION = {"zh": "钟灵街营业基站", "en": "Zhonglingjie Business Base Station"}
WATER_WORDS = {
    CHINESE: ("用水地址", "用水量", "预存水费"),
    ENGLISH: ("Water supply address", "Water used", "Prepay water"),
}
ELECTRICITY_WORDS = {
    CHINESE: ("用电地址", "用电量", "电费", "无卡购电"),
    ENGLISH: ("Electricity", "Supply address"),
}


def bill_texts(window: KioskWindow) -> str:
    screen = window.bill
    return "\n".join(
        [
            *visible_texts(screen),
            *(item.text() for c in range(4) if (item := screen.tiers.horizontalHeaderItem(c))),
            screen.prepay_button.text(),
        ]
    )


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_a_water_account_speaks_of_water_and_cubic_metres_on_screen(
    qtbot: Any, make_window: Any, running_center: Any, language: str
) -> None:
    window = make_window(running_center.url, language=language)
    open_bill(qtbot, window, WATER_ACCOUNT)
    shown = bill_texts(window)
    for words in WATER_WORDS[language]:
        assert words in shown
    assert "m³" in shown and "kWh" not in shown and "m3" not in shown
    for words in ELECTRICITY_WORDS[language]:
        assert words not in shown
    window.display.toggle_language()  # the words follow a switch too
    other = ENGLISH if language == CHINESE else CHINESE
    qtbot.waitUntil(lambda: WATER_WORDS[other][0] in bill_texts(window), timeout=2000)


def test_a_water_prepayment_prints_water_words_on_the_receipt(
    qtbot: Any, make_window: Any, start_center: Any, sim_scanner: Any
) -> None:
    from drivers.printer.simulator import PrinterSimulator
    from drivers.registry import load_driver
    from tests.support.paying import wallets_will

    paper = PrinterSimulator().start()
    printer = load_driver("printer", "escpos", {"url": f"serial://{paper.path}?baud=115200"})
    printer.open()
    printer.enable()
    devices = DeviceSignals()
    devices.attach_scanner(sim_scanner)
    try:
        center = start_center()
        window = make_window(center.url, devices=devices, language=CHINESE, printer=printer)
        open_bill(qtbot, window, WATER_ACCOUNT)
        qtbot.waitUntil(lambda: window.bill.prepay_button.isVisible(), timeout=5000)
        assert window.bill.prepay_button.text() == "预存水费"
        click(qtbot, window.bill.prepay_button)
        click(qtbot, window.paying.amount.quick_buttons[0])
        assert "预存水费" in window.paying.method.summary_texts()
        wallets_will(center, "success")
        click(qtbot, window.paying.method.code_button)
        sim_scanner.show_code("134000000000000002")
        qtbot.waitUntil(lambda: window.navigator.current == "payment_result", timeout=20000)
        qtbot.waitUntil(lambda: bool(paper.receipts), timeout=20000)
        printed = paper.receipts[0].receipt.text()
        assert "水费缴费凭证" in printed and "预存水费 Prepay water" in printed
        assert "电" not in printed.replace("电子发票", "")  # the e-invoice is no electricity
    finally:
        devices.detach_all()
        printer.close()
        paper.stop()


def test_english_screens_show_no_chinese_but_the_residents_own_names(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    window = make_window(running_center.url, language=ENGLISH, station_name=STATION)
    back_to_chinese = ("中文",)
    assert chinese_in(window, back_to_chinese) == []  # idle
    assert window.top_bar.station_label.text() == STATION["en"]
    click(qtbot, window.idle)
    assert chinese_in(window, back_to_chinese) == []  # home
    click(qtbot, window.home.bills_tile)
    assert chinese_in(window, back_to_chinese) == []  # account entry
    open_bill_here(qtbot, window, "3201000001")
    account = window.bill.bill.account
    names = (*back_to_chinese, account.holder_name_masked, account.address_masked)
    assert chinese_in(window, names) == []
    click(qtbot, window.bill.prepay_button)
    assert chinese_in(window, names) == []  # how much to prepay
    click(qtbot, window.paying.amount.quick_buttons[0])
    assert chinese_in(window, names) == []  # the order, before paying
    click(qtbot, window.paying.method.code_button)
    assert chinese_in(window, names) == []  # show your payment code
    click(qtbot, window.top_bar.language_button)
    assert window.top_bar.station_label.text() == STATION["zh"]
    assert chinese_in(window, names) != []  # the checker sees Chinese when it is there


def open_bill_here(qtbot: Any, window: KioskWindow, number: str) -> None:
    type_number(qtbot, window, number)
    click(qtbot, window.entry.keypad.confirm_key)
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=5000)


@pytest.mark.parametrize(("size", "large"), [((1920, 1080), False), ((1080, 1920), True)])
def test_english_guide_names_are_whole_on_their_buttons(
    qtbot: Any, shown_window: KioskWindow, size: tuple[int, int], large: bool
) -> None:
    screen = shown_window.information.guides
    shown_window.fit(*size)
    shown_window.display.set_large_text(large)
    shown_window.start_session()
    shown_window.show_screen(screen.name)
    shown_window.display.set_language(ENGLISH)
    qtbot.waitUntil(lambda: screen.choice_buttons[0].width() > 0, timeout=2000)
    assert "Change of account holder" in [b.name.removeprefix("▶ ") for b in screen.choice_buttons]
    for choice in screen.choice_buttons:
        lines = choice.text().split("\n")
        assert " ".join(lines) == choice.name  # every word is there, only broken into lines
        metrics = choice.fontMetrics()
        assert all(metrics.horizontalAdvance(line) <= choice.room() for line in lines), lines
