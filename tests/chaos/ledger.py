"""The books after a crash or fault test: every payment paid exactly once, or not at all.

Read from the files themselves, after the processes are gone: the kiosk's journal (its SQLite
store), the center's database (payments, write-offs, bills, the wallet simulators' ledger) and
what the printer simulator printed. A payment is

- lost when the kiosk never settled it, or the kiosk and the center disagree on whether it was
  paid, or money stays taken for a payment that is not paid, or a paid payment has neither a
  receipt on paper nor one kept for reprinting;
- lost, too, when a bill stays claimed by a payment that has ended (nobody could pay it);
- double when a bill is written off by two payments, a balance holds more than the paid
  prepayments, or one payment has two original (not REPRINT) receipts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from center.history import channel_of
from sync.protocol import Channel


@dataclass
class Verdict:
    payments: int = 0
    paid: int = 0
    unpaid: int = 0
    lost: int = 0
    double: int = 0
    receipts: int = 0
    kept_for_reprint: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.double == 0 and self.payments > 0

    def summary(self, name: str) -> str:
        return (
            f"{name} payments={self.payments} paid={self.paid} unpaid={self.unpaid} "
            f"lost={self.lost} double={self.double}"
        )


def _rows(db: Path, query: str) -> list[Mapping[str, Any]]:
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def demo_accounts(center_db: Path) -> list[str]:
    """The center's electricity, water and gas accounts, to pay at random."""
    return [row["number"] for row in _rows(center_db, "SELECT number FROM accounts ORDER BY 1")]


def balances(center_db: Path) -> dict[str, Decimal]:
    rows = _rows(center_db, "SELECT number, balance FROM accounts")
    return {row["number"]: Decimal(row["balance"]) for row in rows}


def check_payments(
    kiosk_db: Path,
    center_db: Path,
    printed: Iterable[Any] = (),
    *,
    balances_before: Mapping[str, Decimal] | None = None,
) -> Verdict:
    """`printed`: the printer simulator's receipts (objects with `.receipt.text()`)."""
    verdict = Verdict()
    kiosk = {row["id"]: row for row in _rows(kiosk_db, "SELECT * FROM payments")}
    # Payments made at a counter or in the app (the demo's history) are not this kiosk's.
    center = {
        row["id"]: row
        for row in _rows(center_db, "SELECT * FROM payments")
        if channel_of(row["kiosk_id"])[0] is Channel.KIOSK
    }
    orders = {row["out_trade_no"]: row for row in _rows(center_db, "SELECT * FROM wallet_orders")}
    paid_bills = {
        (row["account_number"], row["period"])
        for row in _rows(center_db, "SELECT account_number, period FROM bills WHERE paid")
    }
    transcripts = [receipt.receipt.text() for receipt in printed]
    verdict.receipts = len(transcripts)

    def lost(payment_id: str, why: str) -> None:
        verdict.lost += 1
        verdict.problems.append(f"lost {payment_id[:12]}: {why}")

    def double(what: str) -> None:
        verdict.double += 1
        verdict.problems.append(f"double: {what}")

    for payment_id, mine in kiosk.items():
        verdict.payments += 1
        theirs = center.get(payment_id)
        order = orders.get(payment_id)
        taken = bool(order and order["charged"] and not order["refunded"])
        state = mine["state"]
        if state not in ("paid", "failed", "reversed"):
            lost(payment_id, f"left {state} at the kiosk")
            continue
        if state != "paid":
            verdict.unpaid += 1
            if theirs is not None and (theirs["status"] == "paid" or theirs["written_off"]):
                lost(payment_id, f"paid at the center, {state} at the kiosk")
            elif theirs is not None and theirs["status"] not in ("failed", "closed", "reversed"):
                lost(payment_id, f"left {theirs['status']} at the center")
            elif taken:
                lost(payment_id, "money taken for a payment that is not paid")
            continue
        verdict.paid += 1
        if theirs is None or theirs["status"] != "paid" or not theirs["written_off"]:
            status = theirs["status"] if theirs else "unknown"
            lost(payment_id, f"paid at the kiosk, {status} at the center")
            continue
        if not taken:
            lost(payment_id, "paid without the money taken")
        if mine["purpose"] == "arrears":
            account = mine["account_number"]
            missing = [p for p in json.loads(mine["periods"]) if (account, p) not in paid_bills]
            if missing:
                lost(payment_id, f"bills {missing} not written off")
        marker = mine["transaction_id"] or payment_id
        on_paper = [t for t in transcripts if marker in t]
        originals = [t for t in on_paper if "REPRINT" not in t]
        if len(originals) > 1:
            double(f"{len(originals)} original receipts for {payment_id[:12]}")
        if mine["receipt_status"] == "waiting_for_reprint":
            verdict.kept_for_reprint += 1
        elif not on_paper:
            lost(payment_id, f"receipt {mine['receipt_status']} and not on paper")

    for payment_id, theirs in center.items():
        if payment_id not in kiosk and (theirs["status"] == "paid" or theirs["written_off"]):
            lost(payment_id, "paid at the center for a payment the kiosk never made")

    covered: Counter[tuple[str, str]] = Counter()
    credited: Counter[str] = Counter()
    for theirs in center.values():
        if theirs["written_off"]:
            for period in json.loads(theirs["written_off_periods"] or "[]"):
                covered[(theirs["account_number"], period)] += 1
            credited[theirs["account_number"]] += Decimal(theirs["credited"] or "0")
    for (account, period), times in covered.items():
        if times > 1:
            double(f"bill {account} {period} written off {times} times")
    if balances_before is not None:
        for account, now in balances(center_db).items():
            expected = balances_before.get(account, Decimal("0")) + credited[account]
            if now > expected:
                double(f"balance of {account} is {now}, paid prepayments make {expected}")
            elif now < expected:
                lost(account, f"balance is {now}, paid prepayments make {expected}")
    # A bill still claimed by a payment that has ended could never be paid again: lost too.
    for claim in _rows(
        center_db,
        "SELECT c.account_number, c.period, p.status FROM bill_claims c "
        "LEFT JOIN payments p ON p.id = c.payment_id",
    ):
        if claim["status"] in (None, "paid", "failed", "reversed", "closed"):
            lost(
                claim["account_number"],
                f"bill {claim['period']} held by a {claim['status']} payment",
            )
    return verdict
