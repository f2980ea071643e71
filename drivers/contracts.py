"""What the kiosk knows about its devices, UnifiedPOS-style, with no vendor in sight.

A device has an explicit lifecycle (open, enable, disable, close), one event stream
(data, status, error, output-complete), capabilities as data, and a health check for the
maintenance screen. Events are delivered on the device's own thread; subscribers must not
block (the UI turns them into queued Qt signals). Errors are events with a ``retryable`` flag:
the application, not the driver, decides whether to retry or clear.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    # Only the camera's frames are arrays; numpy is a fifth of a cold start, so not at import.
    import numpy as np
    from numpy.typing import NDArray


logger = logging.getLogger(__name__)


# --- errors -----------------------------------------------------------------------------------


class DeviceError(Exception):
    """Base of every error a device raises."""


class IllegalState(DeviceError):
    """A lifecycle step or an operation was asked for in a state that does not allow it."""


class DeviceUnavailable(DeviceError):
    """The device is gone (unplugged, powered off) or could not be reached."""


class InvalidPrintJob(DeviceError, ValueError):
    """A print job that no printer could print (empty, bad line, control characters)."""


# --- lifecycle and health -----------------------------------------------------------------------


class DeviceState(Enum):
    CLOSED = "closed"
    IDLE = "idle"  # open, not enabled: no data is read, no output is made
    ENABLED = "enabled"
    UNAVAILABLE = "unavailable"  # open, but the device disappeared; only close() is legal


class HealthStatus(Enum):
    OK = "ok"
    WARNING = "warning"
    FAULT = "fault"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Health:
    status: HealthStatus
    detail: str  # short, technician-readable, never personal data
    checked_at: datetime


# --- events -----------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DataEvent:
    """Input from the device: a ScannedCode, an IdCard, ..."""

    device: str
    data: Any
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True)
class StatusEvent:
    """A change the application may show: PrinterStatus, CardPresence or DeviceState."""

    device: str
    status: Enum
    detail: str = ""
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True)
class ErrorEvent:
    """Something failed; ``retryable`` tells whether retrying can help once the cause is fixed."""

    device: str
    message: str
    retryable: bool
    job_id: str | None = None
    cause: Enum | None = None
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True)
class OutputCompleteEvent:
    device: str
    job_id: str
    at: datetime = field(default_factory=_now)


DeviceEvent = DataEvent | StatusEvent | ErrorEvent | OutputCompleteEvent
Subscriber = Callable[[DeviceEvent], None]

_STOP = object()


class EventStream:
    """One device's subscribers and the thread that calls them, in the order events were emitted.

    An event may be due later (``delay``) to model a device's latency; order is kept anyway.
    Stopping delivers what is already queued, then ends the thread.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._subscribers: tuple[Subscriber, ...] = ()
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_due = 0.0

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers = (*self._subscribers, callback)

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers = tuple(s for s in self._subscribers if s is not callback)

        return unsubscribe

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        self._queue = queue.SimpleQueue()
        self._stopping.clear()
        self._last_due = 0.0
        self._thread = threading.Thread(
            target=self._run, args=(self._queue,), name=f"{self._name}-events", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopping.set()
        self._queue.put(_STOP)
        thread.join(timeout)
        if thread.is_alive():
            logger.warning("event thread of %s did not stop: a subscriber blocks", self._name)

    def emit(self, event: DeviceEvent, delay: float = 0.0) -> None:
        """Queue an event; dropped when the device is closed (nobody listens to a closed one)."""
        if self._thread is None:
            return
        with self._lock:
            # Never earlier than what is already queued: order of emission is order of delivery.
            due = max(time.monotonic() + delay, self._last_due)
            self._last_due = due
        self._queue.put((due, event))

    def _run(self, inbox: queue.SimpleQueue[Any]) -> None:
        while True:
            item = inbox.get()
            if item is _STOP:
                return
            due, event = item
            remaining = due - time.monotonic()
            if remaining > 0:
                self._stopping.wait(remaining)
            for callback in self._subscribers:
                try:
                    callback(event)
                except Exception:
                    # One faulty subscriber must not silence the device for the others.
                    logger.exception(
                        "subscriber of %s failed on %s", self._name, type(event).__name__
                    )


# --- the device base ----------------------------------------------------------------------------


class Device:
    """Lifecycle, event stream and health common to every device.

    Drivers override the ``_on_*`` hooks (start and stop their threads there) and
    ``_health_when_open``. Driver threads must never call open/enable/disable/close:
    those join the threads.
    """

    kind: ClassVar[str] = "device"

    def __init__(self, name: str | None = None) -> None:
        self.name = name or self.kind
        self._state = DeviceState.CLOSED
        self._state_before_loss = DeviceState.IDLE
        self._lifecycle = threading.Lock()  # one transition at a time
        self._state_lock = threading.Lock()  # guards _state alone; driver threads may take it
        self._events = EventStream(self.name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} {self._state.value}>"

    @property
    def state(self) -> DeviceState:
        return self._state

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Receive every event of this device, on its thread; returns the unsubscribe call."""
        return self._events.subscribe(callback)

    # lifecycle

    def open(self) -> None:
        with self._lifecycle:
            self._require(DeviceState.CLOSED, "open")
            self._events.start()
            try:
                self._on_open()
            except BaseException:
                self._events.stop()
                raise
            self._set_state(DeviceState.IDLE)

    def enable(self) -> None:
        with self._lifecycle:
            self._require(DeviceState.IDLE, "enable")
            # Enabled before the hook runs, so driver threads it wakes see the new state.
            self._set_state(DeviceState.ENABLED)
            try:
                self._on_enable()
            except BaseException:
                self._set_state(DeviceState.IDLE)
                raise

    def disable(self) -> None:
        with self._lifecycle:
            self._require(DeviceState.ENABLED, "disable")
            self._set_state(DeviceState.IDLE)
            self._on_disable()

    def close(self) -> None:
        with self._lifecycle:
            if self._state is DeviceState.CLOSED:
                raise IllegalState(f"cannot close {self.name}: it is not open")
            if self._state is DeviceState.ENABLED:
                self._set_state(DeviceState.IDLE)
                self._on_disable()
            self._set_state(DeviceState.CLOSED)
            try:
                self._on_close()
            finally:
                self._events.stop()

    # health

    def check_health(self) -> Health:
        state = self._state
        if state is DeviceState.CLOSED:
            return Health(HealthStatus.UNKNOWN, "not open", _now())
        if state is DeviceState.UNAVAILABLE:
            return Health(HealthStatus.FAULT, "not connected", _now())
        status, detail = self._health_when_open()
        return Health(status, detail, _now())

    # for drivers

    def _on_open(self) -> None:
        """Connect; raise DeviceUnavailable if the device cannot be reached."""

    def _on_enable(self) -> None:
        pass

    def _on_disable(self) -> None:
        pass

    def _on_close(self) -> None:
        pass

    def _health_when_open(self) -> tuple[HealthStatus, str]:
        return HealthStatus.OK, "ready"

    def _emit(self, event: DeviceEvent, delay: float = 0.0) -> None:
        self._events.emit(event, delay)

    def _require(self, expected: DeviceState, action: str) -> None:
        if self._state is not expected:
            raise IllegalState(f"cannot {action} {self.name} while {self._state.value}")

    def _require_enabled(self, action: str) -> None:
        state = self._state
        if state is DeviceState.UNAVAILABLE:
            raise DeviceUnavailable(f"cannot {action}: {self.name} is not connected")
        if state is not DeviceState.ENABLED:
            raise IllegalState(f"cannot {action}: {self.name} is {state.value}, not enabled")

    def _set_state(self, state: DeviceState) -> None:
        with self._state_lock:
            self._state = state

    def _become_unavailable(self, detail: str) -> None:
        """The device vanished: report it; its driver keeps trying to get it back."""
        with self._state_lock:
            if self._state not in (DeviceState.IDLE, DeviceState.ENABLED):
                return
            self._state_before_loss = self._state
            self._state = DeviceState.UNAVAILABLE
        self._emit(StatusEvent(self.name, DeviceState.UNAVAILABLE, detail))

    def _become_available(self) -> None:
        """The device is back: return to where it was before it vanished."""
        with self._state_lock:
            if self._state is not DeviceState.UNAVAILABLE:
                return
            self._state = self._state_before_loss
            state = self._state
        self._emit(StatusEvent(self.name, state, "connected again"))


# --- receipt printer ----------------------------------------------------------------------------


class PrinterStatus(Enum):
    ONLINE = "online"
    PAPER_NEAR_END = "paper near end"  # still prints: a warning for the technician
    PAPER_OUT = "paper out"
    COVER_OPEN = "cover open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"  # the status could not be read; never taken for paper out


# Statuses a job cannot print through, and what the technician reads about them: one wording
# for every printer driver.
PRINTING_STOPPED_BY = {
    PrinterStatus.PAPER_OUT: "paper out: load a new roll",
    PrinterStatus.COVER_OPEN: "cover open: close the printer cover",
    PrinterStatus.OFFLINE: "printer offline",
    PrinterStatus.UNKNOWN: "printer status cannot be read",
}

PRINTER_HEALTH = {
    PrinterStatus.ONLINE: (HealthStatus.OK, "online"),
    PrinterStatus.PAPER_NEAR_END: (HealthStatus.WARNING, "paper near end: replace the roll soon"),
    PrinterStatus.PAPER_OUT: (HealthStatus.FAULT, PRINTING_STOPPED_BY[PrinterStatus.PAPER_OUT]),
    PrinterStatus.COVER_OPEN: (HealthStatus.FAULT, PRINTING_STOPPED_BY[PrinterStatus.COVER_OPEN]),
    PrinterStatus.OFFLINE: (HealthStatus.FAULT, PRINTING_STOPPED_BY[PrinterStatus.OFFLINE]),
    PrinterStatus.UNKNOWN: (HealthStatus.UNKNOWN, PRINTING_STOPPED_BY[PrinterStatus.UNKNOWN]),
}


class Align(Enum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class TextSize(Enum):
    NORMAL = "normal"
    DOUBLE_HEIGHT = "double height"
    DOUBLE_WIDTH = "double width"
    DOUBLE = "double"  # double height and width


def _has_control_characters(text: str) -> bool:
    return any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text)


@dataclass(frozen=True)
class TextLine:
    text: str
    size: TextSize = TextSize.NORMAL
    bold: bool = False
    align: Align = Align.LEFT

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise InvalidPrintJob(f"text line needs a str, got {type(self.text).__name__}")
        if _has_control_characters(self.text):
            # A stray ESC or newline would be a printer command, not text.
            raise InvalidPrintJob("text line contains control characters (one line per TextLine)")


QR_MAX_BYTES = 2953  # version 40, error correction L, byte mode


@dataclass(frozen=True)
class QrCode:
    data: str
    module_size: int = 6  # dots per module; ESC/POS allows 1-16
    align: Align = Align.CENTER

    def __post_init__(self) -> None:
        if not self.data:
            raise InvalidPrintJob("QR code with no data")
        if len(self.data.encode("utf-8")) > QR_MAX_BYTES:
            raise InvalidPrintJob(f"QR data longer than {QR_MAX_BYTES} bytes")
        if not 1 <= self.module_size <= 16:
            raise InvalidPrintJob(f"QR module size {self.module_size} outside 1-16")


@dataclass(frozen=True)
class Feed:
    lines: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.lines <= 255:
            raise InvalidPrintJob(f"feed of {self.lines} lines outside 1-255")


@dataclass(frozen=True)
class Cut:
    partial: bool = True  # a partial cut leaves the receipt hanging until taken


PrintLine = TextLine | QrCode | Feed | Cut


@dataclass(frozen=True)
class PrintJob:
    """A device-neutral receipt: a renderer turns it into the printer's bytes."""

    lines: tuple[PrintLine, ...]

    def __post_init__(self) -> None:
        lines = tuple(self.lines)
        if not lines:
            raise InvalidPrintJob("print job with no lines")
        for line in lines:
            if not isinstance(line, TextLine | QrCode | Feed | Cut):
                raise InvalidPrintJob(f"not a print line: {type(line).__name__}")
        object.__setattr__(self, "lines", lines)


# Heads a receipt that may already be on paper once: a held job printed again, a reprint asked
# for by the resident, a receipt caught mid-print by a restart.
REPRINT_MARK = TextLine("REPRINT / 重打", size=TextSize.DOUBLE, bold=True, align=Align.CENTER)


def marked_reprint(job: PrintJob) -> PrintJob:
    return PrintJob((REPRINT_MARK, *job.lines))


@dataclass(frozen=True)
class PrinterCapabilities:
    paper_width_chars: int = 32  # normal-size ASCII columns: 32 on 58 mm paper, 48 on 80 mm
    native_qr: bool = True
    cutter: bool = True


class ReceiptPrinter(Device, ABC):
    """Prints jobs in order. Each job ends in OutputCompleteEvent or ErrorEvent (with its id).

    After an ErrorEvent the failed job and those behind it are held, not dropped; the
    application calls ``retry_output()`` once the cause is fixed, or ``clear_output()``.
    """

    kind = "printer"
    capabilities: PrinterCapabilities

    @property
    @abstractmethod
    def status(self) -> PrinterStatus: ...

    @abstractmethod
    def print_job(self, job: PrintJob) -> str:
        """Queue a job; returns its id at once. Raises IllegalState unless enabled."""

    @abstractmethod
    def retry_output(self) -> None:
        """Print the held jobs again (after paper was loaded, the cover closed, ...)."""

    @abstractmethod
    def clear_output(self) -> list[str]:
        """Drop every held or queued job; returns their ids."""


# --- code scanner -------------------------------------------------------------------------------


class ScanSource(Enum):
    SERIAL = "serial"
    KEYBOARD = "keyboard"  # HID keyboard-wedge scanner
    CAMERA = "camera"
    SIMULATED = "simulated"


def mask(text: str, keep_start: int, keep_end: int) -> str:
    """``text`` with the middle starred out, for anything personal that might reach a log."""
    if len(text) <= keep_start + keep_end:
        return "*" * len(text)
    tail = text[len(text) - keep_end :] if keep_end else ""
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + tail


@dataclass(frozen=True, repr=False)
class ScannedCode:
    """A decoded code. It may be a payment code, so its repr hides most of it."""

    text: str
    source: ScanSource

    def __repr__(self) -> str:
        return f"ScannedCode({mask(self.text, 4, 0)!r}, len={len(self.text)}, {self.source.value})"


class CodeScanner(Device):
    """Emits DataEvent(ScannedCode) for each code read while enabled."""

    kind = "scanner"


# --- ID card reader -----------------------------------------------------------------------------


class CardKind(Enum):
    RESIDENT = "resident identity card"
    FOREIGN_PERMANENT = "foreign permanent resident ID card"
    FOREIGN_PERMANENT_2023 = "foreign permanent resident ID card (2023)"
    HK_MACAU_TAIWAN = "Hong Kong / Macau / Taiwan residence permit"


class Gender(Enum):
    UNKNOWN = 0
    MALE = 1
    FEMALE = 2
    UNSPECIFIED = 9


class CardPresence(Enum):
    CARD_PRESENT = "card present"
    NO_CARD = "no card"


@dataclass(frozen=True, repr=False)
class IdCard:
    """What a second-generation ID card (or a card read the same way) carries.

    Its repr masks the name, ID number and address, and leaves out the photo, so a card
    printed into a log by accident leaks nothing that identifies a person.
    """

    kind: CardKind
    name: str
    gender: Gender
    nation: str  # two-digit code, "01" Han; empty on foreign cards
    birth_date: date
    address: str
    id_number: str
    authority: str
    valid_from: date
    valid_to: date | None  # None: 长期, no expiry
    photo: bytes  # WLT, opaque: only vendor libraries decode it
    english_name: str = ""  # foreign cards
    nationality: str = ""  # foreign cards: ISO 3166 alpha-3
    pass_number: str = ""  # HK/Macau/Taiwan permit: the travel permit's number
    issue_count: int = 0  # HK/Macau/Taiwan permit: issues; 2023 foreign card: renewals

    def __repr__(self) -> str:
        valid_to = self.valid_to.isoformat() if self.valid_to else "长期"
        return (
            f"IdCard({self.kind.name}, name={mask(self.name, 1, 0)!r}, "
            f"id_number={mask(self.id_number, 2, 2)!r}, address={mask(self.address, 3, 0)!r}, "
            f"valid_to={valid_to})"
        )

    def valid_on(self, day: date) -> bool:
        if day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to


class IdCardReader(Device):
    """Emits StatusEvent(CARD_PRESENT) when a card is laid on it, DataEvent(IdCard) when that
    card is read (once per placing), StatusEvent(NO_CARD) when it is taken away."""

    kind = "idcard"

    def read_again(self) -> None:
        """Read the card lying on the reader once more, as if it had just been placed.

        Returns at once; the DataEvent (or nothing, if no card is there) follows. For a resident
        who asks for their card to be read while it already lies there: without this, a card
        is read only when it is placed.
        """
        raise NotImplementedError


# --- camera -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CameraCapabilities:
    width: int
    height: int
    fps: float


@dataclass(frozen=True, repr=False)
class Frame:
    image: NDArray[np.uint8]  # grey, height x width
    index: int  # counts up from 0 since open
    at: float  # time.monotonic() when captured
    # The same picture in colour (BGR, height x width x 3) when the camera gives colour: what
    # a video call sends. None from a grey source (the test pictures).
    colour: NDArray[np.uint8] | None = None

    def __repr__(self) -> str:
        return f"Frame(#{self.index}, {self.image.shape}, at={self.at:.3f})"


class Camera(Device, ABC):
    """Captures frames on its own thread while enabled; the newest is always at hand."""

    kind = "camera"
    capabilities: CameraCapabilities

    @abstractmethod
    def latest(self) -> Frame | None:
        """The newest frame, or None before the first one."""

    @abstractmethod
    def wait_for_frame(self, newer_than: int = -1, timeout: float = 1.0) -> Frame | None:
        """The newest frame once its index exceeds ``newer_than``; None on timeout."""
