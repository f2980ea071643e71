"""A background thread that does one step every so often, or at once when woken."""

from __future__ import annotations

import threading
from collections.abc import Callable


class Periodic:
    """Runs `step()` and waits `wait()` seconds (or until `wake()`), until `stop()`.

    `step` must not raise: the loop is the caller's only guard against a thread that ends
    without anyone noticing.
    """

    def __init__(self, name: str, step: Callable[[], None], wait: Callable[[], float]) -> None:
        self._name = name
        self._step = step
        self._wait = wait
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"{self._name} is already running")
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the thread to end and wait up to `timeout`; True if it has."""
        self._stopping.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._step()
            self._wake.wait(self._wait())
            self._wake.clear()
