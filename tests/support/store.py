"""Fixtures for the local store and the outbox relay: a real SQLite file in tmp_path."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.store import Store, open_store
from sync.protocol.schemas import EventAck, EventBatch, EventBatchResult


def wait_until(predicate: Callable[[], object], timeout: float = 5.0) -> None:
    """Poll `predicate` until it is true; fail the test if it is not within `timeout`."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(0.005)


class RecordingDeliver:
    """A stand-in for the center's event endpoint: records batches, answers as told.

    `fail_next` exceptions are raised first, one per call; then each event is answered with
    `answer(event_id)` ("accepted" unless told otherwise).
    """

    def __init__(self) -> None:
        self.batches: list[EventBatch] = []
        self.fail_next: list[BaseException] = []
        self.answer: Callable[[object], str] = lambda _id: "accepted"
        self._lock = threading.Lock()

    def __call__(self, batch: EventBatch) -> EventBatchResult:
        with self._lock:
            self.batches.append(batch)
            if self.fail_next:
                raise self.fail_next.pop(0)
            return EventBatchResult(
                results=[
                    EventAck(
                        id=e.id,
                        status=(status := self.answer(e.id)),  # type: ignore[arg-type]
                        reason="test says no" if status == "rejected" else None,
                    )
                    for e in batch.events
                ]
            )

    @property
    def delivered_ids(self) -> list[object]:
        with self._lock:
            return [e.id for b in self.batches for e in b.events]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.sqlite3"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    opened = open_store(store_path)
    yield opened
    opened.close()


@pytest.fixture
def recording_deliver() -> RecordingDeliver:
    return RecordingDeliver()
