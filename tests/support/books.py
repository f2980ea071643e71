"""The center's books after a test: money taken exactly for what is paid, each bill written
off by one payment, no bill held by a payment that has ended.

Read from the center's database (SQLite or PostgreSQL) after the requests are answered:

- every simulated wallet order that holds money (charged, not refunded) belongs to a paid
  payment, and every paid payment holds money at its wallet;
- every bill period written off is written off by exactly one paid payment, and is paid;
- no bill is claimed by a payment that has settled, nor by one that does not exist.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from center.database import (
    BillClaimRow,
    BillRow,
    Database,
    PaymentRow,
    WalletOrderRow,
)
from center.history import channel_of
from sync.protocol import Channel

SETTLED = ("paid", "failed", "reversed", "closed")


def book_problems(database: Database) -> list[str]:
    """What is wrong with the books; empty when nothing is."""
    problems: list[str] = []
    with database.sessions() as session:
        payments = {row.id: row for row in session.scalars(select(PaymentRow))}
        orders = list(session.scalars(select(WalletOrderRow)))
        bills = {(b.account_number, b.period): b.paid for b in session.scalars(select(BillRow))}
        claims = list(session.scalars(select(BillClaimRow)))
    holding = {order.out_trade_no for order in orders if order.charged and not order.refunded}
    for payment_id in holding:
        payment = payments.get(payment_id)
        if payment is None or payment.status != "paid":
            status = payment.status if payment else "no payment"
            problems.append(f"money held for payment {payment_id[:12]} that is {status}")
    for payment in payments.values():
        if channel_of(payment.kiosk_id)[0] is not Channel.KIOSK:
            continue  # paid at a counter or in the app: that money is not in our wallets
        if payment.status == "paid" and payment.id not in holding:
            problems.append(f"payment {payment.id[:12]} is paid but no wallet holds its money")
    covered: Counter[tuple[str, str]] = Counter()
    for payment in payments.values():
        if payment.written_off:
            if payment.status != "paid":
                problems.append(f"payment {payment.id[:12]} written off but {payment.status}")
            for period in payment.written_off_periods:
                covered[(payment.account_number, period)] += 1
    for bill, times in covered.items():
        if times > 1:
            problems.append(f"bill {bill[0]} {bill[1]} written off by {times} payments")
    for bill, times in covered.items():
        if not bills.get(bill):
            problems.append(f"bill {bill[0]} {bill[1]} written off {times}x but not paid")
    for claim in claims:
        holder = payments.get(claim.payment_id)
        if holder is None or holder.status in SETTLED:
            status = holder.status if holder else "missing"
            problems.append(
                f"bill {claim.account_number} {claim.period} claimed by a {status} payment"
            )
    return problems
