"""The driver of a SAM-protocol ID-card reader on a serial or USB-CDC port.

While enabled it polls find -> select -> read every ``poll_interval``. A card found is reported
as StatusEvent(CardPresence.CARD_PRESENT) and read once per placing: DataEvent(IdCard), then
nothing until "no card" is seen, which is reported as StatusEvent(CardPresence.NO_CARD), or
until ``read_again()`` is asked. A garbled, short or missing reply, or a card lifted
mid-read, is retried up to ``attempts`` times, then reported once as a retryable ErrorEvent
(lifting and placing the card again is the retry). A card whose data is invalid (bad check
digit, unknown layout) is reported as not retryable. The link supervisor reports a lost port
and brings it back; ``check_health()`` asks the SAM for its status.
"""

from __future__ import annotations

import logging
import threading
import time
from enum import Enum

import serial

from drivers.contracts import (
    CardPresence,
    DataEvent,
    DeviceState,
    DeviceUnavailable,
    ErrorEvent,
    HealthStatus,
    IdCardReader,
    StatusEvent,
)
from drivers.idcard.card_text import parse_card_text
from drivers.idcard.errors import (
    CardTextError,
    FrameError,
    IdCardReaderError,
    InvalidIdNumber,
    NoAnswer,
    ReaderRefused,
)
from drivers.idcard.protocol import (
    Command,
    FrameAssembler,
    Reply,
    SamStatus,
    build_request,
    parse_read_data,
    parse_reply,
)
from drivers.link import Backoff, LinkError, LinkSupervisor, parse_link

log = logging.getLogger(__name__)

PORT_READ_TIMEOUT = 0.05  # one read's wait; the exchange's own deadline is reply_timeout


class ReadFailure(Enum):
    """The cause of an ErrorEvent from this reader."""

    NO_ANSWER = "the reader does not answer"
    BAD_REPLY = "the reader's replies are garbled"
    REFUSED = "the reader could not read the card"
    BAD_CARD = "the card's data is not readable"
    INVALID_ID_NUMBER = "the card's ID number is invalid"


def _failure_of(error: IdCardReaderError) -> ReadFailure:
    if isinstance(error, NoAnswer):
        return ReadFailure.NO_ANSWER
    if isinstance(error, FrameError):
        return ReadFailure.BAD_REPLY
    if isinstance(error, InvalidIdNumber):
        return ReadFailure.INVALID_ID_NUMBER
    if isinstance(error, CardTextError):
        return ReadFailure.BAD_CARD
    return ReadFailure.REFUSED


class _Stopping(Exception):
    """The link is being stopped in the middle of an exchange."""


