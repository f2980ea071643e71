"""Crash test: payments through the real kiosk process and the real center, the kiosk killed
(SIGKILL) at random instants and restarted, then every payment checked.

    python -m tests.chaos.payments --runs 200 [--seed 7] [--kills 60]

The center runs as its own process (kiosk-center, SQLite file) with its wallet simulators set
to a random mix of behaviours (instant success, USERPAYING, SYSTEMERROR, BANKERROR, PAYERROR
with the money taken, definite declines, reverses that ask to be recalled). The receipt printer
is the wire-level simulator on a pty, outliving each kiosk process as a real printer would.
The kiosk process (tests.chaos.kiosk_child) pays by payment code, one payment after another.
At the end every payment must be paid exactly once or not at all: see tests.chaos.ledger.
The last line printed is

    crash-test payments=N paid=P unpaid=U lost=L double=D
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from drivers.printer.simulator import PrinterSimulator
from kiosk.embedded_center import EmbeddedCenter
from tests.chaos.ledger import Verdict, balances, check_payments, demo_accounts

# Weighted wallet behaviours (center/wallets): mostly the everyday, plenty of the rare.
BEHAVIOUR_MIX = {
    "success": 10,
    "userpaying_success": 3,
    "userpaying_fail": 1,
    "userpaying_forever": 1,
    "systemerror_paid": 2,
    "systemerror_unpaid": 1,
    "bankerror": 1,
    "payerror_charged": 1,
    "insufficient_funds": 1,
    "code_expired": 1,
    "reverse_recall": 1,
}
CHILD_TIMEOUT = 600.0


@dataclass
class CrashRun:
    verdict: Verdict
    kills: int
    restarts: int
    seconds: float


def _start_child(args: list[str], log: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.chaos.kiosk_child", *args],
        stdout=subprocess.PIPE,
        stderr=log.open("a"),
        text=True,
        env=env,
    )


def watch_child(child: subprocess.Popen[str], ready: threading.Event, lines: list[str]) -> None:
    """Collect a child's output lines; set `ready` when it says so."""
    assert child.stdout is not None
    for line in child.stdout:
        lines.append(line.rstrip())
        if line.startswith("ready"):
            ready.set()


def run_crash_test(
    runs: int, *, seed: int = 7, kills: int | None = None, folder: Path | None = None
) -> CrashRun:
    """Pay `runs` payments, killing the kiosk `kills` times (default: one per 4 payments)."""
    kills = runs // 4 if kills is None else kills
    rng = random.Random(seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="crash-test-") as scratch:
        root = folder or Path(scratch)
        center = EmbeddedCenter(root / "center").start()
        printer = PrinterSimulator().start()
        try:
            requests.post(
                f"{center.url}/sim/wallets/behaviour",
                json={"mix": BEHAVIOUR_MIX, "seed": seed, "after_s": 0.4},
                timeout=10,
            ).raise_for_status()
            accounts = demo_accounts(center.folder / "center.db")
            before = balances(center.folder / "center.db")
            args = [
                "--folder", str(root / "kiosk"),
                "--center", center.url,
                "--printer", f"serial://{printer.path}?baud=115200",
                "--accounts", ",".join(accounts),
                "--runs", str(runs),
                "--seed", str(seed),
            ]  # fmt: skip
            killed = restarts = 0
            while True:
                child = _start_child(args, root / "kiosk-child.log")
                ready, lines = threading.Event(), []
                watcher = threading.Thread(
                    target=watch_child, args=(child, ready, lines), daemon=True
                )
                watcher.start()
                if killed < kills and ready.wait(60):
                    # Anywhere in the next couple of payments: mid-request, mid-commit, mid-print.
                    time.sleep(rng.uniform(0.0, 1.5))
                    if child.poll() is None:
                        child.send_signal(signal.SIGKILL)
                        child.wait()
                        killed += 1
                        restarts += 1
                        continue
                code = child.wait(timeout=CHILD_TIMEOUT)
                watcher.join(5)
                if code != 0:
                    tail = (root / "kiosk-child.log").read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"the kiosk process failed ({code}):\n{tail}")
                if lines and lines[-1] == "all settled":
                    break
                restarts += 1
            verdict = check_payments(
                root / "kiosk" / "kiosk.db",
                center.folder / "center.db",
                printer.receipts,
                balances_before=before,
            )
        finally:
            printer.stop()
            center.stop()
    return CrashRun(verdict, killed, restarts, time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="payments to make")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kills", type=int, default=None, help="default: one per 4 payments")
    args = parser.parse_args(argv)
    run = run_crash_test(args.runs, seed=args.seed, kills=args.kills)
    verdict = run.verdict
    for problem in verdict.problems[:20]:
        print(f"  problem: {problem}")
    print(
        f"kills={run.kills} restarts={run.restarts} seconds={run.seconds:.0f} "
        f"receipts={verdict.receipts} kept_for_reprint={verdict.kept_for_reprint}"
    )
    print(verdict.summary("crash-test"))
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
