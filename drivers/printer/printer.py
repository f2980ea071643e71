"""The ESC/POS receipt printer driver, on a serial port, a network socket or USB.

One ``LinkSupervisor`` owns the link; its session prints jobs one at a time and, between jobs,
asks the printer its status now and then, so a change (paper loaded, cover closed) and a pulled
cable are noticed without a job. Before a job the status is read; during it, between chunks.

Held jobs behave as in the simulated printer: a job stopped by paper out, an open cover, an
offline printer, an unreadable status or a lost link ends in a retryable ErrorEvent and is held,
with every job behind it, until the application calls ``retry_output()`` or ``clear_output()``.
A held job that had started to print is printed again whole, under a "REPRINT / 重打" line, so
nothing is printed twice without saying so.
"""

from __future__ import annotations

import logging
import threading
import time

import serial

from drivers.contracts import (
    PRINTER_HEALTH,
    PRINTING_STOPPED_BY,
    DeviceState,
    DeviceUnavailable,
    ErrorEvent,
    HealthStatus,
    OutputCompleteEvent,
    PrinterStatus,
    StatusEvent,
)
from drivers.link import Backoff, LinkError, LinkSupervisor
from drivers.print_queue import QueuedJob, QueuedPrinter
from drivers.printer.escpos_bytes import MODELS, PrinterModel, job_chunks
from drivers.printer.status import is_eot_reply, parse_condition, status_request

# One wording and one health table for both printer drivers, so the screen reads the same.

log = logging.getLogger(__name__)

_PORT_ERRORS: tuple[type[BaseException], ...]
try:
    import termios

    # pyserial lets termios.error (EIO from tcdrain on a vanished port) through unwrapped.
    _PORT_ERRORS = (serial.SerialException, OSError, termios.error)
except ImportError:  # not a POSIX system
    _PORT_ERRORS = (serial.SerialException, OSError)
# What ends a print job on this port: the port itself lost, or the link gone.
_JOB_LOST: tuple[type[BaseException], ...] = (*_PORT_ERRORS, LinkError)


