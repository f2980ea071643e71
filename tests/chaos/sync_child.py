"""The kiosk process of the sync chaos test: queues a planned series of events and delivers them.

Event k belongs to aggregate `agg-{k % A}` (so its sequence there is k // A) and carries a sealed
personal field. Events are queued a few per transaction through the unit of work, with the
count queued so far committed in the same transaction, so a restarted process carries on where
the killed one stopped and queues each event exactly once. The relay runs meanwhile, through
whatever URL it is given (the fault proxy). Prints "ready", then "all delivered" when the queue
is empty, and exits 0.

`python -m tests.chaos.sync_child --folder F --center URL --events N --aggregates A`
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

from kiosk.store import Store, open_store
from kiosk.store.kiosk_state import read_state, write_state
from sync import queue
from sync.client import CenterClient
from sync.relay import Relay
from sync.sealing import sealer_for

KIOSK_ID = "chaos-sync-kiosk"
QUEUED = "chaos.queued"
DRAIN_TIMEOUT = 300.0


def holder(k: int) -> str:
    """The event's sealed field: personal in kind, made up in content."""
    return f"resident-{k}"


def queue_some(store: Store, start: int, count: int, aggregates: int) -> int:
    with store.unit_of_work() as uow:
        for k in range(start, start + count):
            uow.outbox.add(
                {
                    "type": "chaos.step",
                    "aggregate_type": "chaos",
                    "aggregate_id": f"agg-{k % aggregates}",
                    "n": k,
                    "holder": holder(k),
                },
                personal={"holder"},
            )
        write_state(uow.connection, QUEUED, str(start + count))
        uow.commit()
    return start + count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--center", required=True)
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--aggregates", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args(argv)

    sealing = sealer_for(args.folder)
    store = open_store(args.folder / "kiosk.db", sealing=sealing)
    client = CenterClient(args.center, KIOSK_ID, timeout=1.0)
    relay = Relay(
        store.engine,
        client.deliver_events,
        KIOSK_ID,
        batch_size=args.batch,
        idle_poll=0.2,
        backoff_initial=0.05,
        backoff_max=0.5,
        sealing=sealing,
        keep_delivered=dt.timedelta(seconds=1),
    )
    store.when_events_committed(relay.notify)
    relay.start()
    print("ready", flush=True)
    with store.engine.connect() as connection:
        queued = int(read_state(connection, QUEUED) or 0)
    rng = random.Random(args.seed * 7919 + queued)
    while queued < args.events:
        queued = queue_some(
            store, queued, min(rng.randint(1, 40), args.events - queued), args.aggregates
        )
        time.sleep(rng.uniform(0.0, 0.01))  # a kiosk's pace, give or take
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while True:
        with store.engine.connect() as connection:
            left, parked = queue.depth(connection), queue.parked_count(connection)
        if parked:
            print(f"parked {parked}", flush=True)
            return 1
        if left == 0:
            break
        if time.monotonic() > deadline:
            print(f"still {left} waiting", flush=True)
            return 1
        time.sleep(0.05)
    print("all delivered", flush=True)
    relay.stop()
    client.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
