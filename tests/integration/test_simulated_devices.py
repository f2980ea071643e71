"""The simulated devices behave like devices: their own threads, real latency, faults, events."""

import threading
import time

import numpy as np
import pytest

from drivers.contracts import (
    CardKind,
    CardPresence,
    DataEvent,
    DeviceState,
    ErrorEvent,
    HealthStatus,
    OutputCompleteEvent,
    PrinterStatus,
    PrintJob,
    ScannedCode,
    StatusEvent,
    TextLine,
)
from drivers.simulated.camera import SimulatedCamera
from drivers.simulated.printer import SimulatedPrinter
from drivers.simulated.scanner import SimulatedScanner
from tests.support.devices import EventRecorder

RECEIPT = PrintJob((TextLine("电费缴费凭证"), TextLine("¥ 120.00")))


# --- printer ---------------------------------------------------------------------------------


def test_printed_job_completes_on_the_printer_thread(sim_printer):
    threads: list[str] = []
    # Subscribed first, so it has run by the time the recorder sees the event.
    sim_printer.subscribe(lambda _: threads.append(threading.current_thread().name))
    events = EventRecorder(sim_printer)

    job_id = sim_printer.print_job(RECEIPT)

    events.wait_for(OutputCompleteEvent, lambda e: e.job_id == job_id)
    assert [p.job_id for p in sim_printer.printed_jobs()] == [job_id]
    assert "电费缴费凭证" in sim_printer.render_text(sim_printer.printed_jobs()[0].job)
    assert threads and all(name != threading.current_thread().name for name in threads)


def test_job_on_paper_out_is_held_then_printed_after_paper_and_retry(sim_printer):
    events = EventRecorder(sim_printer)
    sim_printer.paper_out()
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.PAPER_OUT)

    first = sim_printer.print_job(RECEIPT)
    second = sim_printer.print_job(RECEIPT)

    error = events.wait_for(ErrorEvent, lambda e: e.job_id == first)
    assert error.retryable
    assert error.cause is PrinterStatus.PAPER_OUT
    events.wait_for(ErrorEvent, lambda e: e.job_id == second)
    assert [j.job_id for j in sim_printer.held_jobs()] == [first, second]
    assert sim_printer.printed_jobs() == []
    assert sim_printer.check_health().status is HealthStatus.FAULT

    sim_printer.back_to_normal()
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.ONLINE)
    sim_printer.retry_output()

    events.wait_for(OutputCompleteEvent, lambda e: e.job_id == second)
    assert [j.job_id for j in sim_printer.printed_jobs()] == [first, second]
    assert sim_printer.held_jobs() == []
    assert [e.job_id for e in events.of_type(OutputCompleteEvent)] == [first, second]


def test_cleared_jobs_are_dropped_and_named(sim_printer):
    events = EventRecorder(sim_printer)
    sim_printer.open_cover()
    job_id = sim_printer.print_job(RECEIPT)
    events.wait_for(ErrorEvent, lambda e: e.cause is PrinterStatus.COVER_OPEN)

    assert sim_printer.clear_output() == [job_id]
    sim_printer.back_to_normal()
    after = sim_printer.print_job(RECEIPT)
    events.wait_for(OutputCompleteEvent, lambda e: e.job_id == after)
    assert [j.job_id for j in sim_printer.printed_jobs()] == [after]


def test_paper_near_end_still_prints_and_warns(sim_printer):
    events = EventRecorder(sim_printer)
    sim_printer.paper_near_end()
    job_id = sim_printer.print_job(RECEIPT)
    events.wait_for(OutputCompleteEvent, lambda e: e.job_id == job_id)
    assert sim_printer.check_health().status is HealthStatus.WARNING


def test_unreadable_status_is_unknown_not_paper_out(sim_printer):
    events = EventRecorder(sim_printer)
    sim_printer.unplug()
    assert sim_printer.status is PrinterStatus.UNKNOWN
    events.wait_for(StatusEvent, lambda e: e.status is DeviceState.UNAVAILABLE)
    sim_printer.plug_in()
    events.wait_for(StatusEvent, lambda e: e.status is DeviceState.ENABLED)
    assert sim_printer.status is PrinterStatus.ONLINE


def test_held_job_survives_close_and_reopen(sim_printer):
    events = EventRecorder(sim_printer)
    sim_printer.go_offline()
    job_id = sim_printer.print_job(RECEIPT)
    events.wait_for(ErrorEvent, lambda e: e.job_id == job_id)
    sim_printer.close()
    # Closing keeps the held job: reopened, it prints once the application retries.
    sim_printer.open()
    sim_printer.enable()
    sim_printer.back_to_normal()
    sim_printer.retry_output()
    events.wait_for(OutputCompleteEvent, lambda e: e.job_id == job_id)


def test_unplugged_while_printing_fails_the_job_and_keeps_it():
    printer = SimulatedPrinter(seconds_per_job=0.1)
    events = EventRecorder(printer)
    printer.open()
    printer.enable()
    try:
        job_id = printer.print_job(RECEIPT)
        printer.unplug()
        error = events.wait_for(ErrorEvent, lambda e: e.job_id == job_id)
        assert error.cause is PrinterStatus.UNKNOWN
        assert [j.job_id for j in printer.held_jobs()] == [job_id]
        printer.plug_in()
        printer.retry_output()
        events.wait_for(OutputCompleteEvent, lambda e: e.job_id == job_id)
    finally:
        printer.close()