class SamSerialIdCardReader(IdCardReader):
    def __init__(
        self,
        name: str | None = None,
        url: str = "serial:///dev/ttyUSB0?baud=115200",
        poll_interval: float = 0.3,
        reply_timeout: float = 1.0,
        attempts: int = 3,
        fingerprint: bool = False,
        reconnect_after: float = 0.5,
        idle_check: float = 2.0,
    ) -> None:
        super().__init__(name)
        try:
            parse_link(url)
        except LinkError as error:
            raise ValueError(str(error)) from None
        for option, value, low, high in (
            ("poll_interval", poll_interval, 0.01, 10),
            ("reply_timeout", reply_timeout, 0.05, 30),
            ("attempts", attempts, 1, 20),
            ("reconnect_after", reconnect_after, 0.01, 60),
            ("idle_check", idle_check, 0.05, 600),
        ):
            if not isinstance(value, int | float) or not low <= value <= high:
                raise ValueError(f"{option} must be {low}-{high}, not {value!r}")
        self._url = url
        self._poll_interval = float(poll_interval)
        self._reply_timeout = float(reply_timeout)
        self._attempts = int(attempts)
        self._read_command = Command.READ_CARD_FINGERPRINT if fingerprint else Command.READ_CARD
        self._reconnect_after = float(reconnect_after)
        # While not enabled, a SAM status now and then notices an unplugged port.
        self._idle_check = float(idle_check)
        self._link: LinkSupervisor | None = None
        self._io_lock = threading.Lock()  # one exchange at a time: polling vs check_health
        self._wake = threading.Event()
        # The card on the reader, as the session thread alone sees it.
        self._present = False  # "find" said a card is there
        self._done = False  # that card was read, or its failure reported
        self._reader_trouble = False  # a failing reader was reported; cleared when it answers
        self._card_found = False  # in this attempt, "find" said a card is there
        self._forget_on_poll = False
        self._read_on_poll = False

    # --- lifecycle -------------------------------------------------------------------------------

    def _on_open(self) -> None:
        self._link = LinkSupervisor(
            self.name,
            self._url,
            self._session,
            on_lost=self._on_lost,
            on_back=self._become_available,
            baud=115200,
            timeout=PORT_READ_TIMEOUT,
            backoff=Backoff(first=self._reconnect_after, most=30.0),
        )
        try:
            self._link.open_once()
        except LinkError as error:
            self._link = None
            raise DeviceUnavailable(str(error)) from error
        self._link.start()

    def _on_enable(self) -> None:
        self._wake.set()

    def _on_disable(self) -> None:
        # A card left on the reader is read again once enabled, even if the session thread
        # never saw the reader disabled in between.
        self._forget_on_poll = True
        self._wake.set()

    def read_again(self) -> None:
        # Only the session thread touches the card's state: it reads the card at its next poll.
        self._read_on_poll = True
        self._wake.set()

    def _on_close(self) -> None:
        link, self._link = self._link, None
        self._wake.set()
        if link is not None:
            link.stop()

    def _on_lost(self, detail: str) -> None:
        self._become_unavailable(f"ID-card reader lost: {detail}")

    def _health_when_open(self) -> tuple[HealthStatus, str]:
        port = self._link.port if self._link else None
        if port is None:
            return HealthStatus.FAULT, "not connected"
        for attempt in range(1, self._attempts + 1):
            try:
                reply = self._exchange(port, Command.SAM_STATUS, threading.Event())
                break
            except NoAnswer:
                if attempt == self._attempts:
                    return HealthStatus.FAULT, "the reader does not answer"
            except FrameError as error:
                if attempt == self._attempts:
                    return HealthStatus.WARNING, f"garbled reply to SAM status: {error}"
            except (serial.SerialException, OSError, _Stopping):
                return HealthStatus.FAULT, "port error"
        if reply.status is SamStatus.OK:
            return HealthStatus.OK, "SAM ok"
        if reply.status is SamStatus.SAM_SELF_TEST_FAILED:
            return HealthStatus.FAULT, "SAM self-test failed"
        return HealthStatus.WARNING, f"SAM status {reply.status}"

    # --- the session, on the link's thread -------------------------------------------------------

    def _session(self, port: serial.SerialBase, stop: threading.Event) -> None:
        self._forget_card()  # the reader may have been swapped while away
        last_check = time.monotonic()
        try:
            while not stop.is_set():
                if self.state is DeviceState.ENABLED:
                    if self._forget_on_poll:
                        self._forget_on_poll = False
                        self._forget_card()
                    if self._read_on_poll:
                        self._read_on_poll = False
                        self._done = False
                    self._poll(port, stop)
                else:
                    self._forget_card()
                    if time.monotonic() - last_check >= self._idle_check:
                        last_check = time.monotonic()
                        self._check_quietly(port, stop)
                self._pause(stop)
        except _Stopping:
            return

    def _pause(self, stop: threading.Event) -> None:
        """Wait one poll interval, or less when stopping or enabled/disabled meanwhile."""
        self._wake.clear()
        deadline = time.monotonic() + self._poll_interval
        while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            if self._wake.wait(min(left, 0.05)):
                return

    def _check_quietly(self, port: serial.SerialBase, stop: threading.Event) -> None:
        # Only a port error matters here (it propagates to the supervisor); the SAM's own
        # status is for check_health().
        try:
            self._exchange(port, Command.SAM_STATUS, stop)
        except IdCardReaderError as error:
            log.debug("%s: SAM status while idle: %s", self.name, type(error).__name__)

    def _forget_card(self) -> None:
        self._present = self._done = self._reader_trouble = False

    def _poll(self, port: serial.SerialBase, stop: threading.Event) -> None:
        failure: IdCardReaderError | None = None
        for attempt in range(1, self._attempts + 1):
            try:
                self._find_and_read(port, stop)
                return
            except CardTextError as error:
                # Reading again gives the same bytes: the card itself is the problem.
                self._done = True
                self._report(error, retryable=False)
                return
            except IdCardReaderError as error:
                failure = error
                log.info("%s: attempt %d: %s", self.name, attempt, error)
        assert failure is not None
        if self._card_found:
            if not self._done:
                self._done = True  # reported once; lifting and placing the card tries again
                self._report(failure, retryable=True)
        elif not self._reader_trouble:
            self._reader_trouble = True  # reported once, until the reader answers again
            self._report(failure, retryable=True)

    def _find_and_read(self, port: serial.SerialBase, stop: threading.Event) -> None:
        self._card_found = False
        reply = self._exchange(port, Command.FIND_CARD, stop)
        self._reader_trouble = False
        if reply.status is SamStatus.NO_CARD:
            if self._present:
                self._emit(StatusEvent(self.name, CardPresence.NO_CARD, "card removed"))
            self._present = self._done = False
            return
        if reply.status is not SamStatus.FIND_OK:
            raise ReaderRefused(reply.status, "find card")
        if not self._present:
            self._emit(StatusEvent(self.name, CardPresence.CARD_PRESENT, "card placed"))
        self._present = self._card_found = True
        if self._done:
            return
        reply = self._exchange(port, Command.SELECT_CARD, stop)
        if reply.status is not SamStatus.OK:
            raise ReaderRefused(reply.status, "select card")
        reply = self._exchange(port, self._read_command, stop)
        if reply.status is not SamStatus.OK:
            raise ReaderRefused(reply.status, "read card")
        with_fingerprint = self._read_command is Command.READ_CARD_FINGERPRINT
        record = parse_read_data(reply.data, with_fingerprint=with_fingerprint)
        card = parse_card_text(record.text, record.photo)
        self._done = True
        if self.state is DeviceState.ENABLED:
            log.info("%s: read %r", self.name, card)  # IdCard's repr is masked
            self._emit(DataEvent(self.name, card))

    def _report(self, error: IdCardReaderError, *, retryable: bool) -> None:
        cause = _failure_of(error)
        log.warning("%s: %s: %s", self.name, cause.value, error)
        self._emit(ErrorEvent(self.name, f"{cause.value}: {error}", retryable, cause=cause))

    # --- one exchange ----------------------------------------------------------------------------

    def _exchange(self, port: serial.SerialBase, command: Command, stop: threading.Event) -> Reply:
        """Send ``command`` and return the reader's reply, within ``reply_timeout``."""
        with self._io_lock:
            port.reset_input_buffer()  # what is left of an abandoned reply is not this answer
            port.write(build_request(command))
            port.flush()
            frame = self._read_frame(port, stop, command)
        return parse_reply(frame)

    def _read_frame(
        self, port: serial.SerialBase, stop: threading.Event, command: Command
    ) -> bytes:
        assembler = FrameAssembler()
        deadline = time.monotonic() + self._reply_timeout
        while True:
            if stop.is_set():
                raise _Stopping
            frame = assembler.feed(port.read(assembler.needed))
            if frame is not None:
                return frame
            if time.monotonic() > deadline:
                raise NoAnswer(f"no whole reply to {command.name} within {self._reply_timeout} s")
