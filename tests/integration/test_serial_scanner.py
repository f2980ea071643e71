"""The serial scanner driver against the simulator on a real pseudo-terminal."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from drivers.contracts import (
    DataEvent,
    DeviceState,
    DeviceUnavailable,
    ErrorEvent,
    HealthStatus,
    ScanSource,
    StatusEvent,
)
from drivers.link import Backoff
from drivers.scanner.framing import RejectReason
from drivers.scanner.serial_scanner import SerialScanner
from drivers.scanner.simulator import ScannerSimulator
from tests.support.devices import EventRecorder
from tests.support.waiting import eventually

PAY = "134567890123456789"
BILL = "https://95598.js.sgcc.local/bill/3201000001"


def _scanner(sim: ScannerSimulator, **options) -> SerialScanner:
    return SerialScanner(f"serial://{sim.path}", backoff=Backoff(first=0.05, most=0.2), **options)


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[ScannerSimulator]:
    with ScannerSimulator(tmp_path / "scanner") as simulator:
        yield simulator


def _codes(recorder: EventRecorder) -> list[str]:
    return [e.data.text for e in recorder.of_type(DataEvent)]


def _running(scanner: SerialScanner) -> EventRecorder:
    recorder = EventRecorder(scanner)
    scanner.open()
    scanner.enable()
    return recorder


@pytest.mark.parametrize("suffix", ["cr", "crlf", "lf"])
def test_continuous_mode_reads_each_code_once_per_window(sim, suffix: str) -> None:
    scanner = _scanner(sim)
    recorder = _running(scanner)
    try:
        for _ in range(3):
            sim.show(PAY, suffix)  # held in front of the scanner: the same read
        sim.show(BILL, suffix)
        event = recorder.wait_for(DataEvent, lambda e: e.data.text == BILL)
        assert event.data.source is ScanSource.SERIAL
        assert _codes(recorder) == [PAY, BILL]
    finally:
        scanner.close()


def test_garbage_is_refused_with_a_reason_and_never_a_code(sim) -> None:
    scanner = _scanner(sim)
    recorder = _running(scanner)
    try:
        sim.send_garbage()
        sim.send_raw(b"X" * 600 + b"\r")
        sim.show(PAY)
        recorder.wait_for(DataEvent)
        errors = recorder.of_type(ErrorEvent)
        assert {e.cause for e in errors} >= {RejectReason.CONTROL_BYTES, RejectReason.TOO_LONG}
        assert all(not e.retryable and PAY not in e.message for e in errors)
        assert _codes(recorder) == [PAY]
        assert scanner.check_health().status is HealthStatus.WARNING
    finally:
        scanner.close()


def test_nothing_is_read_while_disabled(sim) -> None:
    scanner = _scanner(sim)
    recorder = EventRecorder(scanner)
    scanner.open()
    try:
        sim.show("IGNORED")
        scanner.enable()
        sim.show(PAY)
        recorder.wait_for(DataEvent)
        assert _codes(recorder) == [PAY]
    finally:
        scanner.close()


@pytest.mark.parametrize("model", ["honeywell", "gm65", "zebra-ssi"])
def test_triggered_models_read_only_when_triggered(tmp_path: Path, model: str) -> None:
    with ScannerSimulator(tmp_path / "scanner", model=model, read_timeout_s=60) as sim:
        scanner = _scanner(sim, model=model)
        recorder = EventRecorder(scanner)
        scanner.open()
        try:
            sim.show(PAY)  # shown before the kiosk asks: waits in front of the scanner
            assert not sim.triggered.wait(0.3)
            assert recorder.of_type(DataEvent) == []
            scanner.enable()
            recorder.wait_for(DataEvent)
            sim.show(BILL)  # after a good read the driver triggers again
            recorder.wait_for(DataEvent, lambda e: e.data.text == BILL)
            assert _codes(recorder) == [PAY, BILL]
            assert sim.triggers >= 2
            assert not recorder.of_type(ErrorEvent)  # acknowledgements are not garbage
            scanner.disable()
            if sim.model.stop:
                assert eventually(lambda: sim.stops >= 1, timeout=5), f"stops={sim.stops}"
                assert sim.commands[-1] == sim.model.stop  # no start after it: not left reading
                assert not sim.reading
        finally:
            scanner.close()


@pytest.mark.parametrize("model", ["honeywell", "zebra-ssi"])
def test_disable_stops_a_scanner_whose_next_start_is_on_its_way(
    tmp_path: Path, model: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a read the driver triggers again; disable() comes while that start is being sent.

    The order is forced, not left to timing: the start is held back until the stop has gone
    out (or 1 s, when the driver rightly makes the stop wait for the start). The stop must be
    the last command the scanner gets, or it stays reading for a disabled kiosk.
    """
    with ScannerSimulator(tmp_path / "scanner", model=model, read_timeout_s=60) as sim:
        start, stop = sim.model.start, sim.model.stop
        hold_next_start = threading.Event()
        start_held = threading.Event()
        stop_sent = threading.Event()
        write = serial.Serial.write

        def ordered_write(port: serial.Serial, data: bytes) -> int | None:
            if data == stop:
                stop_sent.set()
            elif data == start and hold_next_start.is_set():
                hold_next_start.clear()
                start_held.set()
                stop_sent.wait(1.0)
            return write(port, data)

        monkeypatch.setattr(serial.Serial, "write", ordered_write)
        scanner = _scanner(sim, model=model)
        recorder = _running(scanner)
        try:
            assert sim.triggered.wait(2)
            hold_next_start.set()
            sim.show(PAY)
            recorder.wait_for(DataEvent)
            assert start_held.wait(2)  # the session is sending the start that follows a read
            scanner.disable()
            assert eventually(lambda: sim.stops >= 1 and sim.triggers >= 2), sim.commands
            assert sim.commands[-1] == stop, sim.commands
            assert not sim.reading
        finally:
            scanner.close()


