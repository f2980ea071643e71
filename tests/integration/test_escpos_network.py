"""The ESC/POS driver over TCP (``tcp://host:9100``) against the printer simulator listening on
loopback: the same byte handler as on the pty, reached through a real socket."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.contracts import (
    Cut,
    DeviceState,
    DeviceUnavailable,
    ErrorEvent,
    OutputCompleteEvent,
    PrinterStatus,
    PrintJob,
    QrCode,
    StatusEvent,
    TextLine,
)
from drivers.printer.printer import EscPosPrinter
from drivers.printer.simulator import PrinterSimulator
from tests.support.devices import EventRecorder
from tests.support.waiting import eventually

REPRINT = "REPRINT / 重打"
REPO = Path(__file__).resolve().parents[2]


def _receipt(serial_no: str) -> PrintJob:
    return PrintJob(
        (
            TextLine("网点: 基站 07"),
            TextLine("户名: 王𠮷"),  # a rare character: a raster line, so the job is long
            TextLine("金额: ¥56.00"),
            TextLine(f"流水号: {serial_no}"),
            QrCode("https://inv.example/e?id=7"),
            Cut(),
        )
    )


def _printer(url: str) -> EscPosPrinter:
    return EscPosPrinter(
        url=url,
        status_timeout_s=0.2,
        idle_poll_s=0.05,
        poll_every_bytes=256,
        reconnect_first_s=0.05,
    )


def _for(job_id: str):
    return lambda event: event.job_id == job_id


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[PrinterSimulator]:
    with PrinterSimulator(tmp_path / "receipts", tcp_port=0) as sim:
        yield sim


@pytest.fixture
def printer(simulator: PrinterSimulator) -> Iterator[EscPosPrinter]:
    device = _printer(simulator.url)
    device.open()
    device.enable()
    assert eventually(lambda: device.status is PrinterStatus.ONLINE)
    yield device
    if device.state is not DeviceState.CLOSED:
        device.close()


def test_the_simulator_listens_on_loopback_and_names_a_tcp_url(simulator) -> None:
    assert re.fullmatch(r"tcp://127\.0\.0\.1:\d+", simulator.url)
    assert simulator.line.port != 0  # port 0 asked for a free one, and this is it


def test_a_receipt_prints_over_tcp(printer, simulator) -> None:
    events = EventRecorder(printer)
    job_id = printer.print_job(_receipt("N0001"))
    events.wait_for(OutputCompleteEvent, _for(job_id))
    assert simulator.wait_for_receipts(1)
    saved = simulator.receipts[0]
    assert saved.path is not None and saved.path.exists() and not saved.torn
    transcript = saved.receipt.transcript
    assert "流水号: N0001" in transcript and "[QR https://inv.example/e?id=7]" in transcript
    assert any(line.startswith("[raster ") for line in transcript)
    assert REPRINT not in transcript
    assert not events.of_type(ErrorEvent)


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("near-end", PrinterStatus.PAPER_NEAR_END),
        ("cover-open", PrinterStatus.COVER_OPEN),
        ("paper-out", PrinterStatus.PAPER_OUT),
        ("offline", PrinterStatus.OFFLINE),
    ],
)
def test_status_queries_are_answered_over_tcp(printer, simulator, state, status) -> None:
    events = EventRecorder(printer)
    simulator.set_state(state)  # noticed by the idle poll, with no job
    events.wait_for(StatusEvent, lambda e: e.status is status)
    assert printer.status is status
    simulator.set_state("normal")
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.ONLINE)


def test_paper_out_mid_job_is_held_and_the_retry_reprints(printer, simulator) -> None:
    events = EventRecorder(printer)
    simulator.paper_out_after(600)
    job_id = printer.print_job(_receipt("N0002"))
    error = events.wait_for(ErrorEvent, _for(job_id))
    assert error.retryable and error.cause is PrinterStatus.PAPER_OUT
    assert printer.held_jobs() == [job_id]
    assert [r.torn for r in simulator.receipts] == [True]

    simulator.set_state("normal")
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.ONLINE)
    assert not events.of_type(OutputCompleteEvent)  # nothing prints before the retry
    printer.retry_output()
    events.wait_for(OutputCompleteEvent, _for(job_id), timeout=5)
    reprint = simulator.receipts[-1].receipt.transcript
    assert reprint[0] == REPRINT and "流水号: N0002" in reprint


def test_connection_closed_mid_job_unavailable_then_back(printer, simulator) -> None:
    events = EventRecorder(printer)
    simulator.unplug_after(600)  # the printer closes the socket and stops listening
    job_id = printer.print_job(_receipt("N0003"))
    assert simulator.wait_until_unplugged()
    events.wait_for(StatusEvent, lambda e: e.status is DeviceState.UNAVAILABLE, timeout=3)
    error = events.wait_for(ErrorEvent, _for(job_id), timeout=3)
    assert error.retryable and error.cause is PrinterStatus.UNKNOWN
    assert printer.status is PrinterStatus.UNKNOWN
    with pytest.raises(DeviceUnavailable):
        printer.print_job(_receipt("N0004"))
    # Nothing listens: the reconnect attempts are refused, and the device stays unavailable.
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", simulator.line.port), timeout=1).close()
    assert printer.state is DeviceState.UNAVAILABLE

    simulator.plug_in()  # listening again, on the same port
    events.wait_for(StatusEvent, lambda e: e.status is DeviceState.ENABLED, timeout=3)
    assert eventually(lambda: printer.status is PrinterStatus.ONLINE)
    assert printer.held_jobs() == [job_id]
    printer.retry_output()
    events.wait_for(OutputCompleteEvent, _for(job_id), timeout=5)
    assert simulator.receipts[-1].receipt.transcript[0] == REPRINT


def test_a_printer_that_is_off_fails_open_plainly() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    device = _printer(f"tcp://127.0.0.1:{port}")
    with pytest.raises(DeviceUnavailable, match="cannot open"):
        device.open()
    assert device.state is DeviceState.CLOSED


def test_standalone_simulator_serves_tcp_and_prints_its_url(tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "drivers.printer.simulator", "--tcp", "--out", str(out)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"tcp://127\.0\.0\.1:\d+", first)
        assert found, first
        device = _printer(found.group(0))
        device.open()
        device.enable()
        events = EventRecorder(device)
        job_id = device.print_job(_receipt("N0005"))
        events.wait_for(OutputCompleteEvent, _for(job_id), timeout=5)
        device.close()
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "1 receipt(s) printed" in rest
    assert (out / "receipt-0001.png").exists()
