"""The benchmarks: `python -m tests.perf [--runs N]` (or `./run perf`).

Each figure is printed with its baseline, measured in the same run on the same machine, and the
ratio to it, so the numbers mean the same on a fast laptop and a slow kiosk:

- cold start to the home screen shown, against a bare PySide6 window (budget: 2x), at power-on
  of a kiosk that has run before and at its first start ever (which creates the store);
- peak memory until the back end is up, against the same bare window (budget: 200 MiB);
- the UI thread's longest stall while a bill is fetched from a center that answers after one
  second, against the same kiosk sitting idle (budget: no stall over 50 ms);
- paying (also runnable alone, `tests.perf.payment`): kiosk-side time from a payment code
  scanned to "paid" on screen, against the center's own answers (budget 300 ms), and the UI
  thread's longest stall meanwhile (budget 50 ms);
- the devices (each also runnable alone): `tests.perf.idcard` card placed to fields read,
  `tests.perf.receipt` a receipt's bytes and time at 115200 baud, `tests.perf.decoding` camera
  decoding rate and time for zxing-cpp, pyzbar and OpenCV.

- video help (`tests.perf.calls`): Help pressed to staff's picture shown, the kiosk's CPU in a
  call (budget under 35 % of one core) and the UI thread's longest stall meanwhile (budget
  50 ms), resident memory over 50 consecutive calls (budget: flat after the first few).

- residents' business (`tests.perf.business`): an application with its page photos submitted at
  the kiosk, delivered and sealed at the center, and followed by its number.

`--only startup|stall|payment|idcard|receipt|decoding|calls|business` runs one of them.
"""

from __future__ import annotations

import argparse
import compileall
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kiosk.embedded_center import EmbeddedCenter
from tests.perf.startup_child import HEAVY

ACCOUNT = "3201000001"


def _child(module: str, *args: str) -> tuple[float, dict[str, Any]]:
    launched = time.time()
    done = subprocess.run(
        [sys.executable, "-m", f"tests.perf.{module}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"{module} {args[:1]} failed ({done.returncode}):\n{done.stderr[-3000:]}"
        )
    return launched, json.loads(lines[-1])


def _row(
    name: str, value: float, baseline_name: str, baseline: float, unit: str, budget: str
) -> None:
    ratio = value / baseline if baseline else float("inf")
    print(
        f"{name:<34} {value:9.1f} {unit:<4} | {baseline_name:<26} {baseline:8.1f} {unit:<4}"
        f" | ratio {ratio:5.2f} | {budget}"
    )


def startup(center_url: str, runs: int) -> None:
    """Power-on of a kiosk that has run before (its store there), the budgeted case; and the
    first start ever, which also creates the store."""
    bare_s, bare_mem = [], []
    kiosk_s: dict[str, list[float]] = {"again": [], "first": []}
    ready_s: dict[str, list[float]] = {"again": [], "first": []}
    kiosk_mem: dict[str, list[float]] = {"again": [], "first": []}
    heavy: set[str] = set()
    for _ in range(runs):  # interleaved, so a busy moment of the machine hits both alike
        launched, bare = _child("startup_child", "bare")
        bare_s.append(bare["shown_at"] - launched)
        bare_mem.append(bare["peak_rss_mib"])
        with tempfile.TemporaryDirectory() as data_dir:
            for start in ("first", "again"):
                launched, kiosk = _child("startup_child", "kiosk", center_url, data_dir)
                if not kiosk["home"]:
                    raise RuntimeError("the kiosk's first frame was not the home screen")
                heavy.update(kiosk["heavy_at_first_frame"])
                kiosk_s[start].append(kiosk["shown_at"] - launched)
                ready_s[start].append(kiosk["ready_at"] - launched)
                kiosk_mem[start].append(kiosk["peak_rss_mib"])
    median = statistics.median
    bare_ms, bare_mib = median(bare_s) * 1000, median(bare_mem)
    print(f"cold start, median of {runs} runs each (process launch to first frame):")
    for start, what, budget in (
        ("again", "power-on", "budget ratio <= 2.00"),
        ("first", "first start ever", "(the store is created)"),
    ):
        _row(f"kiosk {what}: home shown", median(kiosk_s[start]) * 1000,
             "bare PySide6 window", bare_ms, "ms", budget)  # fmt: skip
    for start, what in (("again", "power-on"), ("first", "first start ever")):
        _row(f"kiosk {what}: all up", median(ready_s[start]) * 1000,
             "bare PySide6 window", bare_ms, "ms", "(behind the shown screen)")  # fmt: skip
    for start, what, budget in (
        ("again", "power-on", "budget <= 200 MiB"),
        ("first", "first start ever", "budget <= 200 MiB"),
    ):
        _row(f"peak memory, {what}", median(kiosk_mem[start]), "bare PySide6 window", bare_mib,
             "MiB", budget)  # fmt: skip
    print(f"  imported before the first frame, of {', '.join(HEAVY)}: {sorted(heavy) or 'none'}")


def ui_stall(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        center = EmbeddedCenter(Path(folder) / "slow-center", answer_delay=1.0)
        with center:
            results = []
            for _ in range(runs):
                with tempfile.TemporaryDirectory() as data_dir:
                    results.append(_child("ui_stall_child", center.url, data_dir, ACCOUNT)[1])
    if not all(r["shown"] for r in results):
        raise RuntimeError("the bill was not shown")
    worst = max(r["fetch_max_ms"] for r in results)
    idle_worst = max(r["idle_max_ms"] for r in results)
    print(f"UI thread while a bill is fetched from a center answering after 1 s ({runs} runs):")
    _row("longest stall during the fetch", worst, "same kiosk idle", idle_worst, "ms",
         "budget: <= 50 ms")  # fmt: skip
    _row("p99 stall during the fetch", max(r["fetch_p99_ms"] for r in results),
         "same kiosk idle", max(r["idle_p99_ms"] for r in results), "ms", "")  # fmt: skip
    print(
        f"  fetch took {statistics.median(r['fetch_s'] for r in results):.2f} s (center delay 1 s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.perf",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=7, help="repetitions of each measurement")
    parser.add_argument(
        "--only",
        choices=[
            "startup",
            "stall",
            "payment",
            "idcard",
            "receipt",
            "decoding",
            "calls",
            "business",
        ],
        help="run one benchmark",
    )
    args = parser.parse_args()
    # An installed kiosk starts from compiled bytecode (the installer compiles it), as the
    # libraries it is compared with already do; measure that, not a compile on every launch.
    root = Path(__file__).resolve().parents[2]
    for package in ("kiosk", "drivers", "sync", "center"):
        compileall.compile_dir(root / package, quiet=1)
    every = {"startup", "stall", "payment", "idcard", "receipt", "decoding", "calls", "business"}
    wanted = {args.only} if args.only else every
    failed = 0
    if "startup" in wanted:
        with tempfile.TemporaryDirectory() as folder, EmbeddedCenter(Path(folder)) as center:
            startup(center.url, args.runs)
    if "stall" in wanted:
        ui_stall(max(1, args.runs // 2))
    for name in ("payment", "idcard", "receipt", "decoding", "calls", "business"):
        if name in wanted:
            print(f"\n--- {name} (python -m tests.perf.{name}) ---", flush=True)
            module = importlib.import_module(f"tests.perf.{name}")
            failed |= int(module.main([]) or 0)
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
