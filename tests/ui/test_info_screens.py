"""The information screens, the offline card and hidden payments, the center's lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from kiosk.config import load_config
from kiosk.domain.connectivity import LinkRules
from kiosk.reference_setup import reference_library
from kiosk.services import KioskServices
from kiosk.services.connectivity import Connectivity
from kiosk.services.reference import ReferenceLibrary
from kiosk.services.remote_commands import LockState
from kiosk.store import Store
from kiosk.ui.formats import money
from kiosk.ui.local_text import ENGLISH
from kiosk.ui.main_window import KioskWindow
from rules.tariff import amount_of, split_into_tiers
from sync.client import CenterClient
from tests.support.center import RunningCenter
from tests.support.fault_proxy import FaultProxy
from tests.support.ui import BILL_QR_PREFIX, HELP, NOTICES, click


@pytest.fixture
def library() -> ReferenceLibrary:
    return reference_library(load_config())


@pytest.fixture
def window(qtbot: Any, library: ReferenceLibrary) -> Iterator[KioskWindow]:
    shown = KioskWindow(None, station_name="钟灵街营业基站", help_info=HELP, reference=library)
    qtbot.addWidget(shown)
    shown.fit(1920, 1080)
    shown.show()
    shown.finish_building()
    yield shown
    shown.teardown()


def test_the_home_tile_leads_to_every_information_screen(qtbot: Any, window: KioskWindow) -> None:
    window.start_session()
    click(qtbot, window.home.info_tile)
    assert window.navigator.current == "info"
    for name, tile in window.information.menu.tiles.items():
        click(qtbot, tile)
        assert window.navigator.current == name
        window.back()
        assert window.navigator.current == "info"
    assert window.information.advice.card_titles[0] == "空调"
    assert len(window.information.commitments.card_titles) >= 5


def test_the_calculator_prices_a_year_as_the_bills_do(
    qtbot: Any, window: KioskWindow, library: ReferenceLibrary
) -> None:
    screen = window.information.prices
    window.start_session()
    window.show_screen(screen.name)
    for digit in "5000":
        click(qtbot, screen.keypad.digit_keys[digit])
    click(qtbot, screen.keypad.confirm_key)
    _info, tariff = library.electricity_tariff()
    expected = split_into_tiers(Decimal(5000), Decimal(0), tariff)
    assert screen.charges == expected
    assert [c.tier for c in expected] == [1, 2, 3]  # 5000 kWh reaches the third tier
    shown = screen.result_facts.texts()
    assert money(amount_of(expected)) in shown
    assert "¥0.8283" in " ".join(screen.tier_facts.texts())
    click(qtbot, screen.keypad.delete_key)
    assert screen.charges == [] and screen.annual_kwh == Decimal(500)
    window.end_session(window_end_reason())
    assert screen.annual_kwh is None  # wiped with the session


def window_end_reason() -> Any:
    from kiosk.domain.session import EndReason

    return EndReason.FINISHED


def test_business_guides_say_what_to_bring_and_how_long_in_both_languages(
    qtbot: Any, window: KioskWindow
) -> None:
    screen = window.information.guides
    window.start_session()
    window.show_screen(screen.name)
    names = [choice.text().removeprefix("▶ ") for choice in screen.choice_buttons]
    assert names == [
        "更名过户", "一户多人口", "增容", "电能表校验", "充电桩报装", "分布式光伏", "实名制登记",
        "故障报修",
    ]  # fmt: skip
    click(qtbot, screen.choice_buttons[3])
    assert screen.guide_name.text() == "电能表校验"
    assert "5个工作日" in screen.time.text()
    assert "身份证" in screen.documents.text()
    assert "本机" in screen.where.text() and screen.cost.text() == "免费。"
    window.display.set_language(ENGLISH)
    assert screen.guide_name.text() == "Meter accuracy check"
    assert screen.documents_heading.text() == "What to bring:"
    assert screen.cost_heading.text() == "What it costs:" and screen.cost.text() == "Free."


def test_new_reference_data_reaches_the_screens(qtbot: Any, window: KioskWindow) -> None:
    library = window.information.library
    notices = {"notices": [{"id": "n1", "text": {"zh": "明天停电。", "en": "Outage tomorrow."}}]}
    settings = {
        "inactivity_seconds": 60,
        "warning_seconds": 30,
        "prepay_min": "10.00",
        "prepay_max": "500.00",
        "services": {"payments": False, "information": False},
    }
    stored = {"notices": notices, "settings": settings}
    library.attach(lambda kind: stored.get(kind.value))  # as the store answers after a pull
    qtbot.waitUntil(lambda: window.idle.current_notice == "明天停电。", timeout=3000)
    assert window.home.info_tile.isHidden()
    window.bill.set_actions(Decimal("12.00"), prepay=True, reprint=True)
    assert window.bill.pay_button.isHidden() and window.bill.prepay_button.isHidden()
    assert not window.bill.reprint_button.isHidden()  # this kiosk's receipts need no wallet
    window.start_session()
    assert window.session.timeout_s == 60


def test_offline_is_said_plainly_and_payments_hide_until_the_center_is_back(
    qtbot: Any,
    start_center: Callable[..., RunningCenter],
    store: Store,
    library: ReferenceLibrary,
) -> None:
    center = start_center(demo_data=False)
    with FaultProxy(center.url, seed=3) as proxy, CenterClient(proxy.url, "k", timeout=1) as client:
        link = Connectivity(client.health, LinkRules(idle_probe_s=0.1, quick_probe_s=0.1))
        services = KioskServices(
            client,
            store.unit_of_work,
            kiosk_id="kiosk-info-test",
            bill_qr_prefix=BILL_QR_PREFIX,
            connectivity=link,
            reference=library,
        )
        window = KioskWindow(services, station_name="站", help_info=HELP, notices=NOTICES)
        qtbot.addWidget(window)
        window.fit(1920, 1080)
        window.show()
        window.finish_building()
        window.bill.set_actions(Decimal("12.00"), prepay=True, reprint=False)
        link.start()
        try:
            assert window.center.online and window.idle.offline.isHidden()
            proxy.refuse()
            qtbot.waitUntil(lambda: not window.center.online, timeout=5000)
            assert not window.idle.offline.isHidden()
            assert "支付宝缴费暂时无法使用" in window.home.offline.text.text()
            assert window.home.bills_tile.isHidden() and not window.home.info_tile.isHidden()
            assert window.bill.pay_button.isHidden() and window.bill.prepay_button.isHidden()
            # What works offline still does: the price calculator from the kept tariff.
            window.start_session()
            window.show_screen(window.information.prices.name)
            window.information.prices.type_digit("9")
            window.information.prices.calculate()
            assert window.information.prices.charges
            proxy.listen()
            qtbot.waitUntil(lambda: window.center.online, timeout=5000)
            assert window.home.offline.isHidden() and not window.home.bills_tile.isHidden()
            assert not window.bill.pay_button.isHidden()
        finally:
            link.stop()
            window.teardown()


def test_a_lock_from_the_center_leaves_no_way_past_it_but_unlock(
    qtbot: Any, window: KioskWindow
) -> None:
    window.start_session()
    window.show_screen("info")
    lock = LockState(
        "暂停服务，请到营业厅。", "Closed: please visit the hall.", dt.datetime.now(dt.UTC)
    )
    window.lock_guard.set_state(lock)
    assert window.navigator.current == "locked" and not window.session.running
    assert window.locked.message_en.text() == "Closed: please visit the hall."
    assert "95598" in window.locked.hotline.text()
    click(qtbot, window.locked)
    window.start_session()
    window.show_screen("home")
    assert window.navigator.current == "locked" and not window.session.running
    assert not window.bottom_bar.isVisible()
    window.lock_guard.set_state(None)
    assert window.navigator.current == "idle"
    window.start_session()
    assert window.navigator.current == "home"
