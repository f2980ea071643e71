"""Who wants to hear of a change, for the services that run behind the screens.

Subscribing and telling may happen on any thread. A listener that fails is logged and never
stops the others, nor the service telling them: the screens are told, the work goes on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

L = TypeVar("L", bound=Callable[..., Any])


class Listeners(Generic[L]):
    def __init__(self, what: str) -> None:
        self._what = what  # named in the log when one of them fails
        self._lock = threading.Lock()
        self._listeners: list[L] = []

    def watch(self, listener: L) -> Callable[[], None]:
        """Tell `listener` of every change from now on; returns how to stop."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def tell(self, *news: Any) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(*news)
            except Exception:
                log.exception("a %s listener failed", self._what)
