"""Fixtures for the resident's screen: a window on the real services, the real store (SQLite in
tmp_path) and the real center over loopback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.services import KioskServices
from kiosk.store import Store
from kiosk.ui.local_text import HelpInfo
from sync.client import CenterClient
from sync.protocol import EventEnvelope
from sync.queue import next_batch

BILL_QR_PREFIX = "https://95598.js.sgcc.local/bill/"
DEMO_ACCOUNT = "3201000001"
HELP = HelpInfo(
    hotline="95598",
    hall={
        "zh": "玄武供电营业厅（玄武区中山路 1 号）",
        "en": "Xuanwu service hall, 1 Zhongshan Road",
    },
    hours={"zh": "每天 8:30-17:30", "en": "Every day, 8:30-17:30"},
)
NOTICES = [
    {
        "zh": "11 月 28 日 9:00-12:00 钟灵街计划停电检修。",
        "en": "Planned outage on Zhongling St., 28 Nov 9:00-12:00.",
    },
    {"zh": "请勿向陌生人透露缴费码。", "en": "Never show your payment code to strangers."},
]


def make_services(
    center_url: str, store: Store, timeout: float = 8.0, printer: Any = None, camera: Any = None
) -> KioskServices:
    """The real services; payments use the shortened rules and `printer` (None: no printer);
    business prints its slips there too and photographs with `camera` (None: no camera)."""
    from kiosk.services.business import BusinessDesk
    from kiosk.services.history import HistoryDesk
    from tests.support.paying import make_payments

    client = CenterClient(center_url, "kiosk-ui-test", timeout=timeout)
    payments = make_payments(client, store, printer, kiosk_id="kiosk-ui-test")
    return KioskServices(
        client,
        store.unit_of_work,
        kiosk_id="kiosk-ui-test",
        bill_qr_prefix=BILL_QR_PREFIX,
        payments=payments,
        business=BusinessDesk(
            client,
            store.unit_of_work,
            kiosk_id="kiosk-ui-test",
            station_id="xuanwu-xiaolingwei",
            print_slip=payments.print_slip,
        ),
        history=HistoryDesk(client, print_paper=payments.print_slip),
        camera=camera,
    )


def queued_events(store: Store, sealing: Any = None) -> list[EventEnvelope]:
    """What waits in the store's outbox for the center (`sealing`: opens sealed ones)."""
    with store.engine.connect() as connection:
        return next_batch(connection, sealing=sealing)


@pytest.fixture
def make_window(qtbot: Any, store: Store) -> Iterator[Callable[..., Any]]:
    """make_window(center_url, size=(1920, 1080), **KioskWindow options) -> a shown KioskWindow."""
    from kiosk.ui.main_window import KioskWindow

    made: list[KioskServices] = []

    def make(center_url: str, size: tuple[int, int] = (1920, 1080), **options: Any) -> KioskWindow:
        services = make_services(
            center_url,
            store,
            timeout=options.pop("client_timeout", 8.0),
            printer=options.pop("printer", None),
            camera=options.pop("camera", None),
        )
        made.append(services)
        options.setdefault("station_name", "钟灵街营业基站")
        options.setdefault("help_info", HELP)
        options.setdefault("notices", NOTICES)
        window = KioskWindow(services, **options)
        qtbot.addWidget(window)
        window.fit(*size)
        window.show()
        return window

    yield make
    for services in made:
        if services.payments is not None:
            services.payments.stop()


def fixed_clock(start: dt.datetime) -> Callable[[], dt.datetime]:
    return lambda: start


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_number(qtbot: Any, window: Any, number: str) -> None:
    """Touch these digits on the account entry's keypad."""
    for digit in number:
        click(qtbot, window.entry.keypad.digit_keys[digit])


def open_bill(qtbot: Any, window: Any, number: str) -> None:
    """From the idle screen, as a resident does: Bills, the number, Confirm, then the bill."""
    click(qtbot, window.idle)
    click(qtbot, window.home.bills_tile)
    type_number(qtbot, window, number)
    click(qtbot, window.entry.keypad.confirm_key)
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=5000)
