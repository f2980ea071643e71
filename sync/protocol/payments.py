"""Payments in protocol v1: what the kiosk asks of the center and what the center answers.

The kiosk never talks to a wallet: it sends the payment code (or asks for a native-pay QR) and
follows the center's answer. The center maps each wallet's own states onto `PaymentStatus`:

- `paid`: the money is taken and the bills are written off (SUCCESS, TRADE_SUCCESS).
- `paying`: the resident is confirming on the phone (USERPAYING, 10003, WAIT_BUYER_PAY).
- `waiting`: a native-pay QR not scanned yet (NOTPAY).
- `unknown`: nobody can tell yet (SYSTEMERROR, BANKERROR, 20000, PAYERROR): query, then reverse.
- `failed`: definitely not paid, nothing taken (40004, NOTENOUGH, a used code...).
- `reversed`: it was paid and the money went back (REVOKED, REFUND, cancel action=refund).
- `closed`: it was never paid and now cannot be (CLOSED, cancel action=close).

Every request about one payment carries its id, made at the kiosk before anything is sent, as
the `Idempotency-Key` header: the same key and body get the same answer, even an error.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from sync.protocol.schemas import (
    AccountNumber,
    Money,
    Period,
    Quantity,
    TierCharge,
    Utility,
    _Message,
)

# 32 lowercase hex digits: a uuid4 without dashes; fits a wallet's out_trade_no (32 chars max).
PaymentId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
# A payment code as shown by a wallet app: digits only (formats checked by the kiosk's domain).
PaymentCode = Annotated[str, Field(pattern=r"^[0-9]{16,24}$")]


class Wallet(StrEnum):
    WECHAT = "wechat"
    ALIPAY = "alipay"
    UNIONPAY = "unionpay"


class PaymentMethod(StrEnum):
    CODE = "code"  # the resident shows a payment code to the scanner (micropay)
    NATIVE = "native"  # the kiosk shows a QR, the resident scans it with the wallet app


class PaymentPurpose(StrEnum):
    ARREARS = "arrears"  # pays the listed unpaid bills with their late fees to today
    PREPAY = "prepay"  # adds to the account's balance (无卡购电)


class PaymentStatus(StrEnum):
    PAID = "paid"
    PAYING = "paying"
    WAITING = "waiting"
    UNKNOWN = "unknown"
    FAILED = "failed"
    REVERSED = "reversed"
    CLOSED = "closed"


class PaymentRequest(_Message):
    """POST /v1/payments, with the payment's id as the Idempotency-Key header.

    For arrears, `periods` are the unpaid bills being paid and `amount` must equal their amounts
    plus late fees as of the center's today; otherwise the center answers 409 amount_changed.
    """

    account_number: AccountNumber
    purpose: PaymentPurpose
    amount: Annotated[Money, Field(gt=0)]
    periods: Annotated[list[Period], Field(max_length=120, default_factory=list)]
    method: PaymentMethod
    wallet: Wallet
    payment_code: PaymentCode | None = None  # method "code" only; never logged, never stored


class Invoice(_Message):
    """A fully digital e-invoice (数电票): no paper original, the receipt carries its QR."""

    number: Annotated[str, Field(pattern=r"^[0-9]{20}$")]
    url: Annotated[str, Field(min_length=8, max_length=300)]
    issued_at: dt.datetime


class ReceiptPeriod(_Message):
    period: Period
    quantity: Quantity
    tiers: list[TierCharge]
    amount: Money
    late_fee: Money


class ReceiptFacts(_Message):
    """What the payment receipt (缴费凭证) prints, as the center recorded it. Masked already.

    Only what this payment did: `periods` are the bills it wrote off; money that went to the
    balance instead (a prepayment, or a bill found paid another way) is `to_balance`."""

    account_number_masked: str
    holder_name_masked: str
    utility: Utility
    unit: str
    purpose: PaymentPurpose
    periods: list[ReceiptPeriod]
    amount: Money  # arrears: the written-off bills without late fee; prepay: the prepayment
    late_fee: Money
    to_balance: Money = Decimal("0.00")
    total: Money  # what the resident paid
    balance_after: Money


class PaymentAnswer(_Message):
    """The center's view of one payment: the answer to create, query, reverse and close."""

    payment_id: PaymentId
    status: PaymentStatus
    # Why, as a code the kiosk turns into plain words: insufficient_funds, code_used,
    # code_expired, code_invalid, wallet_refused, payerror, not_found, ...
    reason: str | None = None
    recall: bool = False  # a reverse that must be called again (WeChat recall=Y)
    refunded: bool = False  # with `reversed`: the money went back to the resident
    wallet: Wallet
    method: PaymentMethod
    amount: Money
    transaction_id: str | None = None  # the center's transaction number, printed on the receipt
    paid_at: dt.datetime | None = None
    code_url: str | None = None  # native: the QR to show
    expires_at: dt.datetime | None = None  # native: when the QR stops working
    invoice: Invoice | None = None
    receipt: ReceiptFacts | None = None  # when paid
