"""Pulling reference data from the center into the kiosk's store, in the background.

One pull: ask which kinds were published after the revision this kiosk holds (`since`), fetch
only those, each with the ETag held (a 304 costs no body), then keep them all in one
transaction with the new `since`. A pull that fails anywhere (no answer, a 5xx, an answer that
does not match the protocol) keeps nothing, so the kiosk goes on with the data it had.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sync.backoff import backoff_delay
from sync.periodic import Periodic
from sync.protocol.reference import ReferenceDocument, ReferenceIndex, ReferenceKind

log = logging.getLogger(__name__)


class ReferenceSource(Protocol):
    """The center (sync.client.CenterClient)."""

    def reference_changes(self, since: int = 0) -> ReferenceIndex: ...

    def reference(
        self, kind: ReferenceKind, etag: str | None = None
    ) -> tuple[ReferenceDocument, str] | None: ...


class ReferenceShelf(Protocol):
    """Where the documents are kept (kiosk.store.reference_shelf)."""

    def held(self) -> dict[ReferenceKind, str]:
        """Kind -> the ETag of the document kept."""
        ...

    def since(self) -> int: ...

    def keep(self, documents: list[tuple[ReferenceDocument, str]], since: int) -> None:
        """Keep these documents and the new `since`, in one transaction."""
        ...


@dataclass(frozen=True)
class PullReport:
    revision: int
    fetched: tuple[ReferenceKind, ...] = ()
    unchanged: tuple[ReferenceKind, ...] = ()  # asked with an ETag, answered 304


class ReferencePuller:
    """`pull()` once (raises the client's CenterError), or `start()` pulling every interval."""

    def __init__(
        self,
        center: ReferenceSource,
        shelf: ReferenceShelf,
        *,
        interval_s: float = 300.0,
        retry_first_s: float = 5.0,
        retry_most_s: float = 300.0,
        on_change: Callable[[tuple[ReferenceKind, ...]], None] | None = None,
    ) -> None:
        self._center = center
        self._shelf = shelf
        self._interval_s = interval_s
        self._retry_first_s = retry_first_s
        self._retry_most_s = retry_most_s
        self._failures = 0
        self._on_change = on_change
        self._loop = Periodic("reference-pull", self._pull_quietly, self._next_wait)
        self._pulling = threading.Lock()

    def pull(self, *, every_kind: bool = False) -> PullReport:
        """One pull; `every_kind` asks for every kind (with its ETag) whatever the index says."""
        with self._pulling:
            held = self._shelf.held()
            since = self._shelf.since()
            index = self._center.reference_changes(since)
            wanted = {change.kind for change in index.changed}
            wanted |= set(ReferenceKind) - set(held)
            if every_kind or index.revision < since:
                # Asked for, or the center's numbering went back (restored from a backup).
                wanted = set(ReferenceKind)
            fetched: list[tuple[ReferenceDocument, str]] = []
            unchanged: list[ReferenceKind] = []
            for kind in sorted(wanted):
                answer = self._center.reference(kind, held.get(kind))
                if answer is None:
                    unchanged.append(kind)
                else:
                    fetched.append(answer)
            self._shelf.keep(fetched, index.revision)
            report = PullReport(
                index.revision, tuple(doc.kind for doc, _ in fetched), tuple(unchanged)
            )
        if report.fetched:
            log.info(
                "reference data updated",
                extra={"kinds": ",".join(report.fetched), "revision": report.revision},
            )
            if self._on_change is not None:
                self._on_change(report.fetched)
        return report

    def wake(self) -> None:
        """Pull now rather than at the next interval (the center's "sync now")."""
        self._loop.wake()

    def start(self) -> None:
        self._loop.start()

    def stop(self, timeout: float = 5.0) -> bool:
        return self._loop.stop(timeout)

    def _next_wait(self) -> float:
        if self._failures == 0:
            return self._interval_s
        return backoff_delay(
            self._failures,
            initial=self._retry_first_s,
            maximum=self._retry_most_s,
            jitter=random.random(),
        )

    def _pull_quietly(self) -> None:
        try:
            self.pull()
            self._failures = 0
        except Exception as error:  # the client's CenterError, or a store that failed
            self._failures += 1
            log.warning("reference data not pulled: %s", type(error).__name__)
