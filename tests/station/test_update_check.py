"""`kiosk update check`, as the release switcher runs it after switching to a new release: the
whole kiosk started offscreen on the site's store and center; it passes once the center has
answered its heartbeat, and fails, at its deadline and with what was missing, when the center
cannot be reached. The store it leaves is the one the kiosk then runs on."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.support.center import RunningCenter
from tests.support.site_file import write_site_file

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def site(tmp_path: Path, center_url: str) -> Path:
    return write_site_file(tmp_path, "update-check-kiosk", center_url)


def check(site_file: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(site_file), "update", "check",
         "--timeout", str(timeout)],
        capture_output=True, text=True, env=ENV, timeout=timeout + 60,
    )  # fmt: skip


def test_a_release_that_reaches_the_center_passes(
    tmp_path: Path, running_center: RunningCenter
) -> None:
    done = check(site(tmp_path, running_center.url), 60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "passes its check: it started and the center answered its heartbeat" in done.stderr
    assert (tmp_path / "data" / "kiosk.db").exists()


def test_a_release_that_cannot_reach_the_center_fails_at_its_deadline(tmp_path: Path) -> None:
    with socket.socket() as nobody:  # a port nothing answers on
        nobody.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{nobody.getsockname()[1]}"
    started = time.monotonic()
    done = check(site(tmp_path, url), 8)
    took = time.monotonic() - started
    assert done.returncode == 1, done.stderr[-2000:]
    assert "fails its check: the center has not answered a heartbeat" in done.stderr
    assert 8 <= took < 40
