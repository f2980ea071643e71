"""The whole kiosk as `kiosk` runs it (window first, back end behind it), on the real center,
driven by the simulated devices and a resident's touches."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import create_engine, select

from center.database import ReceivedEventRow
from kiosk.app import RunningKiosk
from kiosk.config import load_config
from kiosk.logging_setup import configure_logging

PREFIX = "https://95598.js.sgcc.local/bill/"


@pytest.fixture
def running_kiosk(qtbot: Any, running_center: Any, tmp_path: Path) -> Iterator[RunningKiosk]:
    config = load_config(
        overrides={
            "kiosk": {"id": "e2e-kiosk", "data_dir": str(tmp_path / "kiosk")},
            "center": {"url": running_center.url, "timeout_seconds": 5},
        }
    )
    running = RunningKiosk(config, demo=False)
    qtbot.addWidget(running.window)
    qtbot.waitUntil(lambda: running.services.ready, timeout=20_000)
    yield running
    running.stop()
    configure_logging(None, console=False)
    logging.getLogger().setLevel(logging.WARNING)


def test_a_bill_qr_shown_to_the_scanner_opens_the_bill(qtbot: Any, running_kiosk) -> None:
    window = running_kiosk.window
    scanner = running_kiosk.backend.kiosk.devices["scanner"]
    scanner.show_code(PREFIX + "3201000005")
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=10_000)
    assert window.bill.bill.account.number == "3201000005"
    assert "3201 0000 05" in window.bill.account_facts.texts()


def test_an_id_card_lists_its_owners_accounts(qtbot: Any, running_kiosk) -> None:
    window = running_kiosk.window
    reader = running_kiosk.backend.kiosk.devices["idcard"]
    reader.present("320113195907050036")
    qtbot.waitUntil(lambda: window.navigator.current == "account_choice", timeout=10_000)
    shown = " ".join(choice.text() for choice in window.choice.choice_buttons)
    for number in ("3201 0000 03", "3201 0000 04", "6101 0000 01"):
        assert number in shown
    assert "320113195907050036" not in shown
    # Nothing the card carried reached the log in full.
    log_text = (running_kiosk.config.kiosk.data_dir / "logs" / "kiosk.jsonl").read_text("utf-8")
    assert "kiosk ready" in log_text
    for secret in ("320113195907050036", "陈建国", "尧新大道"):
        assert secret not in log_text
    # The session ends: what was shown is wiped, and the card still on the reader is asked for.
    qtbot.mouseClick(window.bottom_bar.finish_button, Qt.MouseButton.LeftButton)
    assert window.navigator.current == "take_card"
    assert window.choice.choice_buttons == []
    reader.remove()
    qtbot.waitUntil(lambda: window.navigator.current == "idle", timeout=10_000)


def test_a_finished_session_reaches_the_center(qtbot: Any, running_kiosk, running_center) -> None:
    window = running_kiosk.window
    qtbot.mouseClick(window.idle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.navigator.current == "home", timeout=5_000)
    qtbot.mouseClick(window.bottom_bar.finish_button, Qt.MouseButton.LeftButton)
    assert window.navigator.current == "idle"
    engine = create_engine(running_center.db_url)

    def delivered() -> list[ReceivedEventRow]:
        with engine.connect() as connection:
            rows = connection.execute(
                select(ReceivedEventRow.type).where(ReceivedEventRow.kiosk_id == "e2e-kiosk")
            ).all()
        return [row.type for row in rows]

    qtbot.waitUntil(lambda: "session.ended" in delivered(), timeout=10_000)
    engine.dispose()
