"""Services withdrawn one by one when the device they need fails, said plainly, and back by
themselves when it recovers; when nothing works, the idle screen sends residents to the staffed
hall. On a whole kiosk: the real drivers on the wire simulators, the real center behind a proxy
that can cut the link (tests/support/station.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage

from center.staff.accounts import Role
from tests.integration.test_staff_console import csrf_of, sign_in, staff
from tests.support.station import Station
from tests.support.ui import click


def _home(qtbot: Any, station: Station) -> Any:
    window = station.window
    window.finish_building()
    click(qtbot, window.idle)
    assert window.navigator.current == "home"
    return window.home


def test_a_printer_failure_limits_paying_and_withdraws_reprints_until_it_recovers(
    qtbot: Any, station: Station
) -> None:
    window = station.window
    home = _home(qtbot, station)
    qtbot.waitUntil(lambda: home.bills_tile.isVisible(), timeout=5000)
    assert not home.withdrawn.isVisible()

    station.demo.printer.set_state("paper-out")
    qtbot.waitUntil(home.withdrawn.isVisible, timeout=8000)
    assert "e-invoice" in home.withdrawn.text()
    assert home.bills_tile.isVisible()  # paying still works: the receipt is on the screen
    assert home.business_tile.isVisible()

    # Offline as well: reprints would be offered, but not without paper; nothing works.
    station.link.refuse()
    qtbot.waitUntil(lambda: not home.bills_tile.isVisible(), timeout=8000)
    assert not home.receipts_tile.isVisible()
    assert "Reprinting receipts is not available now" in home.withdrawn.text()
    window.bottom_bar.finish_button.click()
    idle = window.idle
    assert window.navigator.current == "idle"
    assert idle.elsewhere.isVisible() and "95598" in idle.elsewhere.text()
    assert not idle.offline.isVisible()

    # The paper is back: the reprints are offered again, and the idle screen is itself again.
    station.demo.printer.set_state("normal")
    qtbot.waitUntil(lambda: not idle.elsewhere.isVisible(), timeout=8000)
    assert idle.offline.isVisible()
    click(qtbot, idle)
    qtbot.waitUntil(home.receipts_tile.isVisible, timeout=5000)
    assert not home.withdrawn.isVisible()
    station.link.clear()
    qtbot.waitUntil(home.bills_tile.isVisible, timeout=8000)
    assert not home.receipts_tile.isVisible()  # online, reprints are reached from the bill


def test_a_card_reader_unplugged_withdraws_business_and_it_comes_back(
    qtbot: Any, station: Station
) -> None:
    home = _home(qtbot, station)
    qtbot.waitUntil(home.business_tile.isVisible, timeout=5000)
    station.demo.reader.unplug()
    qtbot.waitUntil(lambda: not home.business_tile.isVisible(), timeout=10000)
    assert "ID card reader is out of order" in home.withdrawn.text()
    assert home.bills_tile.isVisible()
    station.demo.reader.plug()
    qtbot.waitUntil(home.business_tile.isVisible, timeout=15000)
    assert not home.withdrawn.isVisible()


def test_a_scanner_failure_leaves_paying_by_the_qr_on_screen(qtbot: Any, station: Station) -> None:
    window = station.window
    home = _home(qtbot, station)
    method = window.later().paying.method
    station.demo.scanner.unplug()
    qtbot.waitUntil(home.withdrawn.isVisible, timeout=10000)
    assert "scanning the QR code on the screen" in home.withdrawn.text()
    assert not method.offers_payment_code  # the QR on the screen only
    station.demo.scanner.plug_in()
    qtbot.waitUntil(lambda: not home.withdrawn.isVisible(), timeout=15000)
    assert method.offers_payment_code


def test_a_lock_from_the_console_puts_the_kiosk_out_of_service_and_back(
    qtbot: Any, station: Station
) -> None:
    window = station.window
    staff(station.center, "op1", Role.OPERATOR)
    operator = sign_in(station.center, "op1")
    kiosk_id = station.kiosk.config.kiosk.id
    url = f"{station.center.url}/staff/kiosks/{kiosk_id}"

    def send(kind: str, **messages: str) -> None:
        csrf = csrf_of(operator.get(url, timeout=10))
        answer = operator.post(f"{url}/commands", data={"csrf": csrf, "kind": kind, **messages},
                               timeout=10, allow_redirects=False)  # fmt: skip
        assert answer.status_code == 303, answer.text[:300]

    assert station.kiosk.fleet is not None
    station.kiosk.fleet.heartbeat.beat_now()
    qtbot.waitUntil(lambda: operator.get(url, timeout=10).status_code == 200, timeout=10000)
    click(qtbot, window.idle)  # a resident is in a session: the lock ends it
    assert window.session.running
    send("lock", message_zh="线路检修，暂停服务", message_en="Line maintenance")
    station.kiosk.fleet.heartbeat.beat_now()
    qtbot.waitUntil(lambda: window.navigator.current == "locked", timeout=10000)
    assert not window.session.running
    assert window.locked.message_zh.text() == "线路检修，暂停服务"
    click(qtbot, window.locked)
    assert window.navigator.current == "locked"  # no way past it on the screen
    send("unlock")
    station.kiosk.fleet.heartbeat.beat_now()
    qtbot.waitUntil(lambda: window.navigator.current == "idle", timeout=10000)


def test_a_screenshot_on_demand_blurs_a_residents_session(qtbot: Any, station: Station) -> None:
    window = station.window
    staff(station.center, "op1", Role.OPERATOR)
    operator = sign_in(station.center, "op1")
    kiosk_id = station.kiosk.config.kiosk.id
    url = f"{station.center.url}/staff/kiosks/{kiosk_id}"
    assert station.kiosk.fleet is not None
    station.kiosk.fleet.heartbeat.beat_now()
    qtbot.waitUntil(lambda: operator.get(url, timeout=10).status_code == 200, timeout=10000)

    def shot() -> QImage:
        csrf = csrf_of(operator.get(url, timeout=10))
        sent = operator.post(f"{url}/commands", data={"csrf": csrf, "kind": "screenshot"},
                             timeout=10, allow_redirects=False)  # fmt: skip
        assert sent.status_code == 303
        before = operator.get(f"{url}/screenshot", timeout=10).content
        station.kiosk.fleet.heartbeat.beat_now()

        def arrived() -> bool:
            got = operator.get(f"{url}/screenshot", timeout=10)
            return got.status_code == 200 and got.content != before

        qtbot.waitUntil(arrived, timeout=10000)
        return QImage.fromData(operator.get(f"{url}/screenshot", timeout=10).content)

    idle = shot()
    assert (idle.width(), idle.height()) == (1920, 1080)
    assert "居民办理中" not in operator.get(url, timeout=10).text
    click(qtbot, window.idle)
    click(qtbot, window.home.bills_tile)  # an account number being typed
    for digit in "3201000005":
        click(qtbot, window.entry.keypad.digit_keys[digit])
    busy = shot()
    assert "居民办理中：屏幕内容已模糊处理" in operator.get(url, timeout=10).text
    # Between the bars the picture has no detail left: neighbouring pixels barely differ.
    middle = busy.copy(200, 300, 400, 300)
    edges = sum(
        abs(middle.pixelColor(x, y).lightness() - middle.pixelColor(x + 1, y).lightness())
        for x in range(0, 398, 3) for y in range(0, 300, 7)
    )  # fmt: skip
    idle_middle = idle.copy(200, 300, 400, 300)
    idle_edges = sum(
        abs(idle_middle.pixelColor(x, y).lightness() - idle_middle.pixelColor(x + 1, y).lightness())
        for x in range(0, 398, 3) for y in range(0, 300, 7)
    )  # fmt: skip
    assert edges < idle_edges / 3, (edges, idle_edges)
