"""The bridge between blocking work and the UI thread.

Service calls run in a worker pool; their result or error comes back on the UI thread through a
queued signal. Every task has a token: a task that overruns its time limit reports
`TaskTimedOut` at once, and whatever it returns later is dropped, as is every result of a task
forgotten because the screen moved on or the session ended. Device callbacks arrive on driver
threads and are turned into signals the same way.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

if TYPE_CHECKING:
    from kiosk.services.device_input import Device, DeviceEvent

log = logging.getLogger(__name__)


T = TypeVar("T")


class TaskTimedOut(Exception):
    """The work did not finish within the time the screen gives it."""


@dataclass(slots=True)
class _Pending:
    on_result: Callable[[Any], None]
    on_error: Callable[[BaseException], None]
    timer: QTimer


class BackgroundTasks(QObject):
    """Runs blocking calls off the UI thread and answers on it. Create and use on the UI thread."""

    sig_settled = Signal(int, object)
    """(token, concurrent.futures.Future): emitted from a worker, delivered on the UI thread."""

    sig_busy_changed = Signal(bool)
    """(busy): True when the first task starts, False when none is left pending."""

    def __init__(self, workers: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-ui-task")
        self._pending: dict[int, _Pending] = {}
        self._tokens = itertools.count(1)
        # Queued even when a task finishes before run() returns: callers get the token first.
        self.sig_settled.connect(self._on_settled, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(
        self,
        work: Callable[..., T],
        *args: object,
        timeout_s: float,
        on_result: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> int:
        """Start `work(*args)` in the pool; exactly one callback runs later, on this thread."""
        token = next(self._tokens)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self._on_timeout(token, timeout_s))
        was_busy = self.busy
        self._pending[token] = _Pending(on_result, on_error, timer)
        if not was_busy:
            self.sig_busy_changed.emit(True)
        timer.start(int(timeout_s * 1000))
        future = self._pool.submit(work, *args)
        # Emitted on the worker thread: Qt queues it to this object's (the UI) thread.
        future.add_done_callback(lambda done: self.sig_settled.emit(token, done))
        return token

    def forget(self, token: int) -> None:
        """The screen no longer wants this answer."""
        self._drop(token)

    def forget_all(self) -> None:
        """The session ended: no answer of any running task may reach the screen."""
        for token in list(self._pending):
            self._drop(token)

    def shutdown(self) -> None:
        self.forget_all()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _drop(self, token: int) -> _Pending | None:
        pending = self._pending.pop(token, None)
        if pending is None:
            return None
        pending.timer.stop()
        pending.timer.deleteLater()
        if not self._pending:
            self.sig_busy_changed.emit(False)
        return pending

    @Slot(int, object)
    def _on_settled(self, token: int, future: Future[Any]) -> None:
        pending = self._drop(token)
        if pending is None:
            log.debug("late result of task %d dropped", token)
            return
        error = future.exception()
        if error is not None:
            pending.on_error(error)
        else:
            pending.on_result(future.result())

    def _on_timeout(self, token: int, timeout_s: float) -> None:
        pending = self._drop(token)
        if pending is not None:
            log.info("task %d gave up after %.1f s", token, timeout_s)
            pending.on_error(TaskTimedOut(f"no answer within {timeout_s:g} s"))


class DeviceSignals(QObject):
    """Turns code-scanner and ID-card-reader callbacks (driver threads) into Qt signals.

    The events are told apart by their shape, not their classes: the driver contracts stay out
    of the window's first frame.
    """

    sig_code_scanned = Signal(str)
    """(text): the decoded text of a code shown to the scanner."""

    sig_id_card_read = Signal(object)
    """(IdCard): a card placed on the reader; its repr is masked, its data is not: never log it."""

    sig_id_card_present = Signal(bool)
    """(present): a card was laid on the reader (True) or taken away (False)."""

    sig_id_card_unreadable = Signal(bool)
    """(place_again): a card on the reader could not be read. False: its data is not that of a
    valid card. True: the reader failed to read it every time (a worn card, placed askew), and
    lifting it and placing it flat again may work."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribes: list[Callable[[], None]] = []
        self._id_card_readers: list[Device] = []
        self._card_on_reader = False
        # Queued to this object's (the UI) thread, so the flag is only ever touched there.
        self.sig_id_card_present.connect(self._note_card_presence)

    def attach_scanner(self, scanner: Device) -> None:
        self._unsubscribes.append(scanner.subscribe(self._on_scanner_event))

    def attach_id_card_reader(self, reader: Device) -> None:
        self._id_card_readers.append(reader)
        self._unsubscribes.append(reader.subscribe(self._on_id_card_event))

    def detach_all(self) -> None:
        while self._unsubscribes:
            self._unsubscribes.pop()()
        self._id_card_readers.clear()
        self._card_on_reader = False

    @property
    def has_id_card_reader(self) -> bool:
        return bool(self._id_card_readers)

    @property
    def card_on_reader(self) -> bool:
        """A card lies on the reader, as far as its events told (read or not)."""
        return self._card_on_reader

    def read_id_card_again(self) -> None:
        """Ask the readers to read the card lying on them once more; returns at once."""
        for reader in self._id_card_readers:
            read_again = getattr(reader, "read_again", None)  # IdCardReader's, told by its shape
            if read_again is not None:
                read_again()

    def _note_card_presence(self, present: bool) -> None:
        self._card_on_reader = present

    def _on_scanner_event(self, event: DeviceEvent) -> None:
        data = getattr(event, "data", None)
        text = getattr(data, "text", data)  # drivers.contracts.ScannedCode, or plain text
        if isinstance(text, str):
            self.sig_code_scanned.emit(text)

    def _on_id_card_event(self, event: DeviceEvent) -> None:
        data = getattr(event, "data", None)
        presence = getattr(getattr(event, "status", None), "name", None)
        if data is not None and hasattr(data, "id_number"):
            self.sig_id_card_present.emit(True)
            self.sig_id_card_read.emit(data)
        elif presence in ("CARD_PRESENT", "NO_CARD"):
            self.sig_id_card_present.emit(presence == "CARD_PRESENT")
        elif getattr(event, "retryable", True) is False:
            # Not retryable: the card's own data is invalid (a reader's trouble can pass).
            self.sig_id_card_present.emit(True)
            self.sig_id_card_unreadable.emit(False)
        elif getattr(getattr(event, "cause", None), "name", None) == "REFUSED":
            # A card lies there and every read of it failed: the driver tries again only once
            # it is lifted, so the resident must be told (a silent reader looks broken).
            self.sig_id_card_present.emit(True)
            self.sig_id_card_unreadable.emit(True)


class TaskGroup:
    """The tasks one controller started: each can be told apart, all forgotten at once."""

    def __init__(self, tasks: BackgroundTasks) -> None:
        self._tasks = tasks
        self._tokens: set[int] = set()

    def run(
        self,
        work: Callable[..., T],
        *args: object,
        timeout_s: float,
        on_result: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> int:
        """`BackgroundTasks.run`, remembered until it settles."""
        token = 0

        def result(value: T) -> None:
            self._tokens.discard(token)
            on_result(value)

        def error(problem: BaseException) -> None:
            self._tokens.discard(token)
            on_error(problem)

        token = self._tasks.run(work, *args, timeout_s=timeout_s, on_result=result, on_error=error)
        self._tokens.add(token)
        return token

    def forget_all(self) -> None:
        """No answer of a task of this group may reach the screen any more."""
        for token in list(self._tokens):
            self._tasks.forget(token)
        self._tokens.clear()
