"""The console scripts as a technician runs them: real processes, real ports."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from kiosk.embedded_center import free_port

BIN = Path(sys.executable).parent
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ENV,
        check=False,
    )


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (
            "kiosk",
            ["--config", "--demo", "--fullscreen", "--portrait", "--landscape", "--language",
             "--large-text", "--center", "--data-dir", "screenshots"],
        ),
        (
            "kiosk-center",
            ["--host", "--port", "--db", "--demo-data", "--today", "--answer-delay", "--log-level",
             "--simulated-wallets", "--accept-scheme-1-until"],
        ),
    ],
)  # fmt: skip
def test_help_describes_every_option(command: str, options: list[str]) -> None:
    done = _run(command, "--help")
    assert done.returncode == 0, done.stderr
    for option in options:
        assert option in done.stdout, f"{command} --help does not mention {option}"


def test_a_bad_config_value_stops_the_start_naming_the_key(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[screen]\ninactivity_seconds = 5\n[devices.printer]\ndriver = "simulated"\n')
    done = _run("kiosk", "--config", str(site))
    assert done.returncode == 2
    assert "screen.inactivity_seconds = 5" in done.stderr
    assert "from 30 to 1800" in done.stderr


def test_a_driver_that_is_not_installed_stops_the_start(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(
        f'[kiosk]\ndata_dir = "{tmp_path}"\n[devices.printer]\ndriver = "nosuchprinter"\n'
    )
    done = _run("kiosk", "--config", str(site), timeout=60)
    assert done.returncode == 2
    assert "devices.printer.driver" in done.stderr and "simulated" in done.stderr


def test_the_center_serves_openapi_bills_and_clear_errors(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "center.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(BIN / "kiosk-center"), "--port", str(port), "--demo-data",
             "--db", f"sqlite:///{tmp_path / 'center.db'}", "--today", "2026-11-24",
             "--no-require-signatures"],  # plain requests here; signing: test_link_security.py
            stdout=sink, stderr=subprocess.STDOUT, env=ENV,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    kiosk = {"X-Kiosk-Id": "e2e-kiosk"}  # who an unsigned request says it is (development)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(base + "/v1/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "kiosk-center did not start"
            time.sleep(0.1)
        assert (
            "/v1/accounts/{number}"
            in requests.get(base + "/openapi.json", timeout=5).json()["paths"]
        )
        bill = requests.get(base + "/v1/accounts/3201000001", headers=kiosk, timeout=5).json()
        assert bill["current"]["tiers"] and float(bill["late_fee"]) > 0
        missing = requests.get(base + "/v1/accounts/3299999999", headers=kiosk, timeout=5)
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "account_not_found"
        nobody = requests.get(base + "/v1/accounts/3201000001", timeout=5)
        assert (nobody.status_code, nobody.json()["error"]["code"]) == (401, "unsigned")
        # Started without --simulated-wallets: no wallet simulator, and no route to steer one.
        assert requests.get(base + "/sim/wallets/ledger", timeout=5).status_code == 404
        steer = requests.post(base + "/sim/wallets/behaviour", json={"next": []}, timeout=5)
        assert steer.status_code == 404
    finally:
        process.terminate()
        process.wait(timeout=10)
    started = log.read_text(encoding="utf-8", errors="replace")
    assert "kiosk-center: no wallets configured" in started
    assert "kiosk signatures NOT checked (development only)" in started


def test_screenshots_cover_both_languages_and_orientations(tmp_path: Path) -> None:
    # Every scene is rendered by tests/screens/test_screenshots.py; here, what the command is told.
    shown = ("idle", "home", "account_entry", "bill")
    done = _run("kiosk", "screenshots", str(tmp_path / "shots"), "--only", ",".join(shown))
    assert done.returncode == 0, done.stderr[-2000:]
    names = {p.name for p in (tmp_path / "shots").glob("*.png")}
    assert len(names) == 16
    for language in ("zh_CN", "en"):
        for orientation in ("landscape", "portrait"):
            for screen in shown:
                assert f"{screen}-{language}-{orientation}.png" in names
