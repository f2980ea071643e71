"""Simulated devices for tests: each fixture yields one opened and enabled, and closes it after.

``EventRecorder`` collects a device's events (they arrive on the device's thread) and lets a
test wait for the one it expects, with a timeout instead of a sleep.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drivers.contracts import Device, DeviceEvent, DeviceState
from drivers.simulated.camera import SimulatedCamera
from drivers.simulated.idcard import SimulatedIdCardReader
from drivers.simulated.printer import SimulatedPrinter
from drivers.simulated.scanner import SimulatedScanner


class EventRecorder:
    def __init__(self, device: Device) -> None:
        self.events: list[DeviceEvent] = []
        self._changed = threading.Condition()
        self.unsubscribe = device.subscribe(self._record)

    def _record(self, event: DeviceEvent) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def of_type(self, kind: type) -> list[Any]:
        with self._changed:
            return [event for event in self.events if isinstance(event, kind)]

    def wait_for(
        self, kind: type, where: Callable[[Any], bool] = lambda _: True, timeout: float = 2.0
    ) -> Any:
        """The first recorded event of ``kind`` matching ``where``; fails the test on timeout."""

        def found() -> Any:
            return next((e for e in self.events if isinstance(e, kind) and where(e)), None)

        with self._changed:
            if not self._changed.wait_for(found, timeout):
                raise AssertionError(f"no {kind.__name__} within {timeout}s; got {self.events}")
            return found()


def running(device: Device) -> Iterator[Any]:
    """Open and enable `device` for a fixture; close it after, whatever the test did to it."""
    device.open()
    device.enable()
    try:
        yield device
    finally:
        if device.state is not DeviceState.CLOSED:
            device.close()


@pytest.fixture
def sim_printer() -> Iterator[SimulatedPrinter]:
    yield from running(SimulatedPrinter(seconds_per_job=0.005))


@pytest.fixture
def sim_scanner() -> Iterator[SimulatedScanner]:
    yield from running(SimulatedScanner(read_latency_s=0.001))


@pytest.fixture
def sim_idcard_reader() -> Iterator[SimulatedIdCardReader]:
    yield from running(SimulatedIdCardReader(read_latency_s=0.001))


@pytest.fixture
def sim_camera() -> Iterator[SimulatedCamera]:
    yield from running(SimulatedCamera(fps=30))
