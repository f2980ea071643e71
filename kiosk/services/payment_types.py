"""What the screens and the payment use cases say to each other: orders, progress, problems.

Plain data, importable without the center client or the store, so a screen can be drawn before
the back end is up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from kiosk.domain.payment import Method, Outcome, PaymentState, Purpose, ReceiptStatus
from rules.money import yuan

__all__ = [
    "PayOrder",
    "PaymentLimits",
    "PaymentProblem",
    "PaymentProgress",
    "PaymentRefused",
    "Purpose",
    "ReceiptEntry",
    "ReceiptStatus",
]


class PaymentProblem(StrEnum):
    """Why a payment was refused before anything was sent (nothing taken, nothing to undo)."""

    NOT_A_PAYMENT_CODE = "not_a_payment_code"
    NOTHING_OWED = "nothing_owed"
    AMOUNT_TOO_SMALL = "amount_too_small"
    AMOUNT_TOO_LARGE = "amount_too_large"
    NOT_READY = "not_ready"  # the kiosk has not finished starting
    BUSY = "busy"  # another payment of this session is still being settled


class PaymentRefused(Exception):
    def __init__(self, problem: PaymentProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class PaymentLimits:
    """From config [payment]: what one payment at this kiosk may be."""

    prepay_min: Decimal = Decimal("10.00")
    prepay_max: Decimal = Decimal("5000.00")

    @classmethod
    def from_settings(cls, section: Any) -> PaymentLimits:
        """From config's [payment] (TOML numbers); money is Decimal from here on."""
        return cls(
            prepay_min=yuan(str(section.prepay_min)), prepay_max=yuan(str(section.prepay_max))
        )

    @property
    def allows_prepay(self) -> bool:
        """False when no amount is left (the center's range and this kiosk's do not meet)."""
        return self.prepay_min <= self.prepay_max

    def check_prepay(self, amount: Decimal) -> Decimal:
        amount = yuan(amount)
        if amount < self.prepay_min:
            raise PaymentRefused(PaymentProblem.AMOUNT_TOO_SMALL, f"below {self.prepay_min}")
        if amount > self.prepay_max:
            raise PaymentRefused(PaymentProblem.AMOUNT_TOO_LARGE, f"above {self.prepay_max}")
        return amount


@dataclass(frozen=True, slots=True)
class PayOrder:
    """What the resident chose to pay, before any wallet is involved."""

    account_number: str
    purpose: Purpose
    amount: Decimal
    periods: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PaymentProgress:
    """One payment as the screen shows it; sent again on every change until it is settled."""

    payment_id: str
    reference: str  # what the resident reads to staff: 3F2A-91C0-7B1D
    outcome: Outcome
    state: PaymentState
    method: Method
    wallet: str
    amount: Decimal
    waiting_for_resident: bool = False  # "confirm the payment on your phone"
    reason: str | None = None  # why declined / cancelled, a code the screen turns into words
    refunded: bool = False
    code_url: str | None = None  # native: the QR to show
    expires_at: dt.datetime | None = None
    transaction_id: str | None = None
    paid_at: dt.datetime | None = None
    invoice_number: str | None = None
    invoice_url: str | None = None
    receipt: ReceiptStatus = ReceiptStatus.NONE

    @property
    def settled(self) -> bool:
        return self.outcome in (Outcome.PAID, Outcome.DECLINED, Outcome.CANCELLED)

    @property
    def finished(self) -> bool:
        """Settled, and if paid its receipt printed or kept for reprint: nothing more to come."""
        if not self.settled:
            return False
        if self.outcome is Outcome.PAID:
            return self.receipt in (ReceiptStatus.PRINTED, ReceiptStatus.WAITING_FOR_REPRINT)
        return True


@dataclass(frozen=True, slots=True)
class PaymentLine:
    """A payment a technician may have to act on: not settled yet, or paid with its receipt
    not on paper. The reference and the amount only: no account, no payment code."""

    payment_id: str
    reference: str
    amount: Decimal
    state: str  # the payment's state (kiosk.domain.payment.PaymentState)
    receipt: ReceiptStatus
    since: dt.datetime


@dataclass(frozen=True, slots=True)
class ReceiptEntry:
    """A receipt this kiosk can print again for an account."""

    payment_id: str
    reference: str
    paid_at: dt.datetime
    amount: Decimal
    receipt: ReceiptStatus
