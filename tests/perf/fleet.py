"""The center under a province's fleet: `python -m tests.perf.fleet [--kiosks 1000] [--seconds 60]`,
or `python -m tests.perf.fleet --largest` for the largest fleet of heartbeating kiosks held with
p99 under 100 ms, and the staff console's fleet page at that size.

The real center runs in its own processes (`uvicorn --factory center.asgi:app_from_environment
--workers N`, as docs/center-at-scale.md tells operators to run it), on PostgreSQL when its
binaries are installed (a throwaway server, tests/support/postgres.py), else on SQLite. This
process plays the kiosks with asyncio: each kiosk keeps one keep-alive connection, heartbeats
every `--interval` seconds (POST /v1/heartbeat with its health) and, half an interval later,
delivers a batch of events (POST /v1/events, fresh ids, per-aggregate sequences). `--speed`
compresses time: at 5, a 30 s heartbeat comes every 6 s, five minutes of fleet in one.

Baseline in the same run: the same kiosks, the same connections and the same schedule, each
request a GET /v1/health instead: what the machine, the server and this client cost before the
center does any work. Printed: requests/s, p50/p95/p99/max latency and errors for both, the
ratio, and at the end that every delivered event is stored at the center exactly once.
Requests are not signed (the center runs with KIOSK_CENTER_REQUIRE_SIGNATURES=0; signing adds a
nonce row per request): each kiosk names itself in X-Kiosk-Id.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select

from center.asgi import DB_ENV, SIGNATURES_ENV
from center.database import ReceivedEventRow
from tests.support.postgres import PostgresUnavailable, running_postgres

REQUEST_TIMEOUT_S = 10.0
START_TIMEOUT_S = 60.0


@dataclass
class Tally:
    """What one phase saw, per kind of request."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reconnects: int = 0
    events_sent: int = 0
    started: float = 0.0
    ended: float = 0.0

    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]

    def error_count(self) -> int:
        return sum(self.errors.values())


class KioskLink:
    """One kiosk's keep-alive HTTP/1.1 connection, spoken with raw asyncio streams."""

    def __init__(self, host: str, port: int, kiosk_id: str) -> None:
        self._host, self._port = host, port
        self._kiosk_id = kiosk_id
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self.close()
        self._reader, self._writer = await asyncio.open_connection(self._host, self._port)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    async def request(self, method: str, path: str, body: bytes | None, tally: Tally) -> int:
        """The answer's status; a connection the server closed while idle is opened again once
        and the request sent again (what urllib3 does for a kiosk)."""
        for attempt in (1, 2):
            if self._writer is None:
                await self.connect()
            try:
                return await self._exchange(method, path, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
                tally.reconnects += 1
        raise AssertionError("unreachable")

    async def _exchange(self, method: str, path: str, body: bytes | None) -> int:
        assert self._reader is not None and self._writer is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self._host}\r\nX-Kiosk-Id: {self._kiosk_id}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self._writer.write(head.encode() + b"\r\n" + (body or b""))
        await self._writer.drain()
        status_line = await self._reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        length, closing = 0, False
        while (line := await self._reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and value.strip().lower() == "close":
                closing = True
        await self._reader.readexactly(length)
        if closing:
            self.close()
        return status


class Kiosk:
    """One simulated kiosk: its id, its link, its events' next sequence numbers."""

    def __init__(self, number: int, host: str, port: int, events_per_batch: int) -> None:
        self.id = f"bench-{number:05d}"
        self.link = KioskLink(host, port, self.id)
        self._events_per_batch = events_per_batch
        self._sequence = 0

    def heartbeat(self) -> bytes:
        now = dt.datetime.now(dt.UTC).isoformat()
        number = int(self.id.rsplit("-", 1)[1])
        # One kiosk in fifty has its paper running low, one in a hundred a scanner at fault:
        # the fleet page has red and amber to show, and the alerts their rows.
        low = number % 50 == 7
        scanner = "fault" if number % 100 == 13 else "ok"
        health = {
            "devices": [
                {"name": "printer", "status": "ok"},
                {"name": "scanner", "status": scanner},
                {"name": "idcard", "status": "ok"},
            ],
            "station_id": f"station-{number // 4:04d}",
            "paper_left_pct": 6 if low else 70,
            "queue_depth": self._events_per_batch,
            "queue_parked": 0,
            "oldest_unsent": now,
            "last_sync": now,
            "disk_free_bytes": 20_000_000_000,
            "locked": False,
            "versions": {"app": "0.5.0", "protocol": "1", "config_hash": "0" * 64},
        }
        return json.dumps({"kiosk_id": self.id, "sent_at": now, "health": health}).encode()

    def event_batch(self) -> bytes:
        now = dt.datetime.now(dt.UTC).isoformat()
        events = []
        for _ in range(self._events_per_batch):
            # Four events to a payment, numbered from 0 as the center wants them in order.
            number, self._sequence = self._sequence, self._sequence + 1
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "type": "ReceiptPrinted",
                    "aggregate_type": "payment",
                    "aggregate_id": f"{self.id}-{number // 4}",
                    "sequence": number % 4,
                    "occurred_at": now,
                    "payload": {"copies": 1, "paper_left": "ok"},
                }
            )
        return json.dumps({"kiosk_id": self.id, "events": events}).encode()


