"""The unit of work and the outbox on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

import pytest
from sqlalchemy import Row, event

from kiosk.store import InvalidEvent, Store, open_store
from kiosk.store.kiosk_state import read_state, write_state
from sync import queue
from sync.sealing import sealer_for

T0 = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)
ID_NUMBER = "110101199003070019"
NAME = "欧阳娜娜"


@dataclass(frozen=True)
class PaymentConfirmed:
    aggregate_type: ClassVar[str] = "payment"
    aggregate_id: str
    amount: Decimal
    occurred_at: dt.datetime


def _event(aggregate_id: str = "p-1", **extra: object) -> dict[str, object]:
    envelope = {
        "type": "PaymentConfirmed",
        "aggregate_type": "payment",
        "aggregate_id": aggregate_id,
    }
    return envelope | extra


def _rows(store: Store) -> list[Row[Any]]:
    with store.engine.connect() as connection:
        ordered = queue.outbox.select().order_by(
            queue.outbox.c.aggregate_id, queue.outbox.c.sequence
        )
        return list(connection.execute(ordered))


def test_without_commit_neither_the_change_nor_its_event_remains(store: Store) -> None:
    with store.unit_of_work() as uow:
        write_state(uow.connection, "business", "changed")
        uow.outbox.add(_event())
    with pytest.raises(RuntimeError), store.unit_of_work() as uow:
        write_state(uow.connection, "business", "changed")
        uow.outbox.add(_event())
        raise RuntimeError("the use case failed half-way")
    with store.engine.connect() as connection:
        assert read_state(connection, "business") is None
        assert queue.depth(connection) == 0


def _write_lock_is_free(store: Store) -> bool:
    # A separate connection that will not wait: a unit of work left open would hold the lock.
    other = sqlite3.connect(store.path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.mark.parametrize("events_first", [True, False], ids=["events-first", "change-first"])
@pytest.mark.parametrize("ending", ["commit", "leave", "raise", "rollback"])
def test_the_change_and_its_events_share_one_transaction_in_either_order(
    store: Store, events_first: bool, ending: str
) -> None:
    # Events go onto the DBAPI connection, the change through SQLAlchemy around the same one.
    with pytest.raises(RuntimeError) if ending == "raise" else nullcontext():  # noqa: SIM117
        with store.unit_of_work() as uow:
            if events_first:
                uow.outbox.add(_event())
            write_state(uow.connection, "business", "changed")
            if not events_first:
                uow.outbox.add(_event())
            assert not _write_lock_is_free(store)  # one transaction, holding the lock
            if ending == "commit":
                uow.commit()
            elif ending == "rollback":
                uow.rollback()
            elif ending == "raise":
                raise RuntimeError("the use case failed half-way")
    kept = ending == "commit"
    with store.engine.connect() as connection:
        assert read_state(connection, "business") == ("changed" if kept else None)
        assert queue.depth(connection) == (1 if kept else 0)
    assert _write_lock_is_free(store)


def test_units_of_work_keep_one_connection_at_most_and_release_it_on_close(
    store: Store,
) -> None:
    for n in range(3 * store.engine.pool.size()):  # more than the pool holds, if any leaked
        with store.unit_of_work() as uow:
            uow.outbox.add(_event(f"p-{n}"))
            if n % 2:
                write_state(uow.connection, "business", str(n))
            uow.commit()
    with store.unit_of_work() as first, store.unit_of_work():  # two at once: two taken
        first.outbox.add(_event("first"))
        first.commit()
        assert store.engine.pool.checkedout() == 2
    assert store.engine.pool.checkedout() == 1  # one kept for the next unit of work
    assert _write_lock_is_free(store)
    with store.engine.connect() as connection:
        assert queue.depth(connection) == 3 * store.engine.pool.size() + 1
    store.close()
    assert store.engine.pool.checkedout() == 0


def test_commit_keeps_the_change_and_its_event_together(store: Store) -> None:
    told: list[str] = []
    store.when_events_committed(lambda: told.append("events"))
    with store.unit_of_work() as uow:
        write_state(uow.connection, "business", "changed")
        event_id = uow.outbox.add(_event(amount=Decimal("12.30")))
        assert told == []  # not before the commit
        uow.commit()
    assert told == ["events"]
    with store.engine.connect() as connection:
        assert read_state(connection, "business") == "changed"
        [envelope] = queue.next_batch(connection)
    assert envelope.id == event_id
    assert envelope.payload == {"amount": "12.30"}


def test_a_dataclass_event_becomes_an_envelope(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.outbox.add_all([PaymentConfirmed("p-9", Decimal("5.00"), T0)])
        uow.commit()
    with store.engine.connect() as connection:
        [envelope] = queue.next_batch(connection)
    assert (envelope.type, envelope.aggregate_type, envelope.aggregate_id) == (
        "PaymentConfirmed",
        "payment",
        "p-9",
    )
    assert envelope.occurred_at == T0
    assert envelope.payload == {"amount": "5.00"}


def test_per_aggregate_sequence_increases(store: Store) -> None:
    for aggregate_id in ["a", "b", "a", "a", "b"]:
        with store.unit_of_work() as uow:
            uow.outbox.add(_event(aggregate_id))
            uow.commit()
    assert [(row.aggregate_id, row.sequence) for row in _rows(store)] == [
        ("a", 0),
        ("a", 1),
        ("a", 2),
        ("b", 0),
        ("b", 1),
    ]


@pytest.mark.parametrize(
    "event",
    [
        {"type": "T", "aggregate_type": "payment"},  # no aggregate id
        _event("1", occurred_at=T0.replace(tzinfo=None)),
        _event("1", blob=object()),
        "not an event",
    ],
    ids=["no-aggregate-id", "naive-time", "not-json", "not-an-event"],
)
def test_a_bad_event_is_refused_and_nothing_is_lost(store: Store, event: object) -> None:
    with store.unit_of_work() as uow:
        uow.outbox.add(_event("kept"))
        with pytest.raises(InvalidEvent):
            uow.outbox.add(event)
        uow.commit()
    assert [row.aggregate_id for row in _rows(store)] == ["kept"]


def _enqueue(store: Store, aggregate_id: str, occurred_at: dt.datetime = T0) -> UUID:
    with store.engine.begin() as connection:
        return queue.enqueue(
            connection,
            type="T",
            aggregate_type="payment",
            aggregate_id=aggregate_id,
            payload={},
            occurred_at=occurred_at,
        )


def test_batches_are_oldest_first_and_acknowledged_ones_leave(store: Store) -> None:
    ids = [_enqueue(store, name, T0 + dt.timedelta(minutes=n)) for n, name in enumerate("abcab")]
    with store.engine.begin() as connection:
        assert [e.id for e in queue.next_batch(connection, 3)] == ids[:3]
        assert queue.depth(connection) == 5
        assert queue.oldest_unsent(connection) == T0
        assert queue.mark_acknowledged(connection, ids[:2]) == 2
        assert queue.mark_acknowledged(connection, ids[:2]) == 0  # already acknowledged
        assert [e.id for e in queue.next_batch(connection)] == ids[2:]
        assert queue.depth(connection) == 3
        assert queue.oldest_unsent(connection) == T0 + dt.timedelta(minutes=2)


def test_a_batch_of_large_events_stops_at_its_byte_budget(store: Store) -> None:
    """Applications with their photos are large: a batch stays one reasonable request, always
    takes its first event, and keeps each aggregate's order."""
    page = "x" * 300_000
    ids = []
    for n, aggregate in enumerate("abab"):
        with store.engine.begin() as connection:
            ids.append(
                queue.enqueue(
                    connection,
                    type="T",
                    aggregate_type="application",
                    aggregate_id=aggregate,
                    payload={"page": page},
                    occurred_at=T0 + dt.timedelta(minutes=n),
                )
            )
    with store.engine.begin() as connection:
        assert [e.id for e in queue.next_batch(connection, max_bytes=700_000)] == ids[:2]
        assert [e.id for e in queue.next_batch(connection, max_bytes=10)] == ids[:1]
        assert [e.id for e in queue.next_batch(connection)] == ids


