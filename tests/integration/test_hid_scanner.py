"""The keyboard-wedge (evdev) scanner driver reading real ``input_event`` records from a FIFO.

A FIFO stands in for /dev/input/by-id/...-event-kbd: the driver opens, polls and reads it as
it does the real device, and the test writes what the kernel would. The grab ioctl cannot
work on a FIFO, so the driver runs with ``grab=False``, except where that refusal is the test.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

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
from drivers.scanner.evdev_keys import (
    EV_KEY,
    KEY_TAB,
    InputEvent,
    KeyRejectReason,
    keystrokes,
    pack_events,
)
from drivers.scanner.hid_scanner import (
    GrabFailed,
    HidScanner,
    NotAnInputDevice,
    ScannerAccessDenied,
    ScannerHeldElsewhere,
    grab_refusal,
)
from tests.support.devices import EventRecorder

PAY = "134567890123456789"
BILL = "https://95598.js.SGCC.local/Bill?id=3201_000001&k=a%2Fb+c:d-e"
KEY_F1 = 59


class FakeKeyboard:
    """The scanner's event device as a FIFO the test writes kernel records into."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        os.mkfifo(path)

    @property
    def url(self) -> str:
        return f"evdev://{self.path}"

    def connect(self) -> None:
        # The driver holds the read end open, so this open does not block.
        self._fd = os.open(self.path, os.O_WRONLY)

    def scan(self, text: str, **options) -> None:
        self.write(pack_events(keystrokes(text, **options)))

    def write(self, data: bytes) -> None:
        assert self._fd is not None
        os.write(self._fd, data)

    def unplug(self) -> None:
        # Path first, then the writer: the driver must not reopen the old FIFO in between.
        self.path.unlink()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def plug_in(self) -> None:
        os.mkfifo(self.path)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@pytest.fixture
def keyboard(tmp_path: Path) -> Iterator[FakeKeyboard]:
    fake = FakeKeyboard(tmp_path / "usb-Scanner_HID-event-kbd")
    yield fake
    fake.close()


def _scanner(keyboard: FakeKeyboard, **options) -> HidScanner:
    return HidScanner(keyboard.url, grab=False, backoff=Backoff(first=0.05, most=0.2), **options)


@pytest.fixture
def running(keyboard: FakeKeyboard) -> Iterator[tuple[HidScanner, EventRecorder]]:
    scanner = _scanner(keyboard)
    recorder = EventRecorder(scanner)
    scanner.open()
    scanner.enable()
    keyboard.connect()
    try:
        yield scanner, recorder
    finally:
        if scanner.state is not DeviceState.CLOSED:
            scanner.close()


def _codes(recorder: EventRecorder) -> list[str]:
    return [e.data.text for e in recorder.of_type(DataEvent)]


def test_codes_with_shifted_characters_are_read_once_per_window(keyboard, running) -> None:
    scanner, recorder = running
    for _ in range(3):
        keyboard.scan(PAY)  # held in front of the scanner: the same read
    keyboard.scan(BILL, end=KEY_TAB)
    event = recorder.wait_for(DataEvent, lambda e: e.data.text == BILL)
    assert event.data.source is ScanSource.KEYBOARD
    assert _codes(recorder) == [PAY, BILL]
    assert not recorder.of_type(ErrorEvent)
    assert scanner.check_health().status is HealthStatus.WARNING  # not grabbed: said so
    assert "not grabbed" in scanner.check_health().detail


def test_records_split_across_writes_are_one_code(keyboard, running) -> None:
    _, recorder = running
    raw = pack_events(keystrokes(BILL))
    for at in range(0, len(raw), 7):
        keyboard.write(raw[at : at + 7])
    recorder.wait_for(DataEvent)
    assert _codes(recorder) == [BILL]


