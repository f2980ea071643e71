"""What a resident can pay for a bill: all arrears, or a prepayment within the kiosk's limits.

Pure and quick: the UI thread may call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from kiosk.domain.payment import Purpose
from kiosk.services.payment_types import (
    PaymentLimits,
    PaymentProblem,
    PaymentRefused,
    PayOrder,
)


class _Account(Protocol):
    number: str


class _Unpaid(Protocol):
    period: str


class Bill(Protocol):
    """The parts of sync.protocol.AccountBill an order needs."""

    @property
    def account(self) -> _Account: ...

    @property
    def total_due(self) -> Decimal: ...

    @property
    def unpaid(self) -> Sequence[_Unpaid]: ...


def order_for_arrears(bill: Bill) -> PayOrder:
    """Every unpaid bill with its late fee to today, as the center computed it."""
    if bill.total_due <= 0 or not bill.unpaid:
        raise PaymentRefused(PaymentProblem.NOTHING_OWED)
    return PayOrder(
        account_number=bill.account.number,
        purpose=Purpose.ARREARS,
        amount=bill.total_due,
        periods=tuple(unpaid.period for unpaid in bill.unpaid),
    )


def order_for_prepay(bill: Bill, amount: Decimal, limits: PaymentLimits) -> PayOrder:
    return PayOrder(
        account_number=bill.account.number,
        purpose=Purpose.PREPAY,
        amount=limits.check_prepay(amount),
    )
