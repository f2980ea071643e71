"""Printing the payment receipt with the real ESC/POS driver on a pty against the simulator."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.contracts import DeviceState, PrinterStatus, StatusEvent
from drivers.printer.printer import EscPosPrinter
from drivers.printer.simulator import PrinterSimulator
from kiosk.services.receipt_printing import PrintProblem, PrintResult, ReceiptPrinting
from tests.support.devices import EventRecorder
from tests.support.waiting import eventually
from tests.unit.test_receipt import TRANSACTION, _job

WAIT_S = 10.0  # generous: every failure below must come well before it


def _printer(simulator: PrinterSimulator, status_timeout_s: float = 0.2) -> EscPosPrinter:
    return EscPosPrinter(
        url=simulator.url,
        status_timeout_s=status_timeout_s,
        idle_poll_s=0.05,
        poll_every_bytes=256,
        reconnect_first_s=0.05,
    )


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[PrinterSimulator]:
    with PrinterSimulator(tmp_path / "receipts", link=tmp_path / "printer") as sim:
        yield sim


@pytest.fixture
def printer(simulator: PrinterSimulator) -> Iterator[EscPosPrinter]:
    device = _printer(simulator)
    device.open()
    device.enable()
    assert eventually(lambda: device.status is PrinterStatus.ONLINE)
    yield device
    if device.state is not DeviceState.CLOSED:
        device.close()


@pytest.fixture
def printing(printer: EscPosPrinter) -> Iterator[ReceiptPrinting]:
    service = ReceiptPrinting(printer, WAIT_S)
    yield service
    service.close()


def _timed(printing: ReceiptPrinting, **changes: object) -> tuple[PrintResult, float]:
    started = time.monotonic()
    result = printing.print(_job(**changes))
    return result, time.monotonic() - started


def test_a_receipt_prints_and_reads_back(printing, simulator) -> None:
    result, _ = _timed(printing)
    assert result.printed and result.reason is None and result.job_id
    assert simulator.wait_for_receipts(1)
    saved = simulator.receipts[0]
    assert not saved.torn and saved.path is not None and saved.path.exists()
    transcript = saved.receipt.transcript
    assert transcript[0] == "国网电费缴费凭证"
    assert TRANSACTION in "\n".join(transcript)
    assert "￥287.04" in transcript
    assert any(line.startswith("[QR https://inv.example.cn/") for line in transcript)


def test_sequential_receipts_each_print_once(printing, simulator) -> None:
    results = [printing.print(_job(transaction_id=f"T{n:04d}")) for n in range(3)]
    assert all(result.printed for result in results)
    assert len({result.job_id for result in results}) == 3
    assert simulator.wait_for_receipts(3)
    texts = [saved.receipt.text() for saved in simulator.receipts]
    assert [f"T{n:04d}" in text for n, text in enumerate(texts)] == [True] * 3


def test_paper_out_fails_at_once_and_the_receipt_never_prints_later(
    printing, printer, simulator
) -> None:
    events = EventRecorder(printer)
    simulator.set_state("paper-out")
    result, took = _timed(printing)
    assert not result.printed and result.reason == "paper_out"
    assert took < 2.0  # well within WAIT_S
    assert printer.held_jobs() == []  # not left to print for nobody

    simulator.set_state("normal")  # the technician loads a new roll
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.ONLINE, timeout=3)
    printer.retry_output()
    assert not simulator.wait_for_receipts(1, timeout=0.5)
    assert simulator.receipts == []

    # The next receipt prints, as itself: no reprint mark from the dropped one.
    again = printing.print(_job(transaction_id="T0002"))
    assert again.printed
    assert simulator.wait_for_receipts(1)
    transcript = simulator.receipts[0].receipt.transcript
    assert transcript[0] == "国网电费缴费凭证" and "T0002" in "\n".join(transcript)


def test_cover_open_fails_with_its_reason(printing, printer, simulator) -> None:
    simulator.set_state("cover-open")
    result, took = _timed(printing)
    assert (result.printed, result.reason) == (False, "cover_open") and took < 2.0
    assert printer.held_jobs() == []


def test_unplugged_mid_receipt_fails_and_is_cleared(printing, printer, simulator) -> None:
    events = EventRecorder(printer)
    simulator.unplug_after(600)
    result, took = _timed(printing)
    assert (result.printed, result.reason) == (False, "offline") and took < 5.0
    assert printer.held_jobs() == []

    assert simulator.wait_until_unplugged()  # the driver may notice before the pull is over
    simulator.plug_in()
    events.wait_for(StatusEvent, lambda e: e.status is DeviceState.ENABLED, timeout=3)
    printer.retry_output()
    assert not simulator.wait_for_receipts(1, timeout=0.5)  # nothing comes out by itself
    assert printing.print(_job()).printed  # and the printer is usable again


def test_an_unplugged_printer_fails_at_once(printing, printer, simulator) -> None:
    events = EventRecorder(printer)
    simulator.unplug()
    events.wait_for(StatusEvent, lambda e: e.status is DeviceState.UNAVAILABLE, timeout=3)
    result, took = _timed(printing)
    assert (result.printed, result.reason) == (False, "offline") and took < 0.5


def test_a_slow_printer_times_out_and_the_job_is_cleared(tmp_path: Path) -> None:
    # A 2400 baud line: each 256 bytes take a second, the receipt nine, longer than the wait;
    # the status answers queue behind the data, so the driver is patient with them.
    with PrinterSimulator(tmp_path / "slow", baud=2400) as simulator:
        device = _printer(simulator, status_timeout_s=3.0)
        device.open()
        device.enable()
        try:
            assert eventually(lambda: device.status is PrinterStatus.ONLINE)
            printing = ReceiptPrinting(device, 0.4)
            result, took = _timed(printing)
            assert (result.printed, result.reason) == (False, "timeout")
            assert 0.4 <= took < 1.5
            assert device.held_jobs() == []
            assert not simulator.wait_for_receipts(1, timeout=1.0)  # cut off, never finished
            printing.close()
        finally:
            device.close()


def test_no_printer_closed_or_disabled_fails_at_once(simulator) -> None:
    assert ReceiptPrinting(None, WAIT_S).print(_job()) == PrintResult(False, "no_printer")
    device = _printer(simulator)
    closed = ReceiptPrinting(device, WAIT_S)
    assert closed.print(_job()).reason == "no_printer"
    device.open()  # open, not enabled
    try:
        result, took = _timed(closed)
        assert result.reason == "no_printer" and took < 0.2
    finally:
        closed.close()
        device.close()


def test_the_problem_is_known_before_printing_from_the_printers_status(
    printing, printer, simulator
) -> None:
    assert printing.problem_now() is None  # online: it can print
    events = EventRecorder(printer)
    simulator.set_state("paper-out")
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.PAPER_OUT, timeout=3)
    assert printing.problem_now() is PrintProblem.PAPER_OUT
    simulator.set_state("cover-open")
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.COVER_OPEN, timeout=3)
    assert printing.problem_now() is PrintProblem.COVER_OPEN
    simulator.set_state("normal")
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.ONLINE, timeout=3)
    assert printing.problem_now() is None
    simulator.unplug()
    events.wait_for(StatusEvent, lambda e: e.status is DeviceState.UNAVAILABLE, timeout=3)
    assert printing.problem_now() is PrintProblem.OFFLINE
    assert ReceiptPrinting(None, WAIT_S).problem_now() is None  # no printer set up: no warning
