"""Payments for tests: the real service on the real store, with the wallets' pace shortened."""

from __future__ import annotations

from typing import Any

import requests

from kiosk.domain.payment import PaymentRules
from kiosk.services.paying import Payments
from kiosk.services.receipt_printing import ReceiptPrinting
from kiosk.store import Store
from kiosk.store.payment_journal import PaymentJournal

# The production rules at a tenth of the pace or less: a test waits seconds, not minutes.
FAST_RULES = PaymentRules(
    first_query_s=0.2,
    query_interval_s=0.3,
    query_window_s=3.0,
    native_query_interval_s=0.2,
    native_window_s=20.0,
    reverse_interval_s=0.2,
    reverse_backoff_max_s=1.0,
    confirm_grace_s=1.5,
)


def make_payments(
    center: Any,
    store: Store,
    printer: Any = None,
    *,
    rules: PaymentRules = FAST_RULES,
    kiosk_id: str = "kiosk-test",
    printer_wait_s: float = 10.0,
) -> Payments:
    """`center`: a CenterClient; `printer`: a ReceiptPrinter (None: receipts are kept)."""
    return Payments(
        center,
        PaymentJournal(store.unit_of_work),
        ReceiptPrinting(printer, printer_wait_s),
        rules=rules,
        kiosk_id=kiosk_id,
        station_name="钟灵街营业基站",
    )


def wallets_will(center: Any, *behaviours: str, **options: Any) -> None:
    """The center's wallet simulators answer the next payments this way (center/wallets)."""
    requests.post(
        f"{center.url}/sim/wallets/behaviour",
        json={"next": list(behaviours), **options},
        timeout=5,
    ).raise_for_status()


def wallet_ledger(center: Any) -> dict[str, dict[str, Any]]:
    """The wallet simulators' orders by out_trade_no (the payment id): charged, refunded, ..."""
    answer = requests.get(f"{center.url}/sim/wallets/ledger", timeout=5)
    answer.raise_for_status()
    return {order["out_trade_no"]: order for order in answer.json()["orders"]}