async def _timed(kiosk: Kiosk, kind: str, method: str, path: str, body: bytes | None,
                 tally: Tally) -> None:  # fmt: skip
    started = time.perf_counter()
    try:
        status = await asyncio.wait_for(
            kiosk.link.request(method, path, body, tally), REQUEST_TIMEOUT_S
        )
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
        kiosk.link.close()
        tally.errors[kind] += 1
        return
    tally.latencies[kind].append(time.perf_counter() - started)
    if status >= 400:
        tally.errors[kind] += 1


async def _live(kiosk: Kiosk, offset: float, interval: float, until: float, baseline: bool,
                tally: Tally, events_per_batch: int) -> None:  # fmt: skip
    """Heartbeat at offset, offset+interval, ...; a batch of events half an interval later."""
    loop = asyncio.get_running_loop()
    due = loop.time() + offset
    turn = 0
    while due < until:
        await asyncio.sleep(max(0.0, due - loop.time()))
        if baseline:
            await _timed(kiosk, "health", "GET", "/v1/health", None, tally)
        elif turn % 2 == 0:
            await _timed(kiosk, "heartbeat", "POST", "/v1/heartbeat", kiosk.heartbeat(), tally)
        else:
            await _timed(kiosk, "events", "POST", "/v1/events", kiosk.event_batch(), tally)
            tally.events_sent += events_per_batch
        turn += 1
        due += interval / 2


async def _phase(kiosks: list[Kiosk], interval: float, seconds: float, baseline: bool,
                 events_per_batch: int) -> Tally:  # fmt: skip
    tally = Tally()
    loop = asyncio.get_running_loop()
    tally.started = time.perf_counter()
    until = loop.time() + seconds
    spread = interval / 2 / len(kiosks)
    await asyncio.gather(
        *(
            _live(k, n * spread, interval, until, baseline, tally, events_per_batch)
            for n, k in enumerate(kiosks)
        )
    )
    tally.ended = time.perf_counter()
    return tally


async def _connect_all(kiosks: list[Kiosk]) -> None:
    for start in range(0, len(kiosks), 100):  # not all at once: the listen backlog
        await asyncio.gather(*(k.link.connect() for k in kiosks[start : start + 100]))