@pytest.mark.parametrize(("sent", "reading"), [("stop start", True), ("start stop", False)])
def test_the_simulator_obeys_commands_sent_together_in_their_order(
    tmp_path: Path, sent: str, reading: bool
) -> None:
    with ScannerSimulator(tmp_path / "scanner", model="honeywell", read_timeout_s=60) as sim:
        named = {"start": sim.model.start, "stop": sim.model.stop}
        commands = [named[word] for word in sent.split()]
        with serial.Serial(sim.path, timeout=0.1) as port:
            port.write(b"".join(commands))  # one write: the simulator reads them at once
            assert eventually(lambda: len(sim.commands) == 2), sim.commands
        assert sim.commands == commands
        assert (sim.triggers, sim.stops) == (1, 1)
        assert sim.reading is reading


def test_a_partial_line_then_unplug_is_reported_and_the_scanner_is_used_again(sim) -> None:
    scanner = _scanner(sim)
    recorder = _running(scanner)
    try:
        sim.send_partial(PAY)
        sim.unplug()
        recorder.wait_for(StatusEvent, lambda e: e.status is DeviceState.UNAVAILABLE)
        assert scanner.state is DeviceState.UNAVAILABLE
        assert scanner.check_health().status is HealthStatus.FAULT
        sim.plug_in()
        recorder.wait_for(StatusEvent, lambda e: e.status is DeviceState.ENABLED, timeout=3)
        sim.show(BILL)
        recorder.wait_for(DataEvent)
        assert _codes(recorder) == [BILL]  # the half line from before was not glued on
        assert not recorder.of_type(ErrorEvent)
    finally:
        scanner.close()


def test_open_fails_plainly_when_no_scanner_is_there(tmp_path: Path) -> None:
    scanner = SerialScanner(f"serial://{tmp_path / 'none'}")
    with pytest.raises(DeviceUnavailable):
        scanner.open()
    assert scanner.state is DeviceState.CLOSED
    with pytest.raises(ValueError):
        SerialScanner(f"serial://{tmp_path / 'none'}", model="acme")
    with pytest.raises(ValueError):
        SerialScanner("/dev/ttyUSB0")


def test_standalone_simulator_prints_its_path_and_sends_stdin_lines(tmp_path: Path) -> None:
    link = tmp_path / "scanner"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "drivers.scanner.simulator",
            "--link",
            str(link),
            "--suffix",
            "crlf",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdin is not None
        assert process.stdout.readline().strip().endswith(f"serial://{link}")
        scanner = SerialScanner(f"serial://{link}")
        recorder = _running(scanner)
        try:
            process.stdin.write("!garbage\n" + PAY + "\n")
            process.stdin.flush()
            recorder.wait_for(DataEvent)
            assert _codes(recorder) == [PAY]
            assert recorder.of_type(ErrorEvent)
        finally:
            scanner.close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(5) == 0
        assert not link.exists()
    finally:
        if process.poll() is None:
            process.kill()