def test_a_waiting_rejection_holds_back_its_aggregate_only(store: Store) -> None:
    first_a, first_b, second_a = _enqueue(store, "a"), _enqueue(store, "b"), _enqueue(store, "a")
    with store.engine.begin() as connection:
        queue.record_failure(
            connection, [first_a], "rejected", retry_after=T0 + dt.timedelta(seconds=30), now=T0
        )
        assert [e.id for e in queue.next_batch(connection, now=T0)] == [first_b]
        later = T0 + dt.timedelta(seconds=31)
        assert [e.id for e in queue.next_batch(connection, now=later)] == [
            first_a,
            first_b,
            second_a,
        ]


def test_an_event_failing_too_often_is_parked_and_kept(store: Store) -> None:
    event_id = _enqueue(store, "a")
    with store.engine.begin() as connection:
        assert queue.record_failure(connection, [event_id], "no", park_after=2) == []
        assert queue.record_failure(connection, [event_id], "no", park_after=2) == [event_id]
        assert queue.next_batch(connection) == []
        assert queue.depth(connection) == 0
        assert queue.parked_count(connection) == 1
    [row] = _rows(store)
    assert (row.attempts, row.last_error) == (2, "no")


# -- numbering survives compaction; personal fields sealed at rest --------------------------


def _acknowledge_all(store: Store, at: dt.datetime) -> None:
    with store.engine.begin() as connection:
        ids = [e.id for e in queue.next_batch(connection, queue.MAX_BATCH, now=at)]
        queue.mark_acknowledged(connection, ids, now=at)


