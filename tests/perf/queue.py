"""Benchmarks of the queue, each figure beside a baseline measured in the same run:

    python -m tests.perf.queue [--enqueue 2000] [--drain 20000] [--backlog 1000000]

- enqueue: events queued through the unit of work (one transaction each, as a use case does),
  against raw sqlite3 inserts of the same rows with the same durability (WAL,
  synchronous=FULL, one transaction per event). Budget: within 1.5x.
- drain: events delivered by the relay to the real center on loopback (its own process),
  against the center's own time for the same batches posted ready-made. Budget: 5,000/s.
- backlog: a backlog of events drained by the relay thread, compaction on, while a 5 ms Qt
  timer on the UI thread of the same process records its gaps; per-batch time printed at the
  start, middle and end (budget: flat), the longest UI gap against the same timer idle
  (budget: no stall over 50 ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from kiosk.app import freeze_startup_objects
from kiosk.embedded_center import EmbeddedCenter
from kiosk.store import Store, open_store
from sync import queue
from sync.client import CenterClient
from sync.protocol.schemas import EventBatch, EventBatchResult
from sync.relay import Relay

KIOSK = "bench-kiosk"
STORED_AT = "2025-03-01 08:00:00.000000"  # how SQLAlchemy writes a naive UTC datetime
ROW_SQL = (
    "INSERT INTO outbox (id, type, aggregate_type, aggregate_id, sequence, occurred_at,"
    " payload, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)"
)
COUNTER_SQL = (
    "INSERT INTO outbox_aggregates VALUES ('bench', ?, 0) ON CONFLICT DO UPDATE"
    " SET last_sequence = last_sequence + 1"
)
T0 = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)


def _row(
    name: str, value: float, baseline_name: str, baseline: float, unit: str, budget: str
) -> None:
    ratio = value / baseline if baseline else float("inf")
    print(
        f"{name:<34} {value:10.1f} {unit:<8} | {baseline_name:<30} {baseline:10.1f} {unit:<8}"
        f" | ratio {ratio:5.2f} | {budget}",
        flush=True,
    )


def _event(k: int, aggregates: int) -> dict[str, object]:
    return {
        "type": "bench.step",
        "aggregate_type": "bench",
        "aggregate_id": f"agg-{k % aggregates}",
        "occurred_at": T0,
        "n": k,
    }


# -- enqueue ---------------------------------------------------------------------------------


def _raw_sqlite_rate(path: Path, count: int) -> float:
    """The floor: the same rows, the same pragmas, one transaction each, no layers."""
    store = open_store(path)  # the same schema, made by the migrations
    store.close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    started = time.perf_counter()
    for k in range(count):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            ROW_SQL,
            (str(queue.new_event_id()), "bench.step", "bench", f"agg-{k % 50}", k // 50,
             STORED_AT, f'{{"n": {k}}}', STORED_AT),
        )  # fmt: skip
        # The same rows as an event: its aggregate's counter too.
        connection.execute(COUNTER_SQL, (f"agg-{k % 50}",))
        connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    connection.close()
    return count / seconds


def _unit_of_work_rate(path: Path, count: int) -> float:
    store = open_store(path)
    started = time.perf_counter()
    for k in range(count):
        with store.unit_of_work() as uow:
            uow.outbox.add(_event(k, 50))
            uow.commit()
    seconds = time.perf_counter() - started
    store.close()
    return count / seconds


def enqueue(folder: Path, count: int, runs: int = 5) -> None:
    freeze_startup_objects()  # as the kiosk does once it is up (kiosk/app.py)
    raw, ours = [], []
    for run in range(runs):  # interleaved, so a busy moment of the disk hits both alike
        raw.append(_raw_sqlite_rate(folder / f"raw-{run}.db", count))
        ours.append(_unit_of_work_rate(folder / f"uow-{run}.db", count))
    print(f"enqueue, {count} events one transaction each, median of {runs}:")
    # Time per event: the ratio reads as "how many times slower".
    _row(
        "unit of work (us/event)", 1e6 / statistics.median(ours),
        "raw sqlite3, same durability", 1e6 / statistics.median(raw), "us", "budget 1.5x",
    )  # fmt: skip
    print(
        f"{'':<34} {statistics.median(ours):10.0f} ev/s     | {'':<30}"
        f" {statistics.median(raw):10.0f} ev/s",
        flush=True,
    )


# -- drain -------------------------------------------------------------------------------


def fill(store: Store, count: int, aggregates: int) -> None:
    """A backlog written straight into the outbox (the kiosk would take days to queue it)."""
    connection = sqlite3.connect(store.path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("BEGIN IMMEDIATE")
    for start in range(0, count, 50_000):
        connection.executemany(
            ROW_SQL,
            (
                (str(queue.new_event_id()), "bench.step", "bench", f"agg-{k % aggregates}",
                 k // aggregates, STORED_AT, f'{{"n": {k}}}', STORED_AT)
                for k in range(start, min(count, start + 50_000))
            ),
        )  # fmt: skip
    connection.executemany(
        "INSERT INTO outbox_aggregates VALUES ('bench', ?, ?)",
        ((f"agg-{a}", (count - 1 - a) // aggregates) for a in range(min(aggregates, count))),
    )
    connection.execute("COMMIT")
    connection.close()


def drain(folder: Path, center_url: str, count: int) -> None:
    store = open_store(folder / "drain.db")
    fill(store, count, aggregates=1000)
    client = CenterClient(center_url, f"{KIOSK}-drain", timeout=60)
    batches: list[EventBatch] = []

    def deliver(batch: EventBatch) -> EventBatchResult:
        batches.append(batch)
        return client.deliver_events(batch)

    relay = Relay(store.engine, deliver, f"{KIOSK}-drain", batch_size=queue.MAX_BATCH)
    started = time.perf_counter()
    delivered = 0
    while sent := relay.deliver_once():
        delivered += sent
    seconds = time.perf_counter() - started
    # Baseline: the center's own part, the same batches posted again ready-made (answered
    # "duplicate" after the same look-ups; no kiosk-side work at all).
    session = requests.Session()
    session.headers["X-Kiosk-Id"] = f"{KIOSK}-drain"  # the embedded center runs unsigned
    bodies = [b.model_dump_json() for b in batches]
    center_started = time.perf_counter()
    for body in bodies:
        session.post(
            f"{center_url}/v1/events", data=body, headers={"Content-Type": "application/json"}
        ).raise_for_status()
    center_seconds = time.perf_counter() - center_started
    client.close()
    store.close()
    print(f"drain to the center on loopback, {delivered} events in batches of {queue.MAX_BATCH}:")
    _row(
        "relay to center (ev/s)", delivered / seconds,
        "center alone, same batches", delivered / center_seconds, "ev/s", "budget >= 5000/s",
    )  # fmt: skip


# -- a large backlog while the UI thread runs ------------------------------------------------


def backlog(folder: Path, center_url: str, count: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    label = QLabel("idle screen stand-in")
    label.show()
    store = open_store(folder / "backlog.db")
    started = time.perf_counter()
    fill(store, count, aggregates=5000)
    print(f"backlog of {count} events written in {time.perf_counter() - started:.0f} s", flush=True)
    client = CenterClient(center_url, f"{KIOSK}-backlog", timeout=60)
    stamps: list[float] = []
    lock = threading.Lock()

    def deliver(batch: EventBatch) -> EventBatchResult:
        result = client.deliver_events(batch)
        with lock:
            stamps.append(time.perf_counter())
        return result

    relay = Relay(
        store.engine,
        deliver,
        f"{KIOSK}-backlog",
        batch_size=queue.MAX_BATCH,
        keep_delivered=dt.timedelta(0),  # compaction right behind delivery: a bounded file
        idle_poll=0.5,
    )
    from tests.perf.ui_thread import StallMeter, run_for, run_until

    meter = StallMeter()
    freeze_startup_objects()  # as the kiosk does once it is up (kiosk/app.py)
    meter.start()
    run_for(2.0)
    idle = meter.stop()
    meter.start()
    relay.start()
    drain_started = time.perf_counter()
    batches = (count + queue.MAX_BATCH - 1) // queue.MAX_BATCH
    size_samples: list[tuple[int, int]] = []

    def done() -> bool:
        with lock:
            sent = len(stamps)
        if sent and (not size_samples or sent - size_samples[-1][0] >= batches // 10):
            size_samples.append((sent, store.path.stat().st_size))
        return sent >= batches

    run_until(done, 7200)
    drain_seconds = time.perf_counter() - drain_started
    busy = meter.stop()
    relay.stop()
    with store.engine.connect() as connection:
        left = connection.execute(queue.outbox.select().limit(1)).all()
        delivered = queue.total(connection, queue.DELIVERED)
    client.close()
    store.close()
    per_batch = [(b - a) * 1000 for a, b in itertools.pairwise(stamps)]

    def around(fraction: float) -> float:
        middle = int(len(per_batch) * fraction)
        window = per_batch[max(0, middle - 50) : middle + 50]
        return statistics.median(window)

    print(
        f"backlog drained: {delivered} events in {drain_seconds:.0f} s "
        f"({delivered / drain_seconds:.0f} ev/s), rows left after compaction: {len(left)}"
    )
    print(
        f"per-batch time (median of 100 batches) at start {around(0.02):.1f} ms, "
        f"middle {around(0.5):.1f} ms, end {around(0.98):.1f} ms; "
        f"end/start ratio {around(0.98) / around(0.02):.2f} (budget: flat)"
    )
    sizes = ", ".join(
        f"{size / 2**20:.0f}" for _, size in size_samples[:: max(1, len(size_samples) // 6)]
    )
    print(f"store file size while draining (MiB): {sizes}")
    _row(
        "UI thread longest gap (ms)", max(busy), "same timer, idle", max(idle), "ms",
        "budget: no stall over 50 ms",
    )  # fmt: skip
    p99 = sorted(busy)[int(len(busy) * 0.99)]
    print(f"UI thread p99 gap {p99:.1f} ms over {len(busy)} ticks", flush=True)
    label.close()
    del app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enqueue", type=int, default=2000)
    parser.add_argument("--drain", type=int, default=20_000)
    parser.add_argument("--backlog", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("enqueue", "drain", "backlog"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="perf-queue-", dir=Path.home()) as scratch:
        folder = Path(scratch)
        if args.only in (None, "enqueue"):
            enqueue(folder, args.enqueue)
        if args.only in (None, "drain", "backlog"):
            with EmbeddedCenter(folder / "center") as center:
                if args.only in (None, "drain"):
                    drain(folder, center.url, args.drain)
                if args.only in (None, "backlog"):
                    backlog(folder, center.url, args.backlog)
    return 0


if __name__ == "__main__":
    sys.exit(main())
