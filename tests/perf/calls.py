"""Video help, measured: `python -m tests.perf.calls [--calls N] [--talk S]` (also in
`./run perf`, or alone with `--only calls`).

The reference center runs in its own process with an agent's account; the agent is
tests/support/staff_peer.py (an aiortc peer on the staff socket, taking every call), in this
process; the kiosk runs in a child (tests/perf/calls_child.py), so its CPU and memory are its
own. Figures and their baselines, measured in the same run:

- Help pressed to staff's picture shown on the kiosk, on loopback, against two bare aiortc peers
  in one process connecting and showing a first frame (the floor aiortc sets);
- the kiosk's CPU during a call at 640x480/15 fps, against the same kiosk idle (budget: under
  35 % of one core);
- the UI thread's longest stall meanwhile, against the same kiosk idle (budget 50 ms);
- resident memory over N consecutive calls: the median of the last ten calls against
  the median of calls 5-14 (budget: flat, under 10 MiB, after the first few calls).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiortc import RTCConfiguration, RTCPeerConnection
from aiortc.mediastreams import VideoStreamTrack

from center.database import open_database
from center.staff.accounts import Role, add_staff
from kiosk.embedded_center import EmbeddedCenter
from tests.support.staff_peer import StaffPeer, sign_in

AGENT, PASSWORD = "agent-bench", "bench password 1"
CPU_BUDGET = 0.35
STALL_BUDGET_MS = 50.0
GROWTH_BUDGET_MIB = 10.0


def bare_connect_s() -> float:
    """Two aiortc peers in one process: offer, answer, first frame received."""

    async def once() -> float:
        from kiosk.video.link import _offer_loopback

        _offer_loopback()
        started = time.monotonic()
        sender = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        receiver = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        sender.addTrack(VideoStreamTrack())
        first: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        taking: list[asyncio.Future[None]] = []

        @receiver.on("track")
        def on_track(track: VideoStreamTrack) -> None:
            async def take() -> None:
                await track.recv()
                if not first.done():
                    first.set_result(time.monotonic())

            taking.append(asyncio.ensure_future(take()))

        await sender.setLocalDescription(await sender.createOffer())
        await receiver.setRemoteDescription(sender.localDescription)
        await receiver.setLocalDescription(await receiver.createAnswer())
        await sender.setRemoteDescription(receiver.localDescription)
        shown = await asyncio.wait_for(first, 20)
        await sender.close()
        await receiver.close()
        return shown - started

    times = sorted(asyncio.run(once()) for _ in range(3))
    return times[1]


def _row(name: str, value: float, base_name: str, base: float, unit: str, budget: str) -> None:
    ratio = value / base if base else float("inf")
    print(
        f"{name:<40} {value:9.1f} {unit:<4} | {base_name:<28} {base:8.1f} {unit:<4}"
        f" | ratio {ratio:5.2f} | {budget}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.calls", description=__doc__)
    parser.add_argument("--calls", type=int, default=50, help="consecutive calls for memory")
    parser.add_argument("--talk", type=float, default=10.0, help="seconds of call for CPU")
    args = parser.parse_args(argv)
    bare_s = bare_connect_s()
    with tempfile.TemporaryDirectory() as folder, EmbeddedCenter(Path(folder) / "center") as center:
        database = open_database(center.db_url)
        try:
            now = dt.datetime.now(dt.UTC)
            add_staff(database.sessions, AGENT, "Bench Agent", Role.AGENT, PASSWORD, now)
        finally:
            database.close()
        peer = StaffPeer(center.url, sign_in(center.url, AGENT, PASSWORD), auto_take=True)
        peer.connect()
        try:
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "tests.perf.calls_child",
                    center.url,
                    str(Path(folder) / "kiosk"),
                    str(args.talk),
                    str(args.calls),
                ],
                capture_output=True,
                text=True,
                timeout=120 + args.calls * 10 + args.talk * 3,
                check=False,
            )
        finally:
            peer.close()
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        print(f"the kiosk's run failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return 1
    result = json.loads(lines[-1])
    memory = result["memory_mib"]
    # Resident memory swings by some 20 MiB from one call to the next (when the allocator hands
    # pages back): growth is told by the median of ten calls, after the first five, against
    # the median of the last ten, not by two single readings.
    warm = min(5, len(memory) - 1)
    window = max(1, min(10, (len(memory) - warm) // 2))
    early = statistics.median(memory[warm : warm + window])
    late = statistics.median(memory[-window:]) - early
    print(f"video help ({args.calls} calls, {args.talk:.0f} s of talk measured)")
    _row("Help to staff video shown, first call", result["first_shown_s"] * 1000,
         "bare aiortc connect + frame", bare_s * 1000, "ms", "(no budget)")  # fmt: skip
    _row("Help to staff video shown, median call", result["shown_median_s"] * 1000,
         "bare aiortc connect + frame", bare_s * 1000, "ms", "(no budget)")  # fmt: skip
    _row("kiosk CPU during a call", result["call_cpu"] * 100,
         "same kiosk idle", result["idle_cpu"] * 100, "%", "under 35 % of one core")  # fmt: skip
    _row("UI longest stall during a call", result["call_max_ms"],
         "same kiosk idle", result["idle_max_ms"], "ms", "under 50 ms")  # fmt: skip
    _row(f"memory growth, last {window} calls", late,
         f"median of calls {warm}-{warm + window - 1}", early, "MiB", "under 10 MiB")  # fmt: skip
    print(f"  memory after each call (MiB): {' '.join(f'{m:.0f}' for m in memory)}")
    print(f"  staff frames received during the measured talk: {result['staff_frames']}")
    threads = sorted(result["call_cpu_by_thread"].items(), key=lambda item: -item[1])
    shares = ", ".join(f"{name} {share}" for name, share in threads)
    print(f"  the call's CPU by thread (% of one core): {shares}")
    within = (
        result["call_cpu"] < CPU_BUDGET
        and result["call_max_ms"] < STALL_BUDGET_MS
        and late < GROWTH_BUDGET_MIB
    )
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())