def test_compaction_deletes_old_acknowledged_events_in_small_batches_and_counts_them(
    store: Store,
) -> None:
    for n in range(7):
        _enqueue(store, f"agg-{n % 2}")
    _acknowledge_all(store, T0)
    waiting = _enqueue(store, "agg-0")
    with store.engine.begin() as connection:
        assert queue.compact(connection, acknowledged_before=T0) == 0  # not old enough
        later = T0 + dt.timedelta(seconds=1)
        assert queue.compact(connection, acknowledged_before=later, limit=5) == 5
        assert queue.compact(connection, acknowledged_before=later, limit=5) == 2
        assert queue.compact(connection, acknowledged_before=later, limit=5) == 0
        assert queue.total(connection, queue.DELIVERED) == 7
        assert queue.total(connection, queue.COMPACTED) == 7
        assert [e.id for e in queue.next_batch(connection)] == [waiting]
    # The aggregate's numbering goes on: the center would refuse a sequence given twice.
    assert [(row.aggregate_id, row.sequence) for row in _rows(store)] == [("agg-0", 4)]


def test_personal_fields_are_sealed_in_the_file_and_opened_for_sending(
    store_path: Path, tmp_path: Path
) -> None:
    sealer = sealer_for(tmp_path / "keys")
    store = open_store(store_path, sealing=sealer)
    try:
        with store.unit_of_work() as uow:
            uow.outbox.add(
                _event("app-1", id_number=ID_NUMBER, name=NAME, kind="rename"),
                personal={"id_number", "name"},
            )
            uow.commit()
        with store.engine.connect() as connection:
            [envelope] = queue.next_batch(connection, sealing=sealer)
            [raw] = connection.execute(queue.outbox.select()).all()
        assert envelope.payload == {"id_number": ID_NUMBER, "name": NAME, "kind": "rename"}
        assert json.loads(raw.payload) == {"kind": "rename"}
        with store.engine.begin() as connection:
            queue.mark_acknowledged(connection, [envelope.id])
            [raw_after] = connection.execute(queue.outbox.select()).all()
        assert raw_after.sealed is None  # delivered: the kiosk forgets them at once
    finally:
        store.close()
    raw_bytes = b"".join(p.read_bytes() for p in store_path.parent.iterdir() if p.is_file())
    for secret in (ID_NUMBER, NAME):
        assert secret.encode() not in raw_bytes
    assert not (store_path.parent / "queue.key").exists()  # the key is not beside the file


def test_personal_fields_without_a_sealer_are_refused(store: Store) -> None:
    with store.unit_of_work() as uow, pytest.raises(InvalidEvent, match="sealer"):
        uow.outbox.add(_event("app-1", id_number=ID_NUMBER), personal={"id_number"})
    with store.unit_of_work() as uow, pytest.raises(InvalidEvent, match="not in the event"):
        uow.outbox.add(_event("app-1"), personal={"id_number"})


