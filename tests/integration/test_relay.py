"""The relay draining a real outbox: into a recording callable, and into the real center."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator

import pytest

from kiosk.store import Store
from sync import queue
from sync.backoff import backoff_delay
from sync.protocol.schemas import EventAck, EventBatch, EventBatchResult, EventEnvelope
from sync.relay import Relay
from tests.support.store import RecordingDeliver, wait_until

KIOSK = "kiosk-test-01"
T0 = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)
# Small enough to keep the tests fast, large enough that a test waiting on notify() would
# visibly time out if notify did not wake the relay.
FAST = {"backoff_initial": 0.01, "backoff_max": 0.05, "idle_poll": 30.0}


def _queue_events(
    store: Store, count: int, aggregate_id: str = "p-1", id_number: str = "110101199003070019"
) -> list[object]:
    # An ID number in the payload, so the logs test can look for it.
    with store.unit_of_work() as uow:
        ids = [
            uow.outbox.add(
                {
                    "type": "PaymentConfirmed",
                    "aggregate_type": "payment",
                    "aggregate_id": aggregate_id,
                    "occurred_at": T0,
                    "id_number": id_number,
                }
            )
            for _ in range(count)
        ]
        uow.commit()
    return ids


def _depth(store: Store) -> int:
    with store.engine.connect() as connection:
        return queue.depth(connection)


@pytest.fixture
def relay(store: Store, recording_deliver: RecordingDeliver) -> Iterator[Relay]:
    relay = Relay(store.engine, recording_deliver, KIOSK, batch_size=100, **FAST)
    store.when_events_committed(relay.notify)
    relay.start()
    yield relay
    assert relay.stop(timeout=5)


def test_notify_wakes_the_relay_and_it_drains_in_batches(
    store: Store, relay: Relay, recording_deliver: RecordingDeliver
) -> None:
    ids = _queue_events(store, 250)
    wait_until(lambda: _depth(store) == 0)
    assert recording_deliver.delivered_ids == ids
    assert [len(b.events) for b in recording_deliver.batches] == [100, 100, 50]
    assert {b.kiosk_id for b in recording_deliver.batches} == {KIOSK}
    status = relay.status()
    assert (status.running, status.depth, status.last_error) == (True, 0, None)
    assert status.last_success is not None


def test_a_failed_delivery_is_retried_and_the_thread_survives(
    store: Store, relay: Relay, recording_deliver: RecordingDeliver
) -> None:
    recording_deliver.fail_next = [ConnectionError("center down"), RuntimeError("bug")]
    [event_id] = _queue_events(store, 1)
    wait_until(lambda: _depth(store) == 0)
    assert recording_deliver.delivered_ids == [event_id] * 3
    assert relay.status().running
    assert relay.status().failures_in_a_row == 0


def test_the_status_tells_the_last_error_while_the_center_is_down(
    store: Store, recording_deliver: RecordingDeliver
) -> None:
    recording_deliver.fail_next = [ConnectionError("center down")] * 1000
    relay = Relay(store.engine, recording_deliver, KIOSK, **FAST)
    _queue_events(store, 2)
    relay.start()
    try:
        wait_until(lambda: relay.status().failures_in_a_row >= 3)
        status = relay.status()
        assert status.depth == 2
        assert status.last_error == "ConnectionError: center down"
        assert status.oldest_unsent == T0
    finally:
        assert relay.stop(timeout=5)
    assert not relay.status().running


def test_duplicates_count_as_delivered(
    store: Store, relay: Relay, recording_deliver: RecordingDeliver
) -> None:
    recording_deliver.answer = lambda _id: "duplicate"
    _queue_events(store, 3)
    wait_until(lambda: _depth(store) == 0)
    assert len(recording_deliver.delivered_ids) == 3


def test_a_rejected_event_is_parked_after_a_few_tries_and_others_go_on(
    store: Store, recording_deliver: RecordingDeliver
) -> None:
    [refused] = _queue_events(store, 1, aggregate_id="bad")
    [fine] = _queue_events(store, 1, aggregate_id="good")
    recording_deliver.answer = lambda event_id: "rejected" if event_id == refused else "accepted"
    relay = Relay(
        store.engine, recording_deliver, KIOSK, park_after=3, **FAST | {"idle_poll": 0.01}
    )
    relay.start()
    try:
        wait_until(lambda: relay.status().parked == 1)
    finally:
        assert relay.stop(timeout=5)
    assert recording_deliver.delivered_ids.count(refused) == 3
    assert recording_deliver.delivered_ids.count(fine) == 1
    with store.engine.connect() as connection:
        row = connection.execute(
            queue.outbox.select().where(queue.outbox.c.id == str(refused))
        ).one()
    assert (row.attempts, row.last_error) == (3, "rejected: test says no")
    assert relay.status().depth == 0


def test_logs_never_carry_payloads(
    store: Store,
    relay: Relay,
    caplog: pytest.LogCaptureFixture,
    recording_deliver: RecordingDeliver,
) -> None:
    caplog.set_level(logging.DEBUG)
    recording_deliver.fail_next = [ConnectionError("center down")]
    recording_deliver.answer = lambda _id: "rejected"
    _queue_events(store, 1)
    wait_until(lambda: any("rejected event" in r.getMessage() for r in caplog.records))
    assert "110101199003070019" not in caplog.text


@pytest.mark.parametrize("failures", [1, 2, 5, 50])
def test_backoff_stays_within_bounds(failures: int) -> None:
    low = backoff_delay(failures, initial=1.0, maximum=60.0, jitter=0.0)
    high = backoff_delay(failures, initial=1.0, maximum=60.0, jitter=0.999)
    assert 1.0 <= low <= high <= 60.0
    assert backoff_delay(failures + 1, initial=1.0, maximum=60.0, jitter=0.999) >= high


def test_delivers_to_the_real_center_exactly_once(store: Store, running_center: object) -> None:
    from sync.client import CenterClient

    client = CenterClient(running_center.url, KIOSK)  # type: ignore[attr-defined]
    relay = Relay(store.engine, client.deliver_events, KIOSK, **FAST)
    # Masked: what reaches the center's database must not be a real ID number.
    masked = "1101**********0019"
    ids = _queue_events(store, 3, id_number=masked) + _queue_events(
        store, 2, aggregate_id="p-2", id_number=masked
    )
    try:
        assert relay.deliver_once() == 5
        assert _depth(store) == 0
        # At least once: a delivery whose answer was lost is sent again and seen as duplicate.
        with store.engine.connect() as connection:
            rows = connection.execute(queue.outbox.select()).all()
        again = [
            EventEnvelope(
                id=row.id,
                type=row.type,
                aggregate_type=row.aggregate_type,
                aggregate_id=row.aggregate_id,
                sequence=row.sequence,
                occurred_at=row.occurred_at,
                payload={},
            )
            for row in rows
        ]
        result = client.deliver_events(EventBatch(kiosk_id=KIOSK, events=again))
        assert {ack.id for ack in result.results} == set(ids)
        assert {ack.status for ack in result.results} == {"duplicate"}
    finally:
        client.close()


# -- per-aggregate order, held events, compaction -----------------------------------------


def _attempts(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {row.id: row.attempts for row in connection.execute(queue.outbox.select()).all()}


def test_an_event_the_center_leaves_unanswered_goes_again_without_counting_a_failure(
    store: Store,
) -> None:
    _, second = _queue_events(store, 2)
    answered_once: set[object] = set()

    def center_holding_the_second_once(batch: EventBatch) -> EventBatchResult:
        acks = []
        for event in batch.events:
            if event.id == second and second not in answered_once:
                answered_once.add(second)
                continue  # held back: no answer at all
            acks.append(EventAck(id=event.id, status="accepted"))
        return EventBatchResult(results=acks)

    now = [T0]
    relay = Relay(store.engine, center_holding_the_second_once, KIOSK, clock=lambda: now[0], **FAST)
    assert relay.deliver_once() == 2
    assert _depth(store) == 1
    assert _attempts(store)[str(second)] == 0
    assert relay.deliver_once() == 0  # held a moment (backoff_initial), not hammered
    now[0] += dt.timedelta(seconds=1)
    assert relay.deliver_once() == 1
    assert _depth(store) == 0


def test_the_center_stores_an_aggregate_in_order_and_holds_what_comes_early(
    running_center: object,
) -> None:
    from sync.client import CenterClient

    client = CenterClient(running_center.url, KIOSK)  # type: ignore[attr-defined]
    aggregate = f"order-{uuid.uuid4()}"
    events = [
        EventEnvelope(
            id=uuid.uuid4(),
            type="T",
            aggregate_type="payment",
            aggregate_id=aggregate,
            sequence=n,
            occurred_at=T0,
            payload={},
        )
        for n in range(3)
    ]
    try:
        early = client.deliver_events(EventBatch(kiosk_id=KIOSK, events=[events[1], events[2]]))
        assert early.results == []  # neither is stored before sequence 0
        # A rejected predecessor holds back its successor in the same batch too.
        bad = events[0].model_copy(update={"occurred_at": T0.replace(tzinfo=None)})
        result = client.deliver_events(EventBatch(kiosk_id=KIOSK, events=[bad, events[1]]))
        assert [a.status for a in result.results] == ["rejected"]
        result = client.deliver_events(EventBatch(kiosk_id=KIOSK, events=events))
        assert [a.status for a in result.results] == ["accepted"] * 3
        again = client.deliver_events(EventBatch(kiosk_id=KIOSK, events=events[::-1]))
        assert [a.status for a in again.results] == ["duplicate"] * 3
    finally:
        client.close()


def test_the_relay_compacts_what_was_delivered_and_keeps_the_count(
    store: Store, recording_deliver: RecordingDeliver
) -> None:
    relay = Relay(
        store.engine,
        recording_deliver,
        KIOSK,
        batch_size=50,
        keep_delivered=dt.timedelta(0),
        compact_batch=40,
        **FAST,
    )
    store.when_events_committed(relay.notify)
    relay.start()
    try:
        _queue_events(store, 120)
        wait_until(lambda: _rows_left(store) == 0)
        status = relay.status()
    finally:
        assert relay.stop(timeout=5)
    assert (status.depth, status.delivered) == (0, 120)


def _rows_left(store: Store) -> int:
    with store.engine.connect() as connection:
        return len(connection.execute(queue.outbox.select()).all())
