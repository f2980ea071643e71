"""Waiting in tests for something that happens on another thread: poll with a deadline, never
a fixed sleep as the check."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(condition: Callable[[], object], timeout: float = 3.0) -> bool:
    """True as soon as `condition()` is; False if it still is not after `timeout` seconds."""
    pause = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return True
        pause.wait(0.01)
    return bool(condition())


def wait_for(value: Callable[[], T | None], timeout: float = 3.0, what: str = "") -> T:
    """The first truthy `value()`, polled until `timeout`; fails the test if none comes."""
    pause = threading.Event()
    for _ in range(int(timeout / 0.01) + 1):
        result = value()
        if result:
            return result
        pause.wait(0.01)
    raise AssertionError(f"{what or 'condition'} not met within {timeout} s")
