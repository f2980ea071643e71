"""The kiosk process of the crash test: the real back end, headless, paying a planned series.

It builds the kiosk exactly as `kiosk` does (store, center client, relay, the real ESC/POS
driver on the printer simulator's pty, the payment service), resumes whatever a previous run
left unsettled, then pays plan item after plan item by payment code, as a resident would, each
to its end (settled and its receipt printed or kept). The next item is the number of payments
already in the journal, so a restarted process carries on where the killed one stopped.

`python -m tests.chaos.kiosk_child --folder F --center URL --printer PTY --accounts A,B --runs N`
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kiosk.bootstrap import Kiosk, build_kiosk
from kiosk.config import load_config
from kiosk.services.payment_types import PaymentProgress, PaymentRefused
from kiosk.store.tables import payments
from sync.protocol.errors import CenterError

SETTLE_TIMEOUT = 120.0

# The wallets' own timings, shortened so hundreds of payments fit in minutes; the rules are
# the same as in production.
FAST_PAYMENTS = {
    "first_query_seconds": 0.2,
    "query_interval_seconds": 0.3,
    "query_window_seconds": 3.0,
    "native_query_interval_seconds": 0.2,
    "native_window_seconds": 10.0,
    "reverse_interval_seconds": 0.2,
    "reverse_backoff_max_seconds": 1.0,
    "confirm_grace_seconds": 1.0,
    "printer_wait_seconds": 10.0,
}


def chaos_config(folder: Path, center_url: str, printer_url: str, kiosk_id: str) -> Any:
    off = {"enabled": False}
    return load_config(
        overrides={
            "kiosk": {"id": kiosk_id, "data_dir": str(folder)},
            "center": {"url": center_url, "timeout_seconds": 2.0},
            "payment": FAST_PAYMENTS,
            "queue": {"max_retry_seconds": 1.0},
            "logging": {"level": "WARNING"},
            "devices": {
                "printer": {"driver": "escpos", "url": printer_url, "enabled": True},
                "scanner": off,
                "idcard": off,
                "camera": off,
            },
        }
    )


def payment_code(rng: random.Random) -> str:
    """A fresh WeChat (18 digits, 10-15) or Alipay (18 digits, 25-30) payment code."""
    head = rng.choice(["13", "14", "28", "29"])
    return head + "".join(rng.choice("0123456789") for _ in range(16))


def journal_size(kiosk: Kiosk) -> int:
    with kiosk.store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(payments)).scalar_one()


def wait_settled(kiosk: Kiosk, payment_id: str) -> PaymentProgress:
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        progress = kiosk.services.payment_progress(payment_id)
        if progress.finished:
            return progress
        time.sleep(0.02)
    raise TimeoutError(f"payment {payment_id} not settled within {SETTLE_TIMEOUT} s")


def wait_all_settled(kiosk: Kiosk) -> None:
    assert kiosk.payments is not None
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        if not kiosk.payments.unsettled() and not kiosk.payments.receipts_pending():
            return
        time.sleep(0.05)
    raise TimeoutError("payments still unsettled")


def pay_one(kiosk: Kiosk, rng: random.Random, accounts: list[str]) -> str:
    account = rng.choice(accounts)
    prepay = Decimal(rng.randrange(10, 300))
    use_arrears = rng.random() < 0.5
    code = payment_code(rng)
    while True:
        try:
            bill = kiosk.services.look_up_account(account)
            break
        except Exception:  # the center restarting or busy: a resident would try again
            time.sleep(0.2)
    services = kiosk.services
    if use_arrears and bill.total_due > 0:
        order = services.order_for_arrears(bill)
    else:
        order = services.order_for_prepay(bill, prepay)
    progress = services.pay_by_code(order, code)
    return progress.payment_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--center", required=True)
    parser.add_argument("--printer", required=True, help="the printer's URL")
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kiosk-id", default="chaos-kiosk")
    args = parser.parse_args(argv)

    config = chaos_config(args.folder, args.center, args.printer, args.kiosk_id)
    kiosk = build_kiosk(config)
    kiosk.start()  # opens the printer, starts the relay, resumes what was left unsettled
    accounts = args.accounts.split(",")
    print("ready", flush=True)
    done = journal_size(kiosk)
    while done < args.runs:
        rng = random.Random(args.seed * 1_000_003 + done)
        try:
            payment_id = pay_one(kiosk, rng, accounts)
        except (PaymentRefused, CenterError) as error:
            print(f"refused {done} {error}", flush=True)
            time.sleep(0.1)
            continue
        progress = wait_settled(kiosk, payment_id)
        print(f"paid {done} {progress.outcome.value} {progress.receipt.value}", flush=True)
        done = journal_size(kiosk)
    wait_all_settled(kiosk)
    print("all settled", flush=True)
    kiosk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