def _percentile(values: list[float], point: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[point - 1]


def _report(name: str, tally: Tally, values: list[float], errors: int) -> dict[str, float]:
    elapsed = tally.ended - tally.started
    row = {
        "requests": len(values) + errors,
        "rps": (len(values) + errors) / elapsed if elapsed else 0.0,
        "p50_ms": _percentile(values, 50) * 1000,
        "p95_ms": _percentile(values, 95) * 1000,
        "p99_ms": _percentile(values, 99) * 1000,
        "max_ms": max(values, default=float("nan")) * 1000,
        "errors": errors,
    }
    print(
        f"{name:<26} {row['requests']:>7} req {row['rps']:8.1f} req/s | p50 {row['p50_ms']:7.1f}"
        f" p95 {row['p95_ms']:7.1f} p99 {row['p99_ms']:7.1f} max {row['max_ms']:7.1f} ms"
        f" | errors {errors}"
    )
    return row


@contextlib.contextmanager
def _database(choice: str) -> Iterator[tuple[str, str]]:
    """(kind, url): a throwaway PostgreSQL when it can start (and was not refused), else SQLite."""
    if choice in ("auto", "postgresql"):
        try:
            with running_postgres() as server:
                yield "postgresql", server.new_database("fleet")
                return
        except PostgresUnavailable as why:
            if choice == "postgresql":
                raise
            print(f"(no PostgreSQL, on SQLite instead: {why})")
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as folder:
        yield "sqlite", f"sqlite:///{Path(folder) / 'center.db'}"


@contextlib.contextmanager
def _center(db_url: str, workers: int) -> Iterator[int]:
    """The center in `workers` processes of its own (uvicorn's), on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        *(sys.executable, "-m", "uvicorn", "--factory", "center.asgi:app_from_environment"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
        *("--no-access-log", "--log-level", "warning", "--backlog", "2048"),
        # Kiosks talk every few seconds: keep their connections open between requests.
        *("--timeout-keep-alive", "120"),
    ]
    env = {**os.environ, DB_ENV: db_url, SIGNATURES_ENV: "0"}
    server = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the center did not start") from None
                time.sleep(0.2)
        time.sleep(1.0)  # the other workers finish starting
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run(args: argparse.Namespace) -> dict[str, float]:
    interval = args.interval / args.speed
    with _database(args.database) as (db_kind, db_url), _center(db_url, args.workers) as port:
        kiosks = [Kiosk(n, "127.0.0.1", port, args.events) for n in range(args.kiosks)]
        print(
            f"fleet: {args.kiosks} kiosks, a heartbeat every {args.interval:g} s and a batch of"
            f" {args.events} events every {args.interval:g} s each, time x{args.speed:g}"
            f" (every {interval:g} s), {args.seconds:g} s per phase; center: {args.workers}"
            f" uvicorn worker(s) on {db_kind}; {os.cpu_count()} CPUs"
        )

        async def both() -> tuple[Tally, Tally]:
            await _connect_all(kiosks)
            base = await _phase(kiosks, interval, args.seconds, True, args.events)
            fleet = await _phase(kiosks, interval, args.seconds, False, args.events)
            for kiosk in kiosks:
                kiosk.link.close()
            return base, fleet

        base, fleet = asyncio.run(both())
        engine = create_engine(db_url)
        with engine.connect() as connection:
            stored = connection.execute(select(func.count()).select_from(ReceivedEventRow))
            stored_events = stored.scalar_one()
        engine.dispose()
    print(f"{'':<26} {'':>11} {'':>14} | latency measured at the kiosks, from send to answer")
    baseline = _report("baseline GET /v1/health", base, base.all_latencies(), base.error_count())
    for kind in ("heartbeat", "events"):
        _report(f"  POST /v1/{kind}", fleet, fleet.latencies[kind], fleet.errors[kind])
    total = _report("fleet (both)", fleet, fleet.all_latencies(), fleet.error_count())
    ratio = total["p99_ms"] / baseline["p99_ms"] if baseline["p99_ms"] else float("nan")
    print(
        f"events: {fleet.events_sent} delivered, {stored_events} stored at the center;"
        f" reconnects {base.reconnects + fleet.reconnects}; p99 ratio to baseline {ratio:.2f}"
    )
    print(
        f"fleet-bench kiosks={args.kiosks} db={db_kind} workers={args.workers}"
        f" rps={total['rps']:.1f} p50_ms={total['p50_ms']:.1f} p95_ms={total['p95_ms']:.1f}"
        f" p99_ms={total['p99_ms']:.1f} errors={total['errors']}"
        f" baseline_p99_ms={baseline['p99_ms']:.1f} events_lost={fleet.events_sent - stored_events}"
    )
    return {**total, "events_sent": fleet.events_sent, "events_stored": stored_events}


PASSWORD = "bench password 1"
LARGEST_STEPS = (1000, 2000, 3000, 4000, 5000, 7500, 10_000)
P99_GOAL_MS = 100.0


def largest(args: argparse.Namespace) -> int:
    """Heartbeats alone, every `--interval` s, from ever larger fleets (one keep-alive
    connection per kiosk) until p99 passes 100 ms; then the fleet page at the largest held."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # a socket per kiosk, both ends
    steps = [n for n in LARGEST_STEPS if args.first <= n <= args.kiosks]
    held = 0
    with _database(args.database) as (db_kind, db_url), _center(db_url, args.workers) as port:
        print(
            f"largest fleet: heartbeats every {args.interval:g} s, {args.seconds:g} s per step,"
            f" {args.workers} uvicorn worker(s) on {db_kind}, {os.cpu_count()} CPUs;"
            f" open files {hard} (was {soft})"
        )
        base_tally: Tally | None = None
        for size in steps:
            kiosks = [Kiosk(n, "127.0.0.1", port, 0) for n in range(size)]

            async def beats(kiosks: list[Kiosk] = kiosks) -> tuple[Tally, Tally]:
                await _connect_all(kiosks)
                base = await _heartbeats(kiosks, args.interval, min(args.seconds, 10), True)
                fleet = await _heartbeats(kiosks, args.interval, args.seconds, False)
                for kiosk in kiosks:
                    kiosk.link.close()
                return base, fleet

            base_tally, fleet = asyncio.run(beats())
            base = _report(f"  baseline at {size:>6}", base_tally, base_tally.all_latencies(),
                           base_tally.error_count())  # fmt: skip
            row = _report(f"heartbeats of {size:>6}", fleet, fleet.all_latencies(),
                          fleet.error_count())  # fmt: skip
            ok = row["p99_ms"] < P99_GOAL_MS and row["errors"] == 0
            ratio = row["p99_ms"] / base["p99_ms"] if base["p99_ms"] else float("nan")
            print(f"  {'held' if ok else 'NOT held'}: p99 {row['p99_ms']:.1f} ms"
                  f" (goal < {P99_GOAL_MS:g}), {ratio:.2f}x the baseline's")  # fmt: skip
            if not ok:
                break
            held = size
        page_ms = _fleet_page_times(port, db_url)
    print(
        f"fleet-largest held={held} goal=10000 db={db_kind} workers={args.workers}"
        f" page_first_ms={page_ms[0]:.1f} page_median_ms={statistics.median(page_ms[2::2]):.1f}"
        f" page_red_median_ms={statistics.median(page_ms[1::2]):.1f}"
    )
    return held


async def _heartbeats(kiosks: list[Kiosk], interval: float, seconds: float,
                      baseline: bool) -> Tally:  # fmt: skip
    """Each kiosk, spread evenly over the interval, beats every `interval` seconds."""
    tally = Tally()
    loop = asyncio.get_running_loop()
    tally.started = time.perf_counter()
    until = loop.time() + seconds
    spread = interval / len(kiosks)

    async def live(kiosk: Kiosk, offset: float) -> None:
        due = loop.time() + offset
        while due < until:
            await asyncio.sleep(max(0.0, due - loop.time()))
            if baseline:
                await _timed(kiosk, "health", "GET", "/v1/health", None, tally)
            else:
                await _timed(kiosk, "heartbeat", "POST", "/v1/heartbeat", kiosk.heartbeat(), tally)
            due += interval

    await asyncio.gather(*(live(k, n * spread) for n, k in enumerate(kiosks)))
    tally.ended = time.perf_counter()
    return tally


def _fleet_page_times(port: int, db_url: str, loads: int = 6) -> list[float]:
    """Milliseconds to load /staff/kiosks as a signed-in operator: the first load, then more."""
    import re

    import requests

    from center.database import open_database
    from center.staff.accounts import Role, add_staff

    database = open_database(db_url)
    add_staff(
        database.sessions,
        "bench-op",
        "bench",
        Role.OPERATOR,
        "bench password 1",
        dt.datetime.now(dt.UTC),
    )
    database.close()
    base = f"http://127.0.0.1:{port}/staff"
    browser = requests.Session()
    form = browser.get(f"{base}/login", timeout=30)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    signed_in = {"login": "bench-op", "password": PASSWORD, "csrf": csrf[1]}
    browser.post(f"{base}/login", data=signed_in, timeout=30)
    times = []
    for n in range(loads):
        path = "/kiosks" if n % 2 == 0 else "/kiosks?status=red"
        started = time.perf_counter()
        page = browser.get(base + path, timeout=60)
        times.append((time.perf_counter() - started) * 1000)
        assert page.status_code == 200, page.text[:200]
    print(
        f"fleet page /staff/kiosks: first {times[0]:.1f} ms, then median"
        f" {statistics.median(times[2::2]):.1f} ms; filtered to red: median"
        f" {statistics.median(times[1::2]):.1f} ms ({len(page.content)} bytes)"
    )
    return times


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.fleet", description=__doc__)
    parser.add_argument("--kiosks", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between heartbeats")
    parser.add_argument("--speed", type=float, default=1.0, help="time compression factor")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    parser.add_argument("--events", type=int, default=5, help="events per batch")
    parser.add_argument("--workers", type=int, default=2, help="center processes")
    parser.add_argument(
        "--database", choices=("auto", "postgresql", "sqlite"), default="auto"
    )  # auto: PostgreSQL when it can start here
    parser.add_argument(
        "--first", type=int, default=0, help="with --largest: the smallest fleet to try"
    )
    parser.add_argument(
        "--largest",
        action="store_true",
        help="heartbeats alone, from 1,000 kiosks up to --kiosks (give 10000), until p99 passes"
        " 100 ms; then the fleet page's load time at the largest fleet held",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.largest:
        largest(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
