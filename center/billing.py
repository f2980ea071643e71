"""Bills at the center: one period billed from meter readings, and an account's bill as the kiosk
sees it (what is owed today, the current period, 24 months of usage).

All pricing goes through the shared `rules` package, so kiosk and center compute tariffs one way.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from center.database import AccountRow, BillRow
from center.periods import due_date_of
from center.tariffs import tariff_of
from rules.late_fee import days_overdue, late_fee
from rules.masking import mask_address, mask_name
from rules.money import total, yuan
from rules.tariff import Tariff, amount_of, split_into_tiers
from sync.protocol import (
    AccountBill,
    AccountSummary,
    BillLine,
    TierCharge,
    UnpaidBill,
    UsageMonth,
    Utility,
)

USAGE_MONTHS = 24

# Province (or municipality), city, then district or county; each part short, so a street that
# happens to contain 市 (a market, 市场) is not taken for a city.
_DISTRICT_PREFIX = re.compile(
    r"^(?:.{1,7}?(?:省|自治区))?(?:.{1,7}?(?:市|州|盟))?(?:.{1,7}?(?:区|县|市|旗))?"
)


def make_bill(
    account_number: str,
    period: str,
    previous_reading: Decimal,
    current_reading: Decimal,
    multiplier: int,
    used_before_in_year: Decimal,
    tariff: Tariff,
    *,
    paid: bool = False,
) -> BillRow:
    """Bill one period from its two meter readings; the amount is the sum of the tier lines."""
    quantity = (current_reading - previous_reading) * multiplier
    charges = split_into_tiers(quantity, used_before_in_year, tariff)
    return BillRow(
        account_number=account_number,
        period=period,
        previous_reading=previous_reading,
        current_reading=current_reading,
        multiplier=multiplier,
        quantity=quantity,
        tiers=[
            {
                "tier": c.tier,
                "quantity": str(c.quantity),
                "unit_price": str(c.unit_price),
                "amount": str(c.amount),
            }
            for c in charges
        ],
        amount=amount_of(charges),
        due_date=due_date_of(period),
        paid=paid,
    )


def mask_address_to_district(address: str) -> str:
    """江苏省南京市玄武区孝陵卫街道… -> 江苏省南京市玄武区****."""
    prefix = _DISTRICT_PREFIX.match(address)
    keep = len(prefix.group()) if prefix and prefix.group() else 6
    return mask_address(address, keep=keep)


def account_summary(account: AccountRow) -> AccountSummary:
    return AccountSummary(
        number=account.number,
        utility=Utility(account.utility),
        holder_name_masked=mask_name(account.holder.name),
        address_masked=mask_address_to_district(account.address),
    )


def account_bill(session: Session, number: str, today: dt.date) -> AccountBill | None:
    """What the kiosk shows for an account on `today`, or None when there is no such account."""
    account = session.get(AccountRow, number)
    if account is None:
        return None
    bills = list(
        session.scalars(
            select(BillRow).where(BillRow.account_number == number).order_by(BillRow.period)
        )
    )
    unpaid = [
        UnpaidBill(
            period=bill.period,
            amount=bill.amount,
            due_date=bill.due_date,
            days_overdue=days_overdue(bill.due_date, today),
            late_fee=late_fee(bill.amount, bill.due_date, today, account.category),
        )
        for bill in bills
        if not bill.paid
    ]
    arrears = total([bill.amount for bill in unpaid])
    fees = total([bill.late_fee for bill in unpaid])
    tariff = tariff_of(account.tariff)
    return AccountBill(
        account=account_summary(account),
        unit=tariff.unit,
        as_of=today,
        arrears=arrears,
        late_fee=fees,
        total_due=yuan(arrears + fees),
        balance=yuan(account.balance),
        unpaid=unpaid,
        current=_bill_line(bills[-1]) if bills else None,
        usage=[
            UsageMonth(period=b.period, quantity=b.quantity, amount=b.amount)
            for b in bills[-USAGE_MONTHS:]
        ],
        tier_prices=list(tariff.prices),
        tier_limits=list(tariff.limits),
    )


def _bill_line(bill: BillRow) -> BillLine:
    return BillLine(
        period=bill.period,
        previous_reading=bill.previous_reading,
        current_reading=bill.current_reading,
        multiplier=bill.multiplier,
        quantity=bill.quantity,
        tiers=[TierCharge(**tier) for tier in bill.tiers],
        amount=bill.amount,
        due_date=bill.due_date,
        paid=bill.paid,
    )
