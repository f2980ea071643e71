"""Fault test: payments while the network between kiosk and center drops, delays, resets and
answers 5xx at random. The same books as the crash test must balance.

    python -m tests.chaos.network --payments 60 [--seed 3]

The kiosk's payment service (real store, real client) talks to the real center through the
fault proxy (tests.support.fault_proxy); the wallets play their random mix, as in the crash
test. Resets after forwarding are the cruel case: the center charged, the kiosk never heard.
The last line printed is

    network-faults payments=N paid=P unpaid=U lost=L double=D
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import requests

from center.server import serve_center
from drivers.printer.simulator import PrinterSimulator
from drivers.registry import load_driver
from kiosk.services.paying import Payments
from kiosk.services.payment_orders import order_for_arrears, order_for_prepay
from kiosk.services.payment_types import PaymentLimits
from kiosk.store import open_store
from rules.codes import classify_code
from sync.client import CenterClient
from tests.chaos.kiosk_child import payment_code
from tests.chaos.ledger import Verdict, balances, check_payments, demo_accounts
from tests.chaos.payments import BEHAVIOUR_MIX
from tests.support.fault_proxy import FaultProxy
from tests.support.paying import make_payments

BILL_QR_PREFIX = "https://95598.js.sgcc.local/bill/"
CLIENT_TIMEOUT = 1.0
SETTLE_TIMEOUT = 120.0
# Each request meets at most one of these, drawn in this order.
FAULTS = (
    ("drop", {"probability": 0.06}),
    ("reset", {"probability": 0.08}),
    ("5xx", {"probability": 0.05}),
    ("5xx_after_forward", {"probability": 0.05}),
    ("truncate", {"probability": 0.03}),
    ("delay", {"probability": 0.05, "seconds": 1.5, "on": "answer"}),  # beyond the timeout
    ("delay", {"probability": 0.05, "seconds": 0.3}),
)


@dataclass
class FaultRun:
    verdict: Verdict
    faults: dict[str, int]
    seconds: float


def run_network_faults(payments_to_make: int, *, seed: int = 3) -> FaultRun:
    rng = random.Random(seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="network-faults-") as scratch:
        root = Path(scratch)
        center_db = root / "center.db"
        with serve_center(f"sqlite:///{center_db}", today=None) as center:
            requests.post(
                f"{center.url}/sim/wallets/behaviour",
                json={"mix": BEHAVIOUR_MIX, "seed": seed, "after_s": 0.4},
                timeout=10,
            ).raise_for_status()
            accounts = demo_accounts(center_db)
            before = balances(center_db)
            store = open_store(root / "kiosk" / "kiosk.db")
            direct = CenterClient(center.url, "network-faults", timeout=5)
            paper = PrinterSimulator().start()
            printer = load_driver(
                "printer", "escpos", {"url": f"serial://{paper.path}?baud=115200"}
            )
            printer.open()
            printer.enable()
            with FaultProxy(center.url, seed=seed) as proxy:
                client = CenterClient(proxy.url, "network-faults", timeout=CLIENT_TIMEOUT)
                payments = make_payments(client, store, printer, kiosk_id="network-faults")
                for kind, options in FAULTS:
                    proxy.inject(kind, **options)  # type: ignore[arg-type]
                try:
                    ids = []
                    for _ in range(payments_to_make):
                        # Finding the bill is not what is tested: it goes round the proxy.
                        bill = direct.account_bill(rng.choice(accounts))
                        if bill.total_due > 0 and rng.random() < 0.5:
                            order = order_for_arrears(bill)
                        else:
                            amount = Decimal(rng.randrange(10, 300))
                            order = order_for_prepay(bill, amount, PaymentLimits())
                        code = classify_code(payment_code(rng), BILL_QR_PREFIX)
                        progress = payments.pay_by_code(order, code)
                        ids.append(progress.payment_id)
                        _wait_finished(payments, progress.payment_id)
                    # The network heals: whatever is still being reversed gets through.
                    proxy.clear()
                    deadline = time.monotonic() + SETTLE_TIMEOUT
                    while payments.unsettled() and time.monotonic() < deadline:
                        time.sleep(0.05)
                    faults = proxy.counts
                finally:
                    payments.stop()
                    client.close()
                    direct.close()
                    store.close()
                    printer.close()
                    paper.stop()
            verdict = check_payments(
                root / "kiosk" / "kiosk.db", center_db, paper.receipts, balances_before=before
            )
    return FaultRun(verdict, faults, time.monotonic() - started)


def _wait_finished(payments: Payments, payment_id: str) -> None:
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        if payments.progress(payment_id).finished:
            return
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=60)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the faults make warnings by design
    run = run_network_faults(args.payments, seed=args.seed)
    verdict = run.verdict
    for problem in verdict.problems[:20]:
        print(f"  problem: {problem}")
    shown = ", ".join(f"{kind}={n}" for kind, n in sorted(run.faults.items()))
    print(f"faults: {shown}; seconds={run.seconds:.0f} kept_for_reprint={verdict.kept_for_reprint}")
    print(verdict.summary("network-faults"))
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
