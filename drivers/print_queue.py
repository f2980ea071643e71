"""The job queue every receipt printer driver shares: jobs print in order; after an error the
failed job and those behind it are held, never dropped, until the application retries or clears.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from dataclasses import dataclass

from drivers.contracts import PrintJob, ReceiptPrinter


@dataclass
class QueuedJob:
    job_id: str
    job: PrintJob
    started: bool = False  # bytes of it went out: a second attempt is a reprint


class QueuedPrinter(ReceiptPrinter):
    """`print_job`, `retry_output`, `clear_output` and `held_jobs` over one condition-guarded
    queue; the driver's printing thread waits on `_wake` and takes jobs from `_queue`."""

    def __init__(self, name: str | None = None) -> None:
        super().__init__(name)
        self._wake = threading.Condition()
        self._queue: deque[QueuedJob] = deque()
        self._held = False
        self._reported: set[str] = set()  # held jobs whose ErrorEvent went out

    def print_job(self, job: PrintJob) -> str:
        if not isinstance(job, PrintJob):
            raise TypeError(f"print_job needs a PrintJob, got {type(job).__name__}")
        self._require_enabled("print")
        job_id = uuid.uuid4().hex
        with self._wake:
            self._queue.append(QueuedJob(job_id, job))
            self._wake.notify_all()
        return job_id

    def retry_output(self) -> None:
        self._require_enabled("retry printing")
        with self._wake:
            self._held = False
            self._reported.clear()
            self._wake.notify_all()

    def clear_output(self) -> list[str]:
        with self._wake:
            dropped = [entry.job_id for entry in self._queue]
            self._queue.clear()
            self._held = False
            self._reported.clear()
            return dropped
