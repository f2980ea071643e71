"""Waiting in tests for something that happens on another thread: poll with a deadline, never
a fixed sleep as the check."""

from __future__ import annotations

import threading
from collections.abc import Callable


def eventually(condition: Callable[[], object], timeout: float = 3.0) -> bool:
    """True as soon as `condition()` is; False if it still is not after `timeout` seconds."""
    pause = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return True
        pause.wait(0.01)
    return bool(condition())
