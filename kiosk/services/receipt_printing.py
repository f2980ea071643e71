"""Printing one receipt and waiting to know whether it came out.

`ReceiptPrinting.print` blocks its (service) thread until the printer says the job is out, or
that it cannot print it, or the wait runs out. A receipt that did not print is cleared from the
driver's queue: a job held until paper is loaded would come out later for nobody. The reprint is
asked for explicitly, from the payment journal.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from drivers.contracts import (
    DeviceError,
    DeviceEvent,
    DeviceState,
    DeviceUnavailable,
    ErrorEvent,
    OutputCompleteEvent,
    PrinterStatus,
    PrintJob,
    ReceiptPrinter,
    StatusEvent,
)

log = logging.getLogger(__name__)


class PrintProblem(StrEnum):
    """Why a receipt did not print, in words a screen can turn into a sentence."""

    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"
    NO_PRINTER = "no_printer"
    TIMEOUT = "timeout"


_PROBLEM_OF = {
    PrinterStatus.PAPER_OUT: PrintProblem.PAPER_OUT,
    PrinterStatus.COVER_OPEN: PrintProblem.COVER_OPEN,
    PrinterStatus.OFFLINE: PrintProblem.OFFLINE,
}
# After the job is cleared on a timeout, how long an OutputCompleteEvent already on its way may
# take to arrive: the receipt did come out, and the resident should hear so.
_LATE_COMPLETION_S = 0.5


@dataclass(frozen=True)
class PrintResult:
    printed: bool
    reason: str | None = None  # a PrintProblem when not printed
    job_id: str | None = None


class ReceiptPrinting:
    """One receipt at a time on one printer; calls from several threads take turns."""

    def __init__(
        self,
        printer: ReceiptPrinter | None,
        wait_s: float,
        printed: Callable[[PrintJob], None] | None = None,
    ) -> None:
        """`printed(job)`: told of each job that came out (the paper roll's count)."""
        if not wait_s > 0:
            raise ValueError(f"wait_s must be positive, not {wait_s!r}")
        self._printer = printer
        self._printed = printed
        self._wait_s = float(wait_s)
        self._turn = threading.Lock()  # one job in flight
        self._changed = threading.Condition()
        self._waiting = False
        self._outcomes: dict[str, PrintResult] = {}  # job id -> how it ended, while waiting
        self._lost = False  # the printer went away while a job was waiting
        # Subscribed once for the printer's life; events are routed by job id.
        self._unsubscribe = printer.subscribe(self._on_event) if printer is not None else None

    def problem_now(self) -> PrintProblem | None:
        """Why a receipt could not print now, from the status the driver last read (no I/O):
        so the resident hears it before paying. None when it can print, or when it is not known:
        a status not read yet is never taken for a fault (the print itself will tell)."""
        printer = self._printer
        if printer is None:
            return None  # a kiosk set up without a printer: nothing to warn of
        state = printer.state
        if state in (DeviceState.CLOSED, DeviceState.IDLE):
            return PrintProblem.NO_PRINTER
        if state is DeviceState.UNAVAILABLE:
            return PrintProblem.OFFLINE
        return _PROBLEM_OF.get(printer.status)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def print(self, job: PrintJob) -> PrintResult:
        """Print ``job`` and wait, at most ``wait_s``, to know whether it came out."""
        printer = self._printer
        if printer is None or printer.state in (DeviceState.CLOSED, DeviceState.IDLE):
            return PrintResult(False, PrintProblem.NO_PRINTER)
        with self._turn:
            with self._changed:
                self._waiting, self._lost = True, False
                self._outcomes.clear()
            try:
                result = self._print(printer, job)
                if result.printed and self._printed is not None:
                    self._printed(job)
                return result
            finally:
                with self._changed:
                    self._waiting = False
                    self._outcomes.clear()

    def _print(self, printer: ReceiptPrinter, job: PrintJob) -> PrintResult:
        try:
            job_id = printer.print_job(job)
        except DeviceUnavailable:
            return PrintResult(False, PrintProblem.OFFLINE)
        except DeviceError:  # closed or disabled meanwhile
            return PrintResult(False, PrintProblem.NO_PRINTER)
        deadline = time.monotonic() + self._wait_s
        with self._changed:
            self._changed.wait_for(
                lambda: job_id in self._outcomes or self._lost, deadline - time.monotonic()
            )
            result = self._outcomes.get(job_id)
            if self._lost and not (result and result.printed):
                # A pulled cable also fails the job as "status unknown": offline says more.
                result = PrintResult(False, PrintProblem.OFFLINE, job_id)
        if result is not None and result.printed:
            return result
        dropped = printer.clear_output()
        if result is None and job_id not in dropped:
            # Not in the queue any more: it finished just now, or it is being cleared mid-print
            # (no completion will come then). A completion on its way is worth a short wait.
            with self._changed:
                self._changed.wait_for(lambda: job_id in self._outcomes, _LATE_COMPLETION_S)
                late = self._outcomes.get(job_id)
            if late is not None and late.printed:
                return late
        if result is None:
            result = PrintResult(False, PrintProblem.TIMEOUT, job_id)
        log.info("receipt job %s not printed (%s): cleared from the printer", job_id, result.reason)
        return result

    def _on_event(self, event: DeviceEvent) -> None:
        """On the printer's event thread: note how the awaited job ended; never blocks long."""
        with self._changed:
            if not self._waiting:
                return
            if isinstance(event, OutputCompleteEvent):
                self._outcomes[event.job_id] = PrintResult(True, None, event.job_id)
            elif isinstance(event, ErrorEvent) and event.job_id is not None:
                cause = event.cause
                problem = (
                    _PROBLEM_OF.get(cause, PrintProblem.UNKNOWN)
                    if isinstance(cause, PrinterStatus)
                    else PrintProblem.UNKNOWN
                )
                self._outcomes.setdefault(event.job_id, PrintResult(False, problem, event.job_id))
            elif isinstance(event, StatusEvent) and event.status is DeviceState.UNAVAILABLE:
                self._lost = True
            else:
                return
            self._changed.notify_all()
