"""The kiosk under its service manager, with the shipped unit's settings (tests/support/
service_supervisor.py plays systemd's part): it says it is ready once its window is up and pings
while its UI thread turns; killed, it is started again and is ready again; with its UI thread
hung, the pings stop, the watchdog aborts it (the stacks of every thread written first, for the
journal) and it is started again; a kiosk that cannot start stops being restarted after the start
limit, and the out-of-service screen that takes over stays up, even with the configuration
that broke the kiosk.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.support.center import RunningCenter
from tests.support.service_supervisor import Supervisor, kiosk_command
from tests.support.site_file import write_site_file

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


@pytest.fixture
def site(tmp_path: Path, running_center: RunningCenter) -> Path:
    return write_site_file(tmp_path, "watchdog-kiosk", running_center.url)


def hangable(site: Path) -> list[str]:
    return [sys.executable, "-m", "tests.support.hangable_kiosk", "--config", str(site)]


def test_a_killed_kiosk_is_started_again_and_ready_again(tmp_path: Path, site: Path) -> None:
    with Supervisor(hangable(site), ENV, tmp_path) as manager:
        first = manager.wait_for("ready")
        # Alive for longer than a watchdog period: the UI thread's pings keep it so.
        time.sleep(manager.settings.watchdog_s * 1.5)
        assert not manager.happened("watchdog")
        killed = time.monotonic()
        os.kill(first.pid, signal.SIGKILL)
        assert manager.wait_for("exited").detail == str(-signal.SIGKILL)
        again = manager.wait_for("ready", 2)
        assert again.pid != first.pid  # a new process, on the same store and data folder
        print(f"killed to ready again: {again.at - killed:.2f} s")
        time.sleep(manager.settings.watchdog_s * 1.5)
        assert not manager.happened("watchdog")


def test_a_hung_ui_thread_is_caught_by_the_watchdog(tmp_path: Path, site: Path) -> None:
    with Supervisor(hangable(site), ENV, tmp_path) as manager:
        first = manager.wait_for("ready")
        hung = time.monotonic()
        os.kill(first.pid, signal.SIGUSR1)  # the UI thread sleeps; the back end goes on
        acted = manager.wait_for("watchdog", timeout=manager.settings.watchdog_s + 10)
        assert acted.pid == first.pid
        assert manager.wait_for("exited").detail == str(-signal.SIGABRT)
        # What the journal would hold: the hung thread's stack, down to where it waits.
        stacks = manager.stderr_files[0].read_text("utf-8", "replace")
        assert "Fatal Python error: Aborted" in stacks
        assert "hangable_kiosk.py" in stacks and "in hang" in stacks
        again = manager.wait_for("ready", 2)
        assert again.pid != first.pid
        print(f"hung to caught: {acted.at - hung:.2f} s; to ready again: {again.at - hung:.2f} s")


def test_a_kiosk_that_cannot_start_ends_on_the_out_of_service_screen(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(f'[kiosk]\ndata_dir = "{tmp_path}"\n[screen]\ninactivity_seconds = 5\n')
    loop = tmp_path / "loop"
    loop.mkdir()
    with Supervisor(kiosk_command("--config", str(broken)), ENV, loop) as manager:
        failed = manager.wait_for("failed", timeout=60)
        burst = manager.settings.start_limit_burst
        assert len(manager.happened("started")) == burst
        assert {h.detail for h in manager.happened("exited")} == {"2"}  # the setting refused
        assert "screen.inactivity_seconds" in manager.stderr_files[-1].read_text("utf-8")
        assert failed.detail.startswith("start limit hit")
    screen = tmp_path / "screen"
    screen.mkdir()
    command = kiosk_command("--config", str(broken), "out-of-service")
    with Supervisor(command, ENV, screen) as manager:
        shown = manager.wait_for("ready", timeout=60)
        time.sleep(manager.settings.watchdog_s * 2)  # it stays up, pinging
        assert not manager.happened("watchdog") and not manager.happened("exited")
        assert "inactivity_seconds" in manager.stderr_files[0].read_text("utf-8")
        os.kill(shown.pid, signal.SIGTERM)
        assert manager.wait_for("exited").detail == "0"
