"""`kiosk device ...` and `kiosk-sim ...` as a technician runs them: real processes, real ptys."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import cv2

from drivers.camera.code_pictures import code_picture

BIN = Path(sys.executable).parent
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _kiosk(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "kiosk"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ENV,
        check=False,
    )


def _start_simulator(*args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [str(BIN / "kiosk-sim"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        for word in line.replace("serial://", " ").split():
            if word.startswith(("/dev/", "/tmp/")) and not word.endswith("/"):
                return process, word
    process.kill()
    raise AssertionError("the simulator printed no device path")


def test_device_list_shows_every_configured_device() -> None:
    done = _kiosk("device", "list")
    assert done.returncode == 0, done.stdout + done.stderr
    for kind in ("printer", "scanner", "idcard", "camera"):
        assert kind in done.stdout
    assert "ok" in done.stdout


def test_the_id_card_simulator_read_through_the_real_driver_prints_masked() -> None:
    simulator, path = _start_simulator("idcard", "--card", "2")
    try:
        done = _kiosk("device", "test", "idcard", "--port", path, "--wait", "10")
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "陈*国" in done.stdout and "3201************36" in done.stdout
    assert "陈建国" not in done.stdout + done.stderr
    assert "320113195907050036" not in done.stdout + done.stderr


def test_a_test_page_through_the_printer_simulator(tmp_path: Path) -> None:
    simulator, path = _start_simulator("printer", "--out", str(tmp_path))
    try:
        done = _kiosk("device", "test", "printer", "--port", path, "--wait", "20")
        deadline = time.monotonic() + 10
        while not list(tmp_path.glob("*.png")) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "printed" in done.stdout
    assert list(tmp_path.glob("*.png")), "the simulator drew no receipt"


def test_decode_reads_classifies_and_masks(tmp_path: Path) -> None:
    bill, pay, blank = tmp_path / "bill.png", tmp_path / "pay.png", tmp_path / "blank.png"
    cv2.imwrite(str(bill), code_picture("https://95598.js.sgcc.local/bill/3201000001", seed=3))
    cv2.imwrite(str(pay), code_picture("134567890123456789", seed=4))
    cv2.imwrite(str(blank), code_picture("x", seed=5)[:40, :40] * 0 + 255)
    done = _kiosk("device", "decode", str(bill), str(pay), str(blank))
    assert "bill code: https://95598.js.sgcc.local/bill/3201000001" in done.stdout
    assert "wechat code: 1345**********6789" in done.stdout
    assert "134567890123456789" not in done.stdout
    assert "no code found" in done.stdout
    assert done.returncode == 1  # one image had no code


def test_a_scanned_code_that_is_no_payment_code_is_printed_masked_too() -> None:
    """A garbled payment code (one digit wrong, so no wallet's format) is still most of one:
    the scanner test prints it masked like a payment code, never its 16 first characters."""
    garbled = "164567890123456789"  # 18 digits, but WeChat codes start 10 to 15
    simulator, path = _start_simulator("scanner")
    try:
        test = subprocess.Popen(
            [str(BIN / "kiosk"), "device", "test", "scanner", "--port", path, "--wait", "20"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV,
        )  # fmt: skip
        assert test.stdout is not None and simulator.stdin is not None
        printed = []
        for line in test.stdout:
            printed.append(line)
            if "show a code" in line:  # the technician holds the code up now
                simulator.stdin.write(garbled + "\n")
                simulator.stdin.flush()
        test.wait(timeout=30)
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
    output = "".join(printed)
    assert test.returncode == 0, output
    assert "garbage code: 1645********4567" in output  # its first 16 characters, masked
    assert garbled[:8] not in output