def test_an_event_that_cannot_be_opened_holds_back_its_aggregate_only(
    store_path: Path, tmp_path: Path
) -> None:
    store = open_store(store_path, sealing=sealer_for(tmp_path / "old-keys"))
    try:
        with store.unit_of_work() as uow:
            uow.outbox.add(_event("a", id_number=ID_NUMBER), personal={"id_number"})
            uow.outbox.add(_event("a", step=2))
            other = uow.outbox.add(_event("b"))
            uow.commit()
        told: list[object] = []
        with store.engine.connect() as connection:
            batch = queue.next_batch(
                connection,
                sealing=sealer_for(tmp_path / "new-keys"),  # the old key is lost
                unopened=lambda event_id, why: told.append(why),
            )
        assert [e.id for e in batch] == [other]
        assert len(told) == 1 and "key" in str(told[0])
    finally:
        store.close()


def test_an_aggregate_waits_behind_a_parked_event_and_others_do_not(store: Store) -> None:
    first_a, first_b, second_a = _enqueue(store, "a"), _enqueue(store, "b"), _enqueue(store, "a")
    with store.engine.begin() as connection:
        assert queue.record_failure(connection, [first_a], "no", park_after=1) == [first_a]
        assert [e.id for e in queue.next_batch(connection)] == [first_b]
        assert second_a not in {e.id for e in queue.next_batch(connection)}
        queue.hold(connection, [first_b], T0 + dt.timedelta(days=1))
        assert queue.next_batch(connection, now=T0) == []


def test_a_batch_never_skips_a_blocked_head_of_many_rows(store: Store) -> None:
    # More held rows than one look-up reads: the events behind them still go out.
    blocked = [_enqueue(store, "blocked") for _ in range(30)]
    free = _enqueue(store, "free")
    with store.engine.begin() as connection:
        queue.hold(connection, blocked[:1], T0 + dt.timedelta(days=1))
        assert [e.id for e in queue.next_batch(connection, 10, now=T0)] == [free]


def test_statements_naming_a_batch_of_ids_go_by_primary_key(store: Store) -> None:
    # Given hundreds of ids, SQLite once chose the pending index for `acknowledged_at IS NULL`
    # and walked every waiting row: acknowledging a batch grew with the backlog.
    with store.unit_of_work() as uow:
        ids = [uow.outbox.add(_event(f"p-{n % 7}")) for n in range(queue.MAX_BATCH)]
        uow.commit()
    updates: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.startswith("UPDATE outbox"):
            updates.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", keep)
    with store.engine.begin() as connection:
        queue.hold(connection, ids, T0)
        queue.record_failure(connection, ids, "no", park_after=3)
        queue.mark_acknowledged(connection, ids)
        assert len(updates) == 4
        for statement, parameters in updates:
            explained = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plan = " ".join(str(step[3]) for step in explained)
            assert "(id=?)" in plan and "ix_outbox_pending" not in plan, (statement, plan)
    event.remove(store.engine, "before_cursor_execute", keep)


def _new_payment():
    from kiosk.domain.payment import Method, Purpose, new_payment

    return new_payment(
        "0123456789abcdef0123456789abcdef",
        account_number="3201000005",
        purpose=Purpose.PREPAY,
        amount=Decimal("50"),
        method=Method.CODE,
        wallet="wechat",
        now=T0,
    )


def test_the_journal_commits_a_payments_events_with_its_row_and_empties_its_list(
    store: Store,
) -> None:
    from kiosk.store.payment_journal import PaymentJournal

    journal = PaymentJournal(store.unit_of_work)
    created = _new_payment()
    sent = created.submitted(T0 + dt.timedelta(seconds=1))  # two events, one commit
    journal.record(sent)

    assert sent.events == [] and created.events != []  # the committed one only
    rows = _rows(store)
    assert [(r.type, r.aggregate_type, r.sequence) for r in rows] == [
        ("payment.created", "payment", 0),
        ("payment.submitted", "payment", 1),
    ]
    assert rows[1].occurred_at == T0 + dt.timedelta(seconds=1)
    assert json.loads(rows[1].payload)["amount"] == "50.00"
    journal.record(sent)  # nothing new happened to it: the row again, no event
    assert len(_rows(store)) == 2
    [record] = journal.unfinished()
    assert record.payment == sent and record.payment.events == []


def test_a_unit_of_work_left_without_commit_leaves_the_events_on_the_payment(
    store: Store,
) -> None:
    created = _new_payment()
    with store.unit_of_work() as uow:
        uow.track(created)
    assert len(created.events) == 1 and _rows(store) == []
