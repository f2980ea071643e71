"""A receipt printer that lives in memory: prints on its own thread, runs out of paper on demand.

Jobs print one at a time, in order, each taking a little while. A job that meets paper out, an
open cover, an offline printer or an unreadable status ends in a retryable ErrorEvent and is held
with every job behind it until the application calls ``retry_output()`` or ``clear_output()``.
"""

from __future__ import annotations

import threading
import time
import unicodedata

from drivers.contracts import (
    PRINTER_HEALTH,
    PRINTING_STOPPED_BY,
    Align,
    Cut,
    DeviceState,
    ErrorEvent,
    Feed,
    HealthStatus,
    OutputCompleteEvent,
    PrinterCapabilities,
    PrinterStatus,
    PrintJob,
    QrCode,
    StatusEvent,
    TextLine,
    TextSize,
)
from drivers.print_queue import QueuedJob, QueuedPrinter
from drivers.simulated.cable import Cable, check_sim_url


class SimulatedPrinter(QueuedPrinter, Cable):
    def __init__(
        self,
        name: str | None = None,
        url: str = "sim://printer",
        paper_width_chars: int = 32,
        seconds_per_job: float = 0.02,
    ) -> None:
        super().__init__(name)
        check_sim_url(url, "printer")
        if not isinstance(paper_width_chars, int) or not 16 <= paper_width_chars <= 64:
            raise ValueError(f"paper_width_chars must be 16-64, not {paper_width_chars!r}")
        if not isinstance(seconds_per_job, int | float) or not 0 <= seconds_per_job <= 10:
            raise ValueError(f"seconds_per_job must be 0-10, not {seconds_per_job!r}")
        self.capabilities = PrinterCapabilities(paper_width_chars=paper_width_chars)
        self._seconds_per_job = float(seconds_per_job)
        self._paper = PrinterStatus.ONLINE  # what the mechanism reports when connected
        self._printed: list[QueuedJob] = []
        self._stopping = False
        self._worker: threading.Thread | None = None

    # contract

    @property
    def status(self) -> PrinterStatus:
        if self.state is DeviceState.UNAVAILABLE:
            return PrinterStatus.UNKNOWN
        return self._paper

    # the resident's hands and the technician's

    def set_status(self, status: PrinterStatus) -> None:
        """What the mechanism reports from now on; a StatusEvent goes out if it changed."""
        with self._wake:
            changed = status is not self._paper
            self._paper = status
            self._wake.notify_all()
        if changed:
            self._emit(StatusEvent(self.name, status, PRINTER_HEALTH[status][1]))

    def paper_out(self) -> None:
        self.set_status(PrinterStatus.PAPER_OUT)

    def paper_near_end(self) -> None:
        self.set_status(PrinterStatus.PAPER_NEAR_END)

    def open_cover(self) -> None:
        self.set_status(PrinterStatus.COVER_OPEN)

    def go_offline(self) -> None:
        self.set_status(PrinterStatus.OFFLINE)

    def back_to_normal(self) -> None:
        self.set_status(PrinterStatus.ONLINE)

    def printed_jobs(self) -> list[QueuedJob]:
        with self._wake:
            return list(self._printed)

    def held_jobs(self) -> list[QueuedJob]:
        """Jobs waiting to print, the held ones first."""
        with self._wake:
            return list(self._queue)

    def render_text(self, job: PrintJob) -> str:
        return render_text(job, self.capabilities.paper_width_chars)

    # lifecycle

    def _on_open(self) -> None:
        self._stopping = False
        self._worker = threading.Thread(target=self._run, name=f"{self.name}-print", daemon=True)
        self._worker.start()

    def _on_enable(self) -> None:
        with self._wake:
            self._wake.notify_all()

    def _on_close(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._worker is not None:
            self._worker.join(timeout=2.0)
            self._worker = None

    def _health_when_open(self) -> tuple[HealthStatus, str]:
        return PRINTER_HEALTH[self.status]

    def _become_unavailable(self, detail: str) -> None:
        super()._become_unavailable(detail)
        with self._wake:
            self._wake.notify_all()  # queued jobs fail now, not when the next one comes

    def _become_available(self) -> None:
        super()._become_available()
        with self._wake:
            self._wake.notify_all()

    # the print mechanism, on its own thread

    def _run(self) -> None:
        with self._wake:
            while not self._stopping:
                if self._held:
                    self._report_held()
                    self._wake.wait()
                elif not self._queue or self.state not in (
                    DeviceState.ENABLED,
                    DeviceState.UNAVAILABLE,
                ):
                    self._wake.wait()
                elif self._blocking_status() is not None:
                    self._held = True
                else:
                    self._print_head()

    def _print_head(self) -> None:
        head = self._queue[0]
        deadline = time.monotonic() + self._seconds_per_job
        while not self._stopping and (remaining := deadline - time.monotonic()) > 0:
            self._wake.wait(remaining)
        if self._stopping or not self._queue or self._queue[0] is not head:
            return  # closed, or the job was cleared while printing
        if self._blocking_status() is not None:
            self._held = True  # the paper ran out mid-receipt: the whole job prints again
            return
        if self.state is not DeviceState.ENABLED:
            return
        self._queue.popleft()
        self._printed.append(head)
        self._emit(OutputCompleteEvent(self.name, head.job_id))

    def _blocking_status(self) -> PrinterStatus | None:
        status = self.status
        return status if status in PRINTING_STOPPED_BY else None

    def _report_held(self) -> None:
        cause = self._blocking_status()
        message = PRINTING_STOPPED_BY[cause] if cause else "printing stopped: waiting for retry"
        for entry in self._queue:
            if entry.job_id not in self._reported:
                self._reported.add(entry.job_id)
                self._emit(
                    ErrorEvent(self.name, message, retryable=True, job_id=entry.job_id, cause=cause)
                )


# --- a plain-text picture of a receipt, for tests and the demo ---------------------------------


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    lines, current, used = [], "", 0
    for ch in text:
        w = _columns(ch)
        if used + w > width and current:
            lines.append(current)
            current, used = "", 0
        current += ch
        used += w
    lines.append(current)
    return lines


def _place(text: str, used: int, width: int, align: Align) -> str:
    gap = max(width - used, 0)
    if align is Align.CENTER:
        return " " * (gap // 2) + text
    if align is Align.RIGHT:
        return " " * gap + text
    return text


def render_text(job: PrintJob, width: int = 32) -> str:
    """The receipt as it would look on paper, one string line per printed line.

    Wide CJK characters take two columns; double-width text takes twice its columns (shown
    unstretched so tests can search it); a QR code shows as ``[QR <data>]``; a cut as a rule.
    """
    out: list[str] = []
    for line in job.lines:
        if isinstance(line, TextLine):
            scale = 2 if line.size in (TextSize.DOUBLE_WIDTH, TextSize.DOUBLE) else 1
            for part in _wrap(line.text, width // scale):
                out.append(_place(part, _columns(part) * scale, width, line.align))
        elif isinstance(line, QrCode):
            text = f"[QR {line.data}]"
            out.append(_place(text, _columns(text), width, line.align))
        elif isinstance(line, Feed):
            out.extend([""] * line.lines)
        elif isinstance(line, Cut):
            label = " partial cut " if line.partial else " cut "
            out.append(label.center(width, "-"))
    return "\n".join(part.rstrip() for part in out)
