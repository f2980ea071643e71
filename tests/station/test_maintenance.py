"""Maintenance mode as a technician and a passer-by meet it, on a whole kiosk: the real drivers
talking to the wire simulators (printer, ID-card reader, scanner), the camera, the real store
and the real center over loopback.

The hidden knock opens it, and nothing else does; wrong PINs lock entry for a while, which runs
out by itself (a restart does not lift it); a technician's card opens it, a resident's does not;
each device's test runs through its simulator; it leaves by itself when untouched; out of
service from here shows the out-of-service screen. Every step is in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from kiosk import log_book
from kiosk.bootstrap import build_maintenance
from kiosk.config import load_config
from kiosk.domain.payment import ReceiptStatus
from kiosk.logging_setup import configure_logging
from tests.support.station import PIN, PREFIX, RESIDENT_CARD, TECHNICIAN_CARD, Station
from tests.support.ui import click


def touch(qtbot: Any, window: Any, x: int, y: int) -> None:
    """A finger at (x, y) of the window: the widget under it gets the touch, as on the panel."""
    target = window.childAt(QPoint(x, y)) or window
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(window, QPoint(x, y)))


def knock(qtbot: Any, window: Any) -> None:
    height, width = window.height(), window.width()
    for _ in range(3):
        touch(qtbot, window, 20, height - 20)
    for _ in range(3):
        touch(qtbot, window, width - 20, height - 20)


def type_pin(qtbot: Any, mode: Any, pin: str) -> None:
    for digit in pin:
        click(qtbot, mode.pin.keypad.digit_keys[digit])
    click(qtbot, mode.pin.keypad.confirm_key)


def enter(qtbot: Any, station: Station) -> Any:
    knock(qtbot, station.window)
    mode = station.mode
    assert mode.isVisible()
    type_pin(qtbot, mode, PIN)
    qtbot.waitUntil(lambda: mode.entered, timeout=5000)
    return mode


# -- the door ------------------------------------------------------------------------------


def test_only_the_whole_knock_opens_maintenance(qtbot: Any, station: Station) -> None:
    window, mode = station.window, station.mode
    height, width = window.height(), window.width()
    # Corners in the wrong order, or one touch short, open nothing and start nothing.
    for x in (20, width - 20, 20, width - 20, 20, width - 20):
        touch(qtbot, window, x, height - 20)
    for _ in range(3):
        touch(qtbot, window, 20, height - 20)
    for _ in range(2):
        touch(qtbot, window, width - 20, height - 20)
    assert not mode.isVisible()
    assert window.navigator.current == "idle" and not window.session.running
    # The knock takes six seconds at most.
    for _ in range(3):
        touch(qtbot, window, 20, height - 20)
    door = station.window._maintenance_door
    door._monotonic = lambda: 10**9  # the second half of the knock comes far too late
    for _ in range(3):
        touch(qtbot, window, width - 20, height - 20)
    assert not mode.isVisible()
    door._monotonic = time.monotonic
    # A touch elsewhere on the idle screen starts a session, as always; no knock then.
    touch(qtbot, window, width // 2, height // 2)
    assert window.session.running
    knock(qtbot, window)
    assert not mode.isVisible()
    window.bottom_bar.finish_button.click()
    knock(qtbot, window)
    assert mode.isVisible() and mode.stack.currentWidget() is mode.pin
    click(qtbot, mode.pin.cancel_button)
    assert not mode.isVisible() and window.navigator.current == "idle"


def test_wrong_pins_lock_entry_for_fifteen_minutes_and_the_lock_runs_out(
    qtbot: Any, station: Station
) -> None:
    window = station.window
    window.display.set_language("zh_CN")  # the technician reads Chinese here
    knock(qtbot, window)
    mode = station.mode
    for left in (4, 3, 2, 1):
        type_pin(qtbot, mode, "1111")
        qtbot.waitUntil(lambda: not mode.pin.status.is_busy, timeout=5000)
        assert f"密码错误。再错 {left} 次" in mode.pin.status.shown_text
    type_pin(qtbot, mode, "2222")
    qtbot.waitUntil(lambda: mode.pin.locked_until is not None, timeout=5000)
    assert not mode.pin.keypad.isEnabled()
    assert mode.pin.locked_until == station.clock.now + dt.timedelta(minutes=15)
    # A technician's card is refused too while the lock holds; the resident's window stays idle.
    station.demo.reader.place(3)
    qtbot.wait(800)
    assert not mode.entered and window.navigator.current == "idle"
    assert not window.session.running
    station.demo.reader.remove()
    # Closed and opened again, or on another desk after a restart: still locked.
    click(qtbot, mode.pin.cancel_button)
    kiosk = station.kiosk
    assert kiosk.fleet is not None
    again = build_maintenance(
        kiosk.config, kiosk.store, kiosk.devices, kiosk.fleet, kiosk.relay, clock=station.clock
    )
    assert again.access.try_pin(PIN).refusal == "locked"
    knock(qtbot, window)
    # The lock is read off the UI thread, then shown with its time.
    qtbot.waitUntil(lambda: "进入已锁定至" in mode.pin.status.shown_text, timeout=5000)
    assert mode.pin.locked_until is not None and not mode.pin.keypad.isEnabled()
    # Fifteen minutes on, the keys come back by themselves and the right PIN opens.
    station.clock.now += dt.timedelta(minutes=15, seconds=1)
    qtbot.waitUntil(mode.pin.keypad.isEnabled, timeout=3000)
    type_pin(qtbot, mode, PIN)
    qtbot.waitUntil(lambda: mode.entered, timeout=5000)
    actions = [action for _, action, _ in station.audit()]
    assert actions.count("entry.refused") == 7  # five PINs; the card and a PIN while locked
    assert actions[-1] == "maintenance.entered"
    details = " ".join(detail for _, _, detail in station.audit())
    assert PIN not in details and "1111" not in details and TECHNICIAN_CARD not in details


def test_a_technicians_card_opens_maintenance_and_a_residents_does_not(
    qtbot: Any, station: Station
) -> None:
    window = station.window
    knock(qtbot, window)
    mode = station.mode
    station.demo.reader.place(0)  # 李秀英, a resident
    qtbot.waitUntil(lambda: "not a technician" in mode.pin.status.shown_text.lower()
                    or "技术" in mode.pin.status.shown_text, timeout=5000)  # fmt: skip
    station.demo.reader.remove()
    qtbot.wait(600)  # the reader sees the card go before the next comes
    station.demo.reader.place(3)
    qtbot.waitUntil(lambda: mode.entered, timeout=5000)
    assert mode.who == "card 3201************10"
    assert mode.who in mode.who_label.text()
    assert window.navigator.current == "idle" and not window.session.running
    [refused, entered] = [entry for entry in station.audit() if entry[0].startswith("card")]
    assert refused[1] == "entry.refused" and entered[1] == "maintenance.entered"
    assert RESIDENT_CARD not in str(station.audit())


def test_maintenance_leaves_by_itself_when_untouched(qtbot: Any, station: Station) -> None:
    mode = enter(qtbot, station)
    mode._idle.setInterval(500)  # the setting's minimum is 30 s
    mode._idle.start()
    qtbot.waitUntil(lambda: not mode.isVisible(), timeout=3000)
    assert station.window.navigator.current == "idle"
    qtbot.waitUntil(lambda: station.audit()[-1][1] == "maintenance.left", timeout=3000)
    assert "untouched" in station.audit()[-1][2]


# -- the devices ---------------------------------------------------------------------------


def test_each_device_is_tested_through_its_simulator(qtbot: Any, station: Station) -> None:
    mode = enter(qtbot, station)
    page = mode.devices_page
    qtbot.waitUntil(lambda: "working" in page.state_text("printer"), timeout=5000)

    click(qtbot, page.test_buttons["printer"])
    qtbot.waitUntil(lambda: page.test_buttons["printer"].isEnabled(), timeout=15000)
    assert "test passed" in page.result.shown_text, page.lines.text()
    assert station.demo.printer.wait_for_receipts(1)
    assert "PRINT TEST" in station.demo.printer.receipts[-1].receipt.text()

    click(qtbot, page.test_buttons["scanner"])
    qtbot.wait(300)
    station.demo.scanner.show(PREFIX + "3201000001")
    qtbot.waitUntil(lambda: page.test_buttons["scanner"].isEnabled(), timeout=15000)
    assert "test passed" in page.result.shown_text
    assert "bill" in page.lines.text()

    click(qtbot, page.test_buttons["idcard"])
    qtbot.wait(300)
    station.demo.reader.place(0)
    qtbot.waitUntil(lambda: page.test_buttons["idcard"].isEnabled(), timeout=15000)
    assert "test passed" in page.result.shown_text
    assert "李*英" in page.lines.text() and "3201************26" in page.lines.text()
    assert RESIDENT_CARD not in page.lines.text()
    # The card was the test's: the resident's window did not start a session with it.
    assert station.window.navigator.current == "idle" and not station.window.session.running
    station.demo.reader.remove()

    click(qtbot, page.test_buttons["camera"])
    qtbot.waitUntil(lambda: not page.picture.pixmap().isNull(), timeout=5000)
    qtbot.waitUntil(lambda: page.test_buttons["camera"].isEnabled(), timeout=15000)
    assert "test passed" in page.result.shown_text, page.lines.text()
    tested = [detail for _, action, detail in station.audit() if action == "device.tested"]
    assert tested == ["printer: passed", "scanner: passed", "idcard: passed", "camera: passed"]


def test_a_printer_fault_shows_live_and_its_test_fails(qtbot: Any, station: Station) -> None:
    mode = enter(qtbot, station)
    page = mode.devices_page
    station.demo.printer.set_state("paper-out")
    qtbot.waitUntil(lambda: "FAULT" in page.state_text("printer"), timeout=8000)
    click(qtbot, page.test_buttons["printer"])
    qtbot.waitUntil(lambda: page.test_buttons["printer"].isEnabled(), timeout=30000)
    assert "test failed" in page.result.shown_text
    station.demo.printer.set_state("normal")
    qtbot.waitUntil(lambda: "working" in page.state_text("printer"), timeout=8000)


# -- the queue and the service -------------------------------------------------------------


def test_the_queue_page_shows_the_queue_and_syncs_now(qtbot: Any, station: Station) -> None:
    mode = enter(qtbot, station)
    click(qtbot, mode.menu_buttons["queue"])
    qtbot.waitUntil(lambda: bool(mode.queue_page.facts.texts()), timeout=5000)
    assert "Events waiting to be sent" in mode.queue_page.facts.texts()  # the station speaks en
    click(qtbot, mode.queue_page.sync_button)
    qtbot.waitUntil(lambda: station.audit()[-1][1] == "sync.asked", timeout=5000)


def test_out_of_service_from_maintenance_and_back(qtbot: Any, station: Station) -> None:
    window = station.window
    mode = enter(qtbot, station)
    click(qtbot, mode.menu_buttons["service"])
    page = mode.service_page
    click(qtbot, page.message_buttons[1])
    click(qtbot, page.out_button)
    qtbot.waitUntil(lambda: page.back_button.isVisible(), timeout=5000)
    click(qtbot, mode.leave_button)
    qtbot.waitUntil(lambda: window.navigator.current == "locked", timeout=5000)
    assert "打印机故障" in window.locked.message_zh.text()
    # The knock works on the out-of-service screen too; back in service, the idle screen.
    mode = enter(qtbot, station)
    click(qtbot, mode.menu_buttons["service"])
    click(qtbot, mode.service_page.back_button)
    qtbot.waitUntil(lambda: mode.service_page.out_button.isVisible(), timeout=5000)
    click(qtbot, mode.leave_button)
    qtbot.waitUntil(lambda: window.navigator.current == "idle", timeout=5000)
    actions = [action for _, action, _ in station.audit()]
    assert "service.out" in actions and "service.back" in actions


def test_restart_asks_for_a_second_touch(qtbot: Any, station: Station) -> None:
    mode = enter(qtbot, station)
    click(qtbot, mode.menu_buttons["service"])
    asked: list[bool] = []
    station.window.sig_restart_asked.connect(lambda: asked.append(True))
    click(qtbot, mode.service_page.restart_button)
    qtbot.wait(200)
    assert asked == []
    click(qtbot, mode.service_page.restart_button)
    qtbot.waitUntil(lambda: asked == [True], timeout=5000)
    assert not mode.isVisible()
    assert "app.restart" in [action for _, action, _ in station.audit()]


def test_the_paper_roll_is_estimated_from_what_was_printed_and_reset_when_replaced(
    qtbot: Any, station: Station
) -> None:
    mode = enter(qtbot, station)
    page = mode.devices_page
    qtbot.waitUntil(lambda: "100 %" in page.paper.text(), timeout=5000)
    for _ in range(2):
        click(qtbot, page.test_buttons["printer"])
        qtbot.waitUntil(lambda: page.test_buttons["printer"].isEnabled(), timeout=15000)
    # Two test pages of some 70 mm from a 5 m roll; the heartbeat carries the estimate too.
    qtbot.waitUntil(lambda: "97 %" in page.paper.text(), timeout=5000)
    assert station.kiosk.fleet is not None
    health = station.kiosk.fleet.health()
    assert health.paper_left_pct == 97 and health.station_id == "xuanwu-xiaolingwei"
    click(qtbot, page.paper_button)
    qtbot.waitUntil(lambda: "100 %" in page.paper.text(), timeout=5000)
    assert station.audit()[-1][1] == "paper.replaced"
    assert station.kiosk.fleet.health().paper_left_pct == 100


def test_the_heartbeat_tells_of_a_session_going_on(qtbot: Any, station: Station) -> None:
    assert station.kiosk.fleet is not None
    assert station.kiosk.fleet.health().session_since is None
    click(qtbot, station.window.idle)
    assert station.kiosk.fleet.health().session_since is not None
    station.window.bottom_bar.finish_button.click()
    qtbot.waitUntil(lambda: station.kiosk.fleet.health().session_since is None, timeout=5000)


@pytest.mark.demo_center
def test_a_receipt_the_printer_failed_is_printed_again_from_maintenance(
    qtbot: Any, station: Station
) -> None:
    """A resident paid while the paper was out: the receipt waits; the technician fits paper
    and prints it again from the payments page."""
    services = station.kiosk.services
    station.demo.printer.set_state("paper-out")
    bill = services.look_up_account("3201000005")
    order = services.order_for_arrears(bill)
    progress = services.pay_by_code(order, "134567890123456789")

    def kept() -> bool:
        now = station.kiosk.payments.progress(progress.payment_id)  # type: ignore[union-attr]
        return now.receipt is ReceiptStatus.WAITING_FOR_REPRINT

    qtbot.waitUntil(kept, timeout=30000)
    mode = enter(qtbot, station)
    click(qtbot, mode.menu_buttons["payments"])
    page = mode.payments_page
    qtbot.waitUntil(lambda: progress.payment_id in page.reprint_buttons, timeout=5000)
    assert not page.settle_button.isVisible()  # nothing unsettled: only the receipt waits
    station.demo.printer.set_state("normal")
    receipts = len(station.demo.printer.receipts)
    click(qtbot, page.reprint_buttons[progress.payment_id])
    qtbot.waitUntil(lambda: page.status.shown_text == "Printed.", timeout=30000)
    assert station.demo.printer.wait_for_receipts(receipts + 1)
    # Never on paper before: the receipt itself, not marked as a reprint.
    printed = station.demo.printer.receipts[-1].receipt.text()
    assert "Payment receipt" in printed and "REPRINT" not in printed
    qtbot.waitUntil(lambda: not page.reprint_buttons, timeout=5000)
    assert page.none.isVisible()
    assert station.audit()[-1][1:] == ("receipt.reprinted", f"{progress.reference}: printed")


def test_the_log_is_shown_masked_and_exported_with_the_audit_trail_to_a_usb_stick(
    qtbot: Any, station: Station, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_dir = station.kiosk.config.kiosk.data_dir / "logs"
    configure_logging(log_dir, console=False)
    try:
        logging.getLogger("kiosk.test").warning("card 320102195203140026 could not be read")
        logging.getLogger("kiosk.test").info("an ordinary day")
        for handler in logging.getLogger().handlers:
            handler.flush()
        mode = enter(qtbot, station)
        click(qtbot, mode.menu_buttons["logs"])
        page = mode.logs_page
        qtbot.waitUntil(lambda: "could not be read" in page.lines.text(), timeout=5000)
        assert "320102195203140026" not in page.lines.text()
        assert "an ordinary day" not in page.lines.text()  # warnings and worse, to begin with
        click(qtbot, page.level_buttons["all"])
        qtbot.waitUntil(lambda: "an ordinary day" in page.lines.text(), timeout=5000)

        click(qtbot, page.export_button)  # no stick yet
        qtbot.waitUntil(lambda: "no USB stick found" in page.status.shown_text, timeout=5000)
        # A stick mounted where the kiosk looks for one (mounting is what cannot run here).
        media = tmp_path / "media"
        stick = media / "KIOSK-USB"
        stick.mkdir(parents=True)
        station.kiosk.maintenance._logs._usb_roots = [media]  # type: ignore[union-attr]
        monkeypatch.setattr(log_book.os.path, "ismount", lambda path: Path(path) == stick)
        click(qtbot, page.export_button)
        qtbot.waitUntil(lambda: "Exported" in page.status.shown_text, timeout=10000)
        [folder] = stick.iterdir()
        names = sorted(path.name for path in folder.iterdir())
        assert names == ["audit.jsonl", "kiosk.jsonl"]
        exported = (folder / "kiosk.jsonl").read_text("utf-8")
        assert "could not be read" in exported and "320102195203140026" not in exported
        trail = [json.loads(line) for line in (folder / "audit.jsonl").read_text().splitlines()]
        # The trail as it stood: the entry, then the first export (no stick); this export is
        # audited once its files are written.
        assert [entry["action"] for entry in trail][-2:] == ["maintenance.entered", "logs.exported"]
        assert "no USB stick found" in trail[-1]["detail"]
        qtbot.waitUntil(lambda: station.audit()[-1][1] == "logs.exported", timeout=5000)
        assert station.audit()[-1][2].startswith("2 files")
    finally:
        configure_logging(None, console=False)
        logging.getLogger().setLevel(logging.WARNING)


def test_settings_are_changed_by_touch_checked_and_kept_for_the_next_start(
    qtbot: Any, station: Station
) -> None:
    mode = enter(qtbot, station)
    click(qtbot, mode.menu_buttons["settings"])
    page = mode.settings_page
    qtbot.waitUntil(lambda: "screen.inactivity_seconds" in page.value_buttons, timeout=5000)
    assert not page.save_button.isEnabled()  # nothing changed yet
    assert page.value_buttons["screen.inactivity_seconds"].text() == "120"
    click(qtbot, page.value_buttons["screen.inactivity_seconds"])  # 120 -> 150
    click(qtbot, page.value_buttons["video.enabled"])  # off (the fixture has it off): on
    click(qtbot, page.value_buttons["screen.language"])  # en -> zh_CN
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: "Saved" in page.status.shown_text, timeout=5000)
    data_dir = station.kiosk.config.kiosk.data_dir
    assert (data_dir / "technician.toml").is_file()
    # The next start reads them; what the command line gives still wins.
    again = load_config(overrides={"kiosk": {"data_dir": str(data_dir)}})
    assert again.screen.inactivity_seconds == 150 and again.screen.language == "zh_CN"
    assert again.video.enabled is True
    assert station.audit()[-1][1] == "settings.changed"
    assert "screen.inactivity_seconds=150" in station.audit()[-1][2]
    # Shown as waiting for the next start, the running kiosk unchanged.
    qtbot.waitUntil(lambda: page.value_buttons["screen.inactivity_seconds"].text() == "150",
                    timeout=5000)  # fmt: skip
    assert station.kiosk.config.screen.inactivity_seconds == 120
    desk = station.kiosk.maintenance
    assert desk is not None
    refused = desk.change_settings("technician", {"screen.inactivity_seconds": 5})
    assert refused is not None and "30" in refused
    assert desk.change_settings("technician", {"center.url": "http://evil"}) is not None
    assert load_config(overrides={"kiosk": {"data_dir": str(data_dir)}}).center.url != "http://evil"
    assert station.audit()[-1][1] == "settings.refused"
