"""Demo mode as `kiosk --demo` runs it: the embedded center, and the real drivers talking to
wire-level simulators on pseudo-terminals, driven by the simulator panel's hands."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.contracts import DeviceState, PrinterStatus
from kiosk.app import RunningKiosk
from kiosk.config import load_config
from kiosk.domain.payment import Outcome
from kiosk.logging_setup import configure_logging

PREFIX = "https://95598.js.sgcc.local/bill/"


@pytest.fixture
def demo(qtbot: Any, tmp_path: Path) -> Iterator[RunningKiosk]:
    running = RunningKiosk(load_config(), demo=True)
    qtbot.addWidget(running.window)
    qtbot.waitUntil(lambda: running.services.ready and bool(running.panels), timeout=30_000)
    yield running
    running.stop()
    configure_logging(None, console=False)
    logging.getLogger().setLevel(logging.WARNING)


def test_demo_runs_the_real_drivers_on_simulators(qtbot: Any, demo: RunningKiosk) -> None:
    kiosk = demo.backend.kiosk
    assert kiosk is not None
    drivers = {kind: type(device).__name__ for kind, device in kiosk.devices.items()}
    assert drivers == {
        "printer": "EscPosPrinter",
        "idcard": "SamSerialIdCardReader",
        "scanner": "SerialScanner",
        "camera": "OpenCvCamera",
    }
    for device in kiosk.devices.values():
        qtbot.waitUntil(lambda d=device: d.state is DeviceState.ENABLED, timeout=5_000)

    panel, window = demo.panels[0], demo.window
    panel.buttons["Bill QR 3201000005"].click()
    qtbot.waitUntil(lambda: window.navigator.current == "bill", timeout=10_000)
    assert window.bill.bill.account.number == "3201000005"

    panel.deck.setCurrentIndex(panel.deck.findData("320113195907050036"))
    panel.buttons["Place card on reader"].click()
    qtbot.waitUntil(lambda: window.navigator.current == "account_choice", timeout=10_000)
    assert len(window.choice.choice_buttons) == 3
    panel.buttons["Take card away"].click()

    printer = kiosk.devices["printer"]
    panel.buttons["Paper out"].click()
    qtbot.waitUntil(lambda: printer.status is PrinterStatus.PAPER_OUT, timeout=10_000)
    panel.buttons["Back to normal"].click()
    qtbot.waitUntil(lambda: printer.status is PrinterStatus.ONLINE, timeout=10_000)

    # The demo phone pays the QR the kiosk shows, through the embedded center's wallets.
    panel.buttons["Pay the QR on screen with the phone"].click()
    assert "no payment QR" in panel.last_action.text()
    window.bill.pay_button.click()
    window.paying.method.wechat_button.click()
    qtbot.waitUntil(lambda: window.paying.qr.code_shown is not None, timeout=10_000)
    panel.buttons["Pay the QR on screen with the phone"].click()
    qtbot.waitUntil(lambda: window.navigator.current == "payment_result", timeout=15_000)
    assert window.paying.result.outcome is Outcome.PAID


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its parent's wait is missing


def test_a_kiosk_killed_outright_takes_its_embedded_center_with_it(tmp_path: Path) -> None:
    kiosk_side = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from kiosk.embedded_center import EmbeddedCenter\n"
        "center = EmbeddedCenter(Path(sys.argv[1])).start()\n"
        "print(center.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", kiosk_side, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        center_pid = int(parent.stdout.readline())
        assert _running(center_pid)
        parent.kill()  # SIGKILL: no clean-up code of the kiosk runs
        parent.wait(10)
        deadline = time.monotonic() + 15
        while _running(center_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(center_pid)
    finally:
        parent.kill()
        parent.wait(10)
        parent.stdout.close()