class EscPosPrinter(QueuedPrinter):
    """``url``: ``serial:///dev/serial/by-id/...?baud=115200``, ``tcp://host:9100`` or
    ``usb://0416:5011?interface=0&in_ep=0x81&out_ep=0x03`` (usb_link; needs pyusb and libusb).

    ``paper``: a model of drivers.printer.escpos_bytes.MODELS ("58mm", "80mm"), or a
    PrinterModel for a printer that differs.
    """

    def __init__(
        self,
        name: str | None = None,
        url: str = "",
        paper: str | PrinterModel = "58mm",
        baud: int = 115200,
        status_timeout_s: float = 0.5,
        idle_poll_s: float = 2.0,
        poll_every_bytes: int = 1024,
        reconnect_first_s: float = 0.5,
    ) -> None:
        super().__init__(name)
        if not isinstance(url, str) or "://" not in url:
            raise ValueError(
                f"url must name the printer's link, e.g. serial:///dev/..., not {url!r}"
            )
        if not isinstance(paper, PrinterModel) and not (isinstance(paper, str) and paper in MODELS):
            raise ValueError(f"paper must be one of {', '.join(MODELS)}, not {paper!r}")
        for label, value in (
            ("status_timeout_s", status_timeout_s),
            ("idle_poll_s", idle_poll_s),
            ("reconnect_first_s", reconnect_first_s),
        ):
            if not isinstance(value, int | float) or not 0 < value <= 60:
                raise ValueError(f"{label} must be 0-60 s, not {value!r}")
        self.url = url
        self.model = paper if isinstance(paper, PrinterModel) else MODELS[paper]
        self.capabilities = self.model.capabilities()
        self._baud = baud
        self._status_timeout = float(status_timeout_s)
        self._idle_poll = float(idle_poll_s)
        self._poll_every = max(int(poll_every_bytes), 1)
        self._backoff = Backoff(first=reconnect_first_s, most=max(30.0, reconnect_first_s))
        self._hold_cause: PrinterStatus | None = None
        self._hold_message = "printing stopped: waiting for retry"
        self._status = PrinterStatus.UNKNOWN
        self._closing = False
        self._supervisor: LinkSupervisor | None = None

    # contract

    @property
    def status(self) -> PrinterStatus:
        if self.state in (DeviceState.UNAVAILABLE, DeviceState.CLOSED):
            return PrinterStatus.UNKNOWN
        return self._status

    def held_jobs(self) -> list[str]:
        """Ids of the jobs waiting to print, the held ones first."""
        with self._wake:
            return [entry.job_id for entry in self._queue]

    # lifecycle

    def _on_open(self) -> None:
        self._closing = False
        self._supervisor = LinkSupervisor(
            self.name,
            self.url,
            self._session,
            on_lost=self._lost,
            on_back=self._back,
            baud=self._baud,
            timeout=0.05,
            backoff=self._backoff,
        )
        try:
            self._supervisor.open_once()
        except LinkError as error:
            raise DeviceUnavailable(str(error)) from error
        self._supervisor.start()

    def _on_enable(self) -> None:
        with self._wake:
            self._wake.notify_all()

    def _on_close(self) -> None:
        with self._wake:
            self._closing = True
            self._wake.notify_all()
        if self._supervisor is not None:
            self._supervisor.stop()
            self._supervisor = None
        self._status = PrinterStatus.UNKNOWN

    def _health_when_open(self) -> tuple[HealthStatus, str]:
        return PRINTER_HEALTH[self.status]

    # the link, on the supervisor's thread

    def _lost(self, detail: str) -> None:
        self._become_unavailable(detail)
        with self._wake:
            self._status = PrinterStatus.UNKNOWN
            if self._queue:
                self._hold(PrinterStatus.UNKNOWN, f"printer disconnected: {detail}")

    def _back(self) -> None:
        self._become_available()  # held jobs wait for the application's retry

    def _session(self, port: serial.SerialBase, stop: threading.Event) -> None:
        try:
            self._serve(port, stop)
        except LinkError:
            raise
        except _PORT_ERRORS as error:
            raise LinkError(f"{self.name}: {error}") from error

    def _serve(self, port: serial.SerialBase, stop: threading.Event) -> None:
        self._poll(port)
        last_poll = time.monotonic()
        while not (stop.is_set() or self._closing):
            with self._wake:
                entry = self._next_job()
                if entry is None:
                    self._wake.wait(max(0.0, last_poll + self._idle_poll - time.monotonic()))
            if entry is not None:
                self._print(port, entry, stop)
                last_poll = time.monotonic()
            elif time.monotonic() - last_poll >= self._idle_poll:
                self._poll(port)  # a pulled cable fails here, and the supervisor reports it
                last_poll = time.monotonic()

    def _next_job(self) -> QueuedJob | None:
        if self._held:
            self._report_held()
            return None
        if self.state is not DeviceState.ENABLED or not self._queue or self._closing:
            return None
        return self._queue[0]

    def _print(self, port: serial.SerialBase, entry: QueuedJob, stop: threading.Event) -> None:
        if self._stopped_by(self._poll(port)):
            return
        chunks = job_chunks(entry.job, self.model, reprint=entry.started)
        entry.started = True
        since_poll = 0
        try:
            for chunk in chunks:
                if stop.is_set() or not self._still_queued(entry):
                    return  # closing, or cleared: a retry reprints it whole, marked
                port.write(chunk)
                since_poll += len(chunk)
                if since_poll >= self._poll_every:
                    port.flush()
                    since_poll = 0
                    if self._stopped_by(self._poll(port)):
                        return
            port.flush()
            # The last status says whether the end of the receipt came out too.
            if self._stopped_by(self._poll(port)):
                return
        except _JOB_LOST:
            with self._wake:
                self._held = True  # the supervisor reports the loss; the job waits for retry
            raise
        with self._wake:
            if self._still_queued(entry):
                self._queue.popleft()
                self._emit(OutputCompleteEvent(self.name, entry.job_id))

    def _still_queued(self, entry: QueuedJob) -> bool:
        return bool(self._queue) and self._queue[0] is entry

    def _stopped_by(self, status: PrinterStatus) -> bool:
        if status not in PRINTING_STOPPED_BY:
            return False
        with self._wake:
            self._hold(status, PRINTING_STOPPED_BY[status])
        return True

    def _hold(self, cause: PrinterStatus, message: str) -> None:
        """Hold the queue and tell, once per job, why it waits (caller holds ``_wake``)."""
        self._held = True
        self._hold_cause = cause
        self._hold_message = message
        self._report_held()

    def _report_held(self) -> None:
        cause = self._hold_cause
        message = self._hold_message
        for entry in self._queue:
            if entry.job_id not in self._reported:
                self._reported.add(entry.job_id)
                self._emit(
                    ErrorEvent(self.name, message, retryable=True, job_id=entry.job_id, cause=cause)
                )

    # status, by DLE EOT

    def _poll(self, port: serial.SerialBase) -> PrinterStatus:
        """Read the printer's status; tell the application when it changed."""
        replies = []
        for n in (1, 2, 3, 4):
            reply = self._ask(port, n)
            if reply is None:
                break  # no answer: asking the rest would only wait longer
            replies.append(reply)
        if len(replies) == 4:
            condition = parse_condition(tuple(replies))  # type: ignore[arg-type]
            status, detail = condition.status, condition.detail
        else:
            status, detail = PrinterStatus.UNKNOWN, "the printer does not answer status requests"
        if status is not self._status:
            self._status = status
            log.info("%s: status %s (%s)", self.name, status.value, detail)
            self._emit(StatusEvent(self.name, status, detail))
        return status

    def _ask(self, port: serial.SerialBase, n: int) -> bytes | None:
        """One DLE EOT exchange: the valid reply byte, or None (timeout or noise twice)."""
        for _attempt in range(2):
            port.reset_input_buffer()  # a late or unsolicited byte is not this answer
            port.write(status_request(n))
            port.flush()
            deadline = time.monotonic() + self._status_timeout
            reply = b""
            while not reply and time.monotonic() < deadline:
                reply = port.read(1)
            if not reply:
                return None
            if is_eot_reply(reply):
                return reply
            # Noise on the line: ask once more.
        return None
