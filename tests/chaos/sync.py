"""Chaos test of the queue: thousands of events through a faulty network and a kiosk killed
(SIGKILL) and restarted mid-batch, then the center's copy checked.

    python -m tests.chaos.sync --events 5000 [--aggregates 60] [--kills 8] [--seed 3]

The center runs as its own process (kiosk-center, SQLite file). The fault-injecting proxy
(tests.support.fault_proxy) sits between it and the kiosk process (tests.chaos.sync_child),
dropping, delaying, resetting, truncating, answering 5xx and hanging at random. The kiosk
queues events over many aggregates and its relay delivers them; it is killed at random
instants and started again. At the end the center must hold every event exactly once, each
aggregate's in sequence order, each sealed field opened intact. The last line printed is

    chaos-sync events=N delivered=D duplicates=X out_of_order=O lost=L
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.embedded_center import EmbeddedCenter
from tests.chaos.payments import watch_child
from tests.chaos.sync_child import KIOSK_ID, holder
from tests.support.fault_proxy import FaultProxy

CHILD_TIMEOUT = 600.0
# Each request meets at most one of these, drawn in this order.
FAULTS = (
    ("drop", {"probability": 0.05}),
    ("reset", {"probability": 0.06}),
    ("5xx", {"probability": 0.04}),
    ("5xx_after_forward", {"probability": 0.04}),
    ("truncate", {"probability": 0.03}),
    ("hang", {"probability": 0.01}),
    ("delay", {"probability": 0.04, "seconds": 1.5, "on": "answer"}),  # beyond the timeout
    ("delay", {"probability": 0.10, "seconds": 0.2}),  # slow: a kill often lands mid-batch
)


@dataclass
class SyncVerdict:
    events: int
    delivered: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    lost: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.duplicates or self.out_of_order or self.lost or self.problems)

    def summary(self) -> str:
        return (
            f"chaos-sync events={self.events} delivered={self.delivered} "
            f"duplicates={self.duplicates} out_of_order={self.out_of_order} lost={self.lost}"
        )


@dataclass
class SyncRun:
    verdict: SyncVerdict
    kills: int
    faults: dict[str, int]
    seconds: float


def check_center(center_db: Path, events: int, aggregates: int) -> SyncVerdict:
    """What the center stored for the chaos kiosk, against the plan of `sync_child`."""
    verdict = SyncVerdict(events)
    with sqlite3.connect(center_db) as connection:
        rows = connection.execute(
            "SELECT aggregate_id, sequence, payload FROM received_events "
            "WHERE kiosk_id = ? ORDER BY rowid",  # rowid: the order the center stored them in
            (KIOSK_ID,),
        ).fetchall()
    copies: Counter[int] = Counter()
    stored: dict[str, list[int]] = defaultdict(list)
    for aggregate_id, sequence, payload_text in rows:
        payload = json.loads(payload_text)
        k = payload["n"]
        copies[k] += 1
        stored[aggregate_id].append(k)
        if (aggregate_id, sequence) != (f"agg-{k % aggregates}", k // aggregates):
            verdict.problems.append(f"event {k} stored as {aggregate_id}#{sequence}")
        if payload.get("holder") != holder(k):
            verdict.problems.append(f"event {k}: sealed field did not arrive intact")
    verdict.delivered = len(copies)
    verdict.duplicates = sum(n - 1 for n in copies.values())
    verdict.lost = sum(1 for k in range(events) if k not in copies)
    for ks in stored.values():
        verdict.out_of_order += sum(1 for a, b in itertools.pairwise(ks) if b <= a)
    return verdict


def _start_child(args: list[str], log: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.chaos.sync_child", *args],
        stdout=subprocess.PIPE,
        stderr=log.open("a"),
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def run_sync_chaos(
    events: int,
    *,
    aggregates: int = 60,
    kills: int | None = None,
    seed: int = 3,
    folder: Path | None = None,
) -> SyncRun:
    """Deliver `events` through the faulty proxy, killing the kiosk `kills` times."""
    kills = max(3, events // 600) if kills is None else kills
    rng = random.Random(seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="chaos-sync-") as scratch:
        root = folder or Path(scratch)
        center = EmbeddedCenter(root / "center").start()
        try:
            with FaultProxy(center.url, seed=seed) as proxy:
                for kind, options in FAULTS:
                    proxy.inject(kind, **options)  # type: ignore[arg-type]
                args = [
                    "--folder", str(root / "kiosk"),
                    "--center", proxy.url,
                    "--events", str(events),
                    "--aggregates", str(aggregates),
                    "--seed", str(seed),
                    "--batch", "25",  # many requests: many faults, kills mid-batch
                ]  # fmt: skip
                killed = 0
                log = root / "kiosk-child.log"
                while True:
                    child = _start_child(args, log)
                    ready, lines = threading.Event(), []
                    watcher = threading.Thread(
                        target=watch_child, args=(child, ready, lines), daemon=True
                    )
                    watcher.start()
                    if killed < kills and ready.wait(60):
                        # Queuing and delivering both go on from the start: any instant is
                        # mid-batch, mid-commit or mid-request for one of them.
                        time.sleep(rng.uniform(0.1, 1.2))
                        if child.poll() is None:
                            child.send_signal(signal.SIGKILL)
                            child.wait()
                            killed += 1
                            continue
                    code = child.wait(timeout=CHILD_TIMEOUT)
                    watcher.join(5)
                    if code != 0:
                        tail = log.read_text(errors="replace")[-3000:]
                        raise RuntimeError(
                            f"the kiosk process failed ({code}) {lines[-1:]}:\n{tail}"
                        )
                    if lines and lines[-1] == "all delivered":
                        break
                faults = proxy.counts
            verdict = check_center(center.folder / "center.db", events, aggregates)
        finally:
            center.stop()
    return SyncRun(verdict, killed, faults, time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--aggregates", type=int, default=60)
    parser.add_argument("--kills", type=int, default=None, help="default: one per 600 events")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    run = run_sync_chaos(args.events, aggregates=args.aggregates, kills=args.kills, seed=args.seed)
    for problem in run.verdict.problems[:20]:
        print(f"  problem: {problem}")
    hits = {k: v for k, v in run.faults.items() if k not in ("connections", "forwarded", "passed")}
    print(f"kills={run.kills} seconds={run.seconds:.0f} faults={hits}")
    print(run.verdict.summary())
    return 0 if run.verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
