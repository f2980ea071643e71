"""The relay: a background thread that drains the outbox to the center, at least once.

It sends batches through a `deliver` callable (in production `CenterClient.deliver_events`),
acknowledges what the center accepted or already had, keeps what it rejected with the reason
(parked after a few tries, for a technician to look at), and backs off with jitter while the
center cannot be reached. An event the center leaves unanswered (it holds back an aggregate's
event until the one before it is stored) is offered again shortly, without counting a failure.
Personal fields are opened (`sealing`) only while a batch is being sent. Between batches it
compacts: acknowledged events older than `keep_delivered` are deleted a few hundred at a time.
Logs carry counts and ids, never payloads: they may hold personal data.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import Connection, Engine, select

from sync import queue
from sync.backoff import backoff_delay
from sync.protocol.errors import CenterError
from sync.protocol.schemas import EventBatch, EventBatchResult

log = logging.getLogger(__name__)

Deliver = Callable[[EventBatch], EventBatchResult]


@dataclass(frozen=True)
class RelayStatus:
    """What the maintenance screen shows about delivery to the center."""

    running: bool
    depth: int | None
    parked: int | None
    oldest_unsent: dt.datetime | None
    last_success: dt.datetime | None
    last_error: str | None
    failures_in_a_row: int
    delivered: int | None = None  # since the store was made, compacted ones included


class Relay:
    """Start with `start()`, call `notify()` after queuing events, `stop()` on the way out."""

    def __init__(
        self,
        engine: Engine | Callable[[], Engine],
        deliver: Deliver,
        kiosk_id: str,
        batch_size: int = 100,
        *,
        park_after: int = 5,
        idle_poll: float = 30.0,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        jitter: Callable[[], float] = random.random,
        sealing: queue.Sealing | None = None,
        keep_delivered: dt.timedelta = dt.timedelta(days=7),
        compact_batch: int = 500,
    ) -> None:
        if not 1 <= batch_size <= queue.MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {queue.MAX_BATCH}")
        self._engine = engine
        self._deliver = deliver
        self._kiosk_id = kiosk_id
        self._batch_size = batch_size
        self._park_after = park_after
        self._idle_poll = idle_poll
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._clock = clock
        self._jitter = jitter
        self._sealing = sealing
        self._keep_delivered = keep_delivered
        self._compact_batch = compact_batch
        self._wake = threading.Condition()
        self._notified = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._last_success: dt.datetime | None = None
        self._last_error: str | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the relay is already started")
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        """New events were committed: deliver them now (unless backing off after a failure)."""
        with self._wake:
            self._notified = True
            self._wake.notify_all()

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the thread to finish and wait up to `timeout`; True if it has ended."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.warning("outbox relay still busy after %.1f s", timeout)
            return False
        return True

    def status(self) -> RelayStatus:
        depth = parked = oldest = delivered = None
        try:
            with self._connect().connect() as connection:
                depth = queue.depth(connection)
                parked = queue.parked_count(connection)
                oldest = queue.oldest_unsent(connection)
                delivered = queue.total(connection, queue.DELIVERED)
        except Exception:
            log.exception("cannot read the outbox for the relay status")
        return RelayStatus(
            running=self._thread is not None and self._thread.is_alive(),
            depth=depth,
            parked=parked,
            oldest_unsent=oldest,
            last_success=self._last_success,
            last_error=self._last_error,
            failures_in_a_row=self._failures,
            delivered=delivered,
        )

    # -- work ------------------------------------------------------------------------------

    def _connect(self) -> Engine:
        return self._engine if isinstance(self._engine, Engine) else self._engine()

    def deliver_once(self) -> int:
        """Send one batch; return how many events it held (0 when the outbox is empty).

        Raises whatever `deliver` raises; the events then stay queued for the next try.
        """
        engine = self._connect()
        unopened: list[tuple[UUID, str]] = []
        with engine.begin() as connection:
            events = queue.next_batch(
                connection,
                self._batch_size,
                now=self._clock(),
                sealing=self._sealing,
                unopened=lambda event_id, why: unopened.append((event_id, why)),
            )
        if unopened:
            self._park_unopened(engine, unopened)
        if not events:
            return 0
        sent = {event.id for event in events}
        try:
            result = self._deliver(EventBatch(kiosk_id=self._kiosk_id, events=events))
        except Exception as exc:
            with engine.begin() as connection:
                queue.record_failure(connection, sent, _describe(exc), now=self._clock())
            raise
        self._record(engine, sent, result)
        return len(events)

    def compact_once(self) -> int:
        """Delete one small batch of events acknowledged longer ago than `keep_delivered`."""
        with self._connect().begin() as connection:
            return queue.compact(
                connection,
                acknowledged_before=self._clock() - self._keep_delivered,
                limit=self._compact_batch,
            )

    def _park_unopened(self, engine: Engine, unopened: list[tuple[UUID, str]]) -> None:
        # Its key is gone (or the row was altered): no retry can help; a technician must look.
        with engine.begin() as connection:
            for event_id, why in unopened:
                queue.record_failure(
                    connection, [event_id], f"cannot open: {why}", park_after=0, now=self._clock()
                )
        for event_id, why in unopened:
            log.error("event %s parked: its personal fields cannot be opened (%s)", event_id, why)

    def _record(self, engine: Engine, sent: set[UUID], result: EventBatchResult) -> None:
        now = self._clock()
        acknowledged = [a.id for a in result.results if a.status != "rejected" and a.id in sent]
        rejected = [a for a in result.results if a.status == "rejected" and a.id in sent]
        unanswered = sent - {a.id for a in result.results}
        parked: list[UUID] = []
        with engine.begin() as connection:
            queue.mark_acknowledged(connection, acknowledged, now=now)
            # Held back by the center (an earlier event of the aggregate is missing there):
            # not a failure of the event, so no attempt is counted; its aggregate waits a bit.
            queue.hold(connection, unanswered, now + dt.timedelta(seconds=self._backoff_initial))
            for ack in rejected:
                # Each rejected event waits its own back-off, longer with each try.
                retry_after = now + dt.timedelta(
                    seconds=backoff_delay(
                        _attempts(connection, ack.id) + 1,
                        initial=self._backoff_initial,
                        maximum=self._backoff_max,
                        jitter=self._jitter(),
                    )
                )
                parked += queue.record_failure(
                    connection,
                    [ack.id],
                    f"rejected: {ack.reason or 'no reason given'}",
                    retry_after=retry_after,
                    park_after=self._park_after,
                    now=now,
                )
        log.info(
            "outbox batch: %d acknowledged, %d rejected, %d unanswered",
            len(acknowledged),
            len(rejected),
            len(unanswered),
        )
        for ack in rejected:
            log.warning("center rejected event %s: %s", ack.id, ack.reason)
        for event_id in parked:
            log.error("event %s parked after %d attempts", event_id, self._park_after)
        self._last_success = now

    def _run(self) -> None:
        log.info("outbox relay started")
        while not self._stopping:
            try:
                full = self.deliver_once() == self._batch_size
            except Exception as exc:
                self._failures += 1
                self._last_error = _describe(exc)
                delay = backoff_delay(
                    self._failures,
                    initial=self._backoff_initial,
                    maximum=self._backoff_max,
                    jitter=self._jitter(),
                )
                log.warning(
                    "outbox delivery failed (%d in a row), retrying in %.1f s: %s",
                    self._failures,
                    delay,
                    self._last_error,
                    # Expected failures (no link, the center refusing) log without a trace.
                    exc_info=not isinstance(exc, (OSError, CenterError)),
                )
                self._wait(delay, wake_on_notify=False)
                continue
            self._failures = 0
            self._last_error = None
            compacted = self._compact_quietly()
            if not full and compacted < self._compact_batch:
                self._wait(self._idle_poll, wake_on_notify=True)
        log.info("outbox relay stopped")

    def _compact_quietly(self) -> int:
        try:
            return self.compact_once()
        except Exception:
            # Compaction failing must not stop delivery; the file grows until it works again.
            log.exception("outbox compaction failed")
            return 0

    def _wait(self, seconds: float, *, wake_on_notify: bool) -> None:
        with self._wake:
            self._wake.wait_for(
                lambda: self._stopping or (wake_on_notify and self._notified), timeout=seconds
            )
            self._notified = False


def _attempts(connection: Connection, event_id: UUID) -> int:
    attempts: int = connection.execute(
        select(queue.outbox.c.attempts).where(queue.outbox.c.id == str(event_id))
    ).scalar_one()
    return attempts


def _describe(exc: BaseException) -> str:
    # The exception's text, never a payload: client errors describe the request, not its body.
    return f"{type(exc).__name__}: {exc}"[:300]
