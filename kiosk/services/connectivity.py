"""Whether the kiosk can reach the center now, kept up to date in the background.

Every call to the center reports its outcome here (`record`, hooked to the center client); a
light probe (GET /v1/health) goes out every few seconds while the link is in doubt or idle. The
decisions are the pure `kiosk.domain.connectivity.LinkJudge`; this only adds the thread, the
lock and the listeners, which are called on background threads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from kiosk.domain.connectivity import LinkJudge, LinkRules
from kiosk.services.listeners import Listeners

log = logging.getLogger(__name__)

Listener = Callable[[bool], None]


class Connectivity:
    """`start()` the probing thread, `stop()` on the way out; `record()` from any thread."""

    def __init__(
        self,
        probe: Callable[[], bool],
        rules: LinkRules | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._probe = probe
        self._clock = clock
        self._judge = LinkJudge(rules or LinkRules(), now=clock())
        self._changed = threading.Condition()
        self._listeners: Listeners[Listener] = Listeners("connectivity")
        self._stopping = False
        self._thread: threading.Thread | None = None

    @property
    def online(self) -> bool:
        return self._judge.online

    def record(self, reachable: bool) -> None:
        """One center call's outcome: any answer is True; no connection, timeout or 5xx False."""
        with self._changed:
            turned = self._judge.record(reachable, self._clock())
            # The next probe's time may have moved (a failure asks for a quick look again).
            self._changed.notify_all()
        if turned is not None:
            log.warning("center %s", "reachable again" if turned else "unreachable: offline")
            self._tell(turned)

    def watch(self, listener: Listener) -> Callable[[], None]:
        return self._listeners.watch(listener)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("connectivity is already being watched")
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="center-probe", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._stopping:
                    wait = self._judge.seconds_to_next_probe(self._clock())
                    if wait <= 0:
                        break
                    self._changed.wait(wait)
                if self._stopping:
                    return
                self._judge.probed(self._clock())
            try:
                reachable = bool(self._probe())
            except Exception:
                log.exception("the center probe failed")
                reachable = False
            self.record(reachable)

    def _tell(self, online: bool) -> None:
        self._listeners.tell(online)