def test_untrustworthy_keys_are_refused_with_a_reason_and_never_a_code(keyboard, running) -> None:
    scanner, recorder = running
    keyboard.scan(PAY, end=None)
    keyboard.write(pack_events([InputEvent(0, 0, EV_KEY, KEY_F1, 1)]))
    keyboard.scan("1")
    keyboard.scan("7" * 600)
    keyboard.scan(BILL)
    recorder.wait_for(DataEvent)
    errors = recorder.of_type(ErrorEvent)
    assert [e.cause for e in errors] == [KeyRejectReason.UNMAPPED_KEY, KeyRejectReason.TOO_LONG]
    assert all(not e.retryable and PAY not in e.message for e in errors)
    assert _codes(recorder) == [BILL]
    assert scanner.rejected == 2
    assert scanner.check_health().status is HealthStatus.WARNING


def test_nothing_is_read_while_disabled(keyboard) -> None:
    scanner = _scanner(keyboard)
    recorder = EventRecorder(scanner)
    scanner.open()
    try:
        keyboard.connect()
        keyboard.scan("IGNORED")
        keyboard.scan("HALF", end=None)
        scanner.enable()
        keyboard.scan(PAY)
        recorder.wait_for(DataEvent)
        assert _codes(recorder) == [PAY]
    finally:
        scanner.close()


def test_unplugged_is_reported_and_the_scanner_is_used_again(keyboard, running) -> None:
    scanner, recorder = running
    keyboard.scan(PAY)
    recorder.wait_for(DataEvent)
    keyboard.scan("13456", end=None)  # cut off mid-code by the unplug
    keyboard.unplug()
    lost = recorder.wait_for(StatusEvent, lambda e: e.status is DeviceState.UNAVAILABLE)
    assert "closed" in lost.detail
    assert scanner.state is DeviceState.UNAVAILABLE
    assert scanner.check_health().status is HealthStatus.FAULT
    keyboard.plug_in()
    recorder.wait_for(StatusEvent, lambda e: e.status is DeviceState.ENABLED, timeout=3)
    keyboard.connect()
    keyboard.scan(BILL)
    recorder.wait_for(DataEvent, lambda e: e.data.text == BILL)
    assert _codes(recorder) == [PAY, BILL]  # the half code from before was not glued on
    assert not recorder.of_type(ErrorEvent)


def test_close_lets_go_promptly(keyboard, running) -> None:
    scanner, _ = running
    done = threading.Event()

    def close() -> None:
        scanner.close()
        done.set()

    threading.Thread(target=close, daemon=True).start()
    assert done.wait(1.0)
    assert scanner.state is DeviceState.CLOSED


def test_a_device_that_cannot_be_grabbed_fails_open_with_the_fix(keyboard) -> None:
    scanner = HidScanner(keyboard.url)  # grab=True by default; a FIFO is no input device
    with pytest.raises(NotAnInputDevice, match="/dev/input/by-id"):
        scanner.open()
    assert scanner.state is DeviceState.CLOSED


def test_grab_refusals_are_typed_and_name_the_fix() -> None:
    path = "/dev/input/by-id/usb-Scanner-event-kbd"
    denied = grab_refusal(OSError(errno.EACCES, "Permission denied"), path)
    assert isinstance(denied, ScannerAccessDenied) and isinstance(denied, DeviceUnavailable)
    assert "udev rule" in str(denied) and "'input'" in str(denied)
    assert isinstance(grab_refusal(OSError(errno.EPERM, "x"), path), ScannerAccessDenied)
    assert isinstance(grab_refusal(OSError(errno.EBUSY, "x"), path), ScannerHeldElsewhere)
    assert isinstance(grab_refusal(OSError(errno.ENOTTY, "x"), path), NotAnInputDevice)
    assert type(grab_refusal(OSError(errno.EIO, "x"), path)) is GrabFailed


def test_open_fails_plainly_when_no_scanner_is_there_and_bad_settings_fail_early(
    tmp_path: Path,
) -> None:
    scanner = HidScanner(f"evdev://{tmp_path / 'none'}", grab=False)
    with pytest.raises(DeviceUnavailable) as raised:
        scanner.open()
    assert not isinstance(raised.value, GrabFailed)
    assert scanner.state is DeviceState.CLOSED
    for url in ("/dev/input/event3", "serial:///dev/ttyUSB0", "evdev://dev/input/event3"):
        with pytest.raises(ValueError):
            HidScanner(url)
    with pytest.raises(ValueError):
        HidScanner(f"evdev://{tmp_path / 'none'}", grab="yes")  # type: ignore[arg-type]
