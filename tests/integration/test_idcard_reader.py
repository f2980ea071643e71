"""The real SAM-protocol driver against the wire simulator on a real pseudo-terminal."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from drivers.contracts import (
    CardKind,
    CardPresence,
    DataEvent,
    DeviceState,
    DeviceUnavailable,
    ErrorEvent,
    HealthStatus,
    StatusEvent,
)
from drivers.idcard.protocol import Command, build_request
from drivers.idcard.reader import ReadFailure, SamSerialIdCardReader
from drivers.idcard.simulator import FOREVER, Fault, IdCardSimulator
from drivers.simulated.idcard import load_deck
from tests.support.devices import EventRecorder, running
from tests.support.waiting import eventually

DECK = load_deck()
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def simulator(tmp_path) -> Iterator[IdCardSimulator]:
    # Unpaced: the pty does not emulate baud and these tests are about behaviour, not time.
    with IdCardSimulator(link=tmp_path / "idcard", baud=None) as sim:
        yield sim


def make_reader(simulator: IdCardSimulator, **options) -> SamSerialIdCardReader:
    defaults = dict(poll_interval=0.02, reply_timeout=0.2, reconnect_after=0.05, idle_check=0.1)
    return SamSerialIdCardReader(url=f"serial://{simulator.path}?baud=115200", **defaults | options)


@pytest.fixture
def reader(simulator) -> Iterator[SamSerialIdCardReader]:
    device = make_reader(simulator)
    yield from running(device)


@pytest.fixture
def events(reader) -> EventRecorder:
    return EventRecorder(reader)


def polls_after(simulator: IdCardSimulator, count: int) -> bool:
    """Waits until the driver has sent ``count`` more find requests (it is still polling)."""
    start = simulator.requests.count(Command.FIND_CARD)
    return eventually(lambda: simulator.requests.count(Command.FIND_CARD) >= start + count)


def test_every_card_of_the_deck_is_read_once_per_placing(simulator, reader, events) -> None:
    for index, card in enumerate(DECK):
        simulator.place(index)
        read = events.wait_for(DataEvent, lambda e, n=card.id_number: e.data.id_number == n)
        assert read.data == card  # every field, the rare-character name and the photo
        assert polls_after(simulator, 3)
        simulator.remove()
        seen = 2 * (index + 1)  # present and removed, for each card so far
        events.wait_for(StatusEvent, lambda e, n=seen: len(events.of_type(StatusEvent)) == n)
    assert [e.data.id_number for e in events.of_type(DataEvent)] == [c.id_number for c in DECK]
    placings = [CardPresence.CARD_PRESENT, CardPresence.NO_CARD] * len(DECK)
    assert [e.status for e in events.of_type(StatusEvent)] == placings
    assert {e.data.kind for e in events.of_type(DataEvent)} == set(CardKind)
    assert "王𠮷" in [e.data.name for e in events.of_type(DataEvent)]
    assert events.of_type(ErrorEvent) == []


def test_the_driver_sends_the_reference_frames_in_order(simulator, reader, events) -> None:
    simulator.place(0)
    events.wait_for(DataEvent)
    assert polls_after(simulator, 1)
    read_at = simulator.requests.index(Command.READ_CARD)
    assert simulator.requests[read_at - 2 : read_at + 1] == [
        Command.FIND_CARD,
        Command.SELECT_CARD,
        Command.READ_CARD,
    ]
    assert simulator.requests.count(Command.READ_CARD) == 1


def test_reading_with_fingerprint_uses_30_10(simulator) -> None:
    device = make_reader(simulator, fingerprint=True)
    recorder = EventRecorder(device)
    simulator.place(1)
    device.open()
    device.enable()
    try:
        assert recorder.wait_for(DataEvent).data == DECK[1]
        assert Command.READ_CARD_FINGERPRINT in simulator.requests
    finally:
        device.close()


@pytest.mark.parametrize(
    "fault", [Fault.GARBAGE, Fault.BAD_CHECKSUM, Fault.PARTIAL_FRAME, Fault.NO_ANSWER]
)
def test_a_passing_fault_is_retried_and_the_card_read(simulator, reader, events, fault) -> None:
    simulator.inject(fault, times=2)  # fewer than the attempts
    simulator.place(2)
    assert events.wait_for(DataEvent).data == DECK[2]
    assert events.of_type(ErrorEvent) == []


def test_a_card_pulled_mid_read_is_reported_removed_and_read_when_placed_again(
    simulator, reader, events
) -> None:
    simulator.inject(Fault.PULL_MID_READ)
    simulator.place(3)
    events.wait_for(StatusEvent, lambda e: e.status is CardPresence.NO_CARD)
    assert events.of_type(DataEvent) == [] and events.of_type(ErrorEvent) == []
    simulator.place(3)
    assert events.wait_for(DataEvent).data == DECK[3]


@pytest.mark.parametrize(
    ("fault", "cause"),
    [
        (Fault.BAD_CHECKSUM, ReadFailure.BAD_REPLY),
        (Fault.PARTIAL_FRAME, ReadFailure.NO_ANSWER),
        (Fault.NO_ANSWER, ReadFailure.NO_ANSWER),
    ],
)
def test_a_lasting_fault_is_reported_once_as_retryable_then_recovers(
    simulator, reader, events, fault, cause
) -> None:
    simulator.place(0)
    events.wait_for(DataEvent)
    simulator.inject(fault, times=FOREVER)
    error = events.wait_for(ErrorEvent)
    assert (error.retryable, error.cause) == (True, cause)
    assert polls_after_faulty(simulator, 3)
    assert len(events.of_type(ErrorEvent)) == 1  # once, not on every poll
    simulator.clear_faults()
    simulator.remove()
    events.wait_for(StatusEvent, lambda e: e.status is CardPresence.NO_CARD)
    simulator.place(4)
    assert events.wait_for(DataEvent, lambda e: e.data == DECK[4])


def polls_after_faulty(simulator: IdCardSimulator, count: int) -> bool:
    start = len(simulator.requests)
    return eventually(lambda: len(simulator.requests) >= start + count)


def test_a_card_failing_every_read_is_reported_once_until_lifted(simulator, reader, events) -> None:
    simulator.inject(Fault.READ_FAILS, times=FOREVER)
    simulator.place(5)
    error = events.wait_for(ErrorEvent)
    assert (error.retryable, error.cause) == (True, ReadFailure.REFUSED)
    assert "41 (read failed)" in error.message
    assert "attempt" not in error.message and DECK[5].id_number not in error.message
    simulator.clear_faults()
    assert polls_after(simulator, 2)
    assert events.of_type(DataEvent) == []  # not retried while the same card lies there
    simulator.remove()
    events.wait_for(StatusEvent, lambda e: e.status is CardPresence.NO_CARD)
    simulator.place(5)
    assert events.wait_for(DataEvent).data == DECK[5]


def test_an_invalid_id_number_is_reported_as_not_retryable(tmp_path) -> None:
    forged = dataclasses.replace(DECK[0], id_number="320102195203140027")
    with IdCardSimulator([forged], link=tmp_path / "idcard", baud=None) as simulator:
        device = make_reader(simulator)
        recorder = EventRecorder(device)
        device.open()
        device.enable()
        try:
            simulator.place(0)
            error = recorder.wait_for(ErrorEvent)
            assert (error.retryable, error.cause) == (False, ReadFailure.INVALID_ID_NUMBER)
            assert "320102195203140027" not in error.message
            assert recorder.of_type(DataEvent) == []
        finally:
            device.close()


def test_a_card_left_on_a_disabled_reader_is_read_when_enabled(simulator, reader, events) -> None:
    simulator.place(1)
    events.wait_for(DataEvent)
    reader.disable()
    reader.enable()
    assert eventually(lambda: len(events.of_type(DataEvent)) == 2)


def test_a_card_left_on_the_reader_is_read_again_when_asked(simulator, reader, events) -> None:
    simulator.place(4)
    events.wait_for(DataEvent)
    assert polls_after(simulator, 3)
    assert len(events.of_type(DataEvent)) == 1  # lying there, it is not read again by itself
    reader.read_again()
    assert eventually(lambda: len(events.of_type(DataEvent)) == 2)
    assert events.of_type(DataEvent)[1].data == DECK[4]
    present = [e for e in events.of_type(StatusEvent) if e.status is CardPresence.CARD_PRESENT]
    assert len(present) == 1  # the same placing: reported present once


def test_read_again_without_a_card_reads_nothing_and_the_next_card_once(
    simulator, reader, events
) -> None:
    reader.read_again()
    assert polls_after(simulator, 3)
    assert events.events == []
    simulator.place(2)
    events.wait_for(DataEvent)
    assert polls_after(simulator, 3)
    assert [type(e) for e in events.events] == [StatusEvent, DataEvent]


def test_unplugged_reader_is_unavailable_and_picked_up_again(simulator, reader, events) -> None:
    simulator.unplug()
    lost = events.wait_for(StatusEvent, lambda e: e.status is DeviceState.UNAVAILABLE)
    assert "lost" in lost.detail
    assert reader.state is DeviceState.UNAVAILABLE
    assert reader.check_health().status is HealthStatus.FAULT
    simulator.place(6)
    simulator.plug()
    events.wait_for(StatusEvent, lambda e: e.status is DeviceState.ENABLED)
    assert events.wait_for(DataEvent).data == DECK[6]


def test_unplugged_while_idle_comes_back_idle(simulator) -> None:
    device = make_reader(simulator)
    recorder = EventRecorder(device)
    device.open()
    try:
        simulator.unplug()
        recorder.wait_for(StatusEvent, lambda e: e.status is DeviceState.UNAVAILABLE)
        simulator.plug()
        recorder.wait_for(StatusEvent, lambda e: e.status is DeviceState.IDLE)
        assert device.state is DeviceState.IDLE
    finally:
        device.close()


def test_health_comes_from_the_sam_status(simulator, reader) -> None:
    assert (reader.check_health().status, reader.check_health().detail) == (
        HealthStatus.OK,
        "SAM ok",
    )
    simulator.sam_failed = True
    health = reader.check_health()
    assert (health.status, health.detail) == (HealthStatus.FAULT, "SAM self-test failed")
    simulator.sam_failed = False
    simulator.inject(Fault.NO_ANSWER, times=FOREVER)
    assert reader.check_health().status is HealthStatus.FAULT


def test_opening_a_port_that_is_not_there_fails_plainly(tmp_path) -> None:
    device = SamSerialIdCardReader(url=f"serial://{tmp_path}/nothing")
    with pytest.raises(DeviceUnavailable):
        device.open()
    assert device.state is DeviceState.CLOSED
    with pytest.raises(ValueError):
        SamSerialIdCardReader(url="serial://", poll_interval=0.3)
    with pytest.raises(ValueError):
        SamSerialIdCardReader(poll_interval=-1)


def test_standalone_simulator_answers_the_reference_frames(tmp_path) -> None:
    link = tmp_path / "idcard"
    process = subprocess.Popen(
        [sys.executable, "-m", "drivers.idcard.simulator", "--card", "0", "--link", str(link)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == str(link)
        with serial.Serial(str(link), 115200, timeout=2) as port:
            port.write(build_request(Command.FIND_CARD))
            assert port.read(15) == bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
            port.write(build_request(Command.SAM_STATUS))
            assert port.read(11) == bytes.fromhex("AA AA AA 96 69 00 04 00 00 90 94")
        process.send_signal(signal.SIGTERM)
        assert process.wait(5) == 0
        assert not os.path.lexists(link)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