def test_a_failing_subscriber_does_not_silence_the_others(sim_scanner):
    def broken(_event):
        raise RuntimeError("subscriber bug")

    sim_scanner.subscribe(broken)
    events = EventRecorder(sim_scanner)
    sim_scanner.show_code("A")
    events.wait_for(DataEvent)
    events.unsubscribe()
    sim_scanner.show_code("B")
    later = EventRecorder(sim_scanner)
    sim_scanner.show_code("C")
    later.wait_for(DataEvent, lambda e: e.data.text == "C")
    assert [e.data.text for e in events.of_type(DataEvent)] == ["A"]


# --- scanner ---------------------------------------------------------------------------------


def test_scanner_emits_the_code_shown(sim_scanner):
    events = EventRecorder(sim_scanner)
    assert sim_scanner.show_code("https://95598.js.sgcc.local/bill/3201000001")
    event = events.wait_for(DataEvent)
    assert isinstance(event.data, ScannedCode)
    assert event.data.text == "https://95598.js.sgcc.local/bill/3201000001"
    assert event.device == "scanner"


def test_repeated_shows_within_the_window_are_one_read(sim_scanner):
    events = EventRecorder(sim_scanner)
    assert sim_scanner.show_code("A")
    assert not sim_scanner.show_code("A")
    assert not sim_scanner.show_code("A")
    assert sim_scanner.show_code("B")
    events.wait_for(DataEvent, lambda e: e.data.text == "B")
    assert [e.data.text for e in events.of_type(DataEvent)] == ["A", "B"]


def test_same_code_after_the_window_is_a_new_read():
    now = [100.0]
    scanner = SimulatedScanner(dedup_window_s=1.5, read_latency_s=0, clock=lambda: now[0])
    events = EventRecorder(scanner)
    scanner.open()
    scanner.enable()
    try:
        assert scanner.show_code("A")
        now[0] += 1.0
        assert not scanner.show_code("A")  # still in front of the scanner
        now[0] += 1.6
        assert scanner.show_code("A")
        events.wait_for(DataEvent, lambda e: len(events.of_type(DataEvent)) == 2)
    finally:
        scanner.close()


def test_disabled_scanner_reads_nothing(sim_scanner):
    sim_scanner.disable()
    assert not sim_scanner.show_code("A")
    sim_scanner.enable()
    assert sim_scanner.show_code("A")


# --- ID card reader --------------------------------------------------------------------------


def test_presented_card_is_read_and_removal_reported(sim_idcard_reader):
    events = EventRecorder(sim_idcard_reader)
    card = sim_idcard_reader.present("320106194809210042")
    event = events.wait_for(DataEvent)
    assert event.data is card
    assert card.name == "王𠮷"
    assert "320106194809210042" not in repr(event)

    sim_idcard_reader.remove()
    events.wait_for(StatusEvent, lambda e: e.status is CardPresence.NO_CARD)


def test_card_left_on_a_disabled_reader_is_read_when_enabled(sim_idcard_reader):
    events = EventRecorder(sim_idcard_reader)
    sim_idcard_reader.disable()
    permit_index = next(
        i for i, c in enumerate(sim_idcard_reader.deck) if c.kind is CardKind.HK_MACAU_TAIWAN
    )
    sim_idcard_reader.present(permit_index)
    assert events.of_type(DataEvent) == []
    sim_idcard_reader.enable()
    event = events.wait_for(DataEvent)
    assert event.data.kind is CardKind.HK_MACAU_TAIWAN


def test_card_placed_is_reported_present_and_read_again_when_asked(sim_idcard_reader):
    events = EventRecorder(sim_idcard_reader)
    card = sim_idcard_reader.present(0)
    events.wait_for(StatusEvent, lambda e: e.status is CardPresence.CARD_PRESENT)
    events.wait_for(DataEvent)
    sim_idcard_reader.read_again()
    assert events.wait_for(DataEvent, lambda _: len(events.of_type(DataEvent)) == 2).data is card


def test_unknown_card_is_refused(sim_idcard_reader):
    with pytest.raises(LookupError):
        sim_idcard_reader.present(99)
    with pytest.raises(LookupError):
        sim_idcard_reader.present("110105194912310021")


# --- camera ----------------------------------------------------------------------------------


def test_camera_frames_flow_and_move(sim_camera):
    first = sim_camera.wait_for_frame(timeout=2.0)
    assert first is not None
    second = sim_camera.wait_for_frame(newer_than=first.index, timeout=2.0)
    assert second is not None and second.index > first.index
    assert second.at > first.at
    for frame in (first, second):
        assert frame.image.shape == (480, 640)
        assert frame.image.dtype == np.uint8
    assert not np.array_equal(first.image, second.image)
    assert sim_camera.latest().index >= second.index
    assert sim_camera.check_health().status is HealthStatus.OK


def test_camera_films_only_once_watched():
    camera = SimulatedCamera(fps=30)
    camera.open()
    camera.enable()
    try:
        time.sleep(0.2)  # frames would have been drawn by now, were it filming
        assert camera.check_health().detail == "ready, films when watched"
        assert camera.latest() is None  # asking is watching: it starts now
        assert camera.wait_for_frame(timeout=2.0) is not None
        assert camera.check_health().status is HealthStatus.OK
    finally:
        camera.close()


def test_camera_stops_capturing_when_closed_and_restarts():
    camera = SimulatedCamera(fps=30)
    for _ in range(2):
        camera.open()
        assert camera.latest() is None
        camera.enable()
        assert camera.wait_for_frame(timeout=2.0) is not None
        camera.close()
        assert not any(t.name == "camera-capture" for t in threading.enumerate())
