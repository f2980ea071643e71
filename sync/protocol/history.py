"""An account's history in protocol v1: its last payments made anywhere, VAT invoice requests
and the 24-month statement.

- GET /v1/accounts/{number}/payments -> PaymentHistory: the last 12 paid payments, at any
  kiosk, a counter or in an app (the center's payments table), each with its e-invoice.
- POST /v1/invoices/vat-requests (VatRequest) -> VatRequestAnswer; a second request for the
  same payment answers the first one (idempotent).
- GET /v1/accounts/{number}/statement -> Statement: 24 months billed, paid, the balance.
- GET /v1/invoices/titles/{tax_number} -> InvoiceTitle: the organisation's registered title,
  so the kiosk fills it from the tax number typed; 404 when no organisation has that number.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator

from sync.protocol.payments import Invoice, PaymentId, PaymentPurpose, ReceiptFacts, Wallet
from sync.protocol.schemas import AccountNumber, Money, Period, Quantity, Utility, _Message

INVOICE_TITLES_PATH = "/v1/invoices/titles"
LAST_PAYMENTS = 12
STATEMENT_MONTHS = 24


class Channel(StrEnum):
    KIOSK = "kiosk"
    COUNTER = "counter"  # a staffed counter (营业厅)
    APP = "app"  # the utility's app or a wallet's bill page


class PastPayment(_Message):
    payment_id: PaymentId
    channel: Channel
    place: str  # the kiosk or counter's id, or the app's name
    wallet: Wallet | None = None
    purpose: PaymentPurpose
    amount: Money
    transaction_id: str | None = None
    paid_at: dt.datetime
    invoice: Invoice | None = None
    receipt: ReceiptFacts | None = None  # masked already, for a reprint
    vat_requested: bool = False


class PaymentHistory(_Message):
    account_number: AccountNumber
    payments: list[PastPayment]  # newest first, at most LAST_PAYMENTS


class Delivery(StrEnum):
    PICK_UP = "pick_up"  # at a station's counter
    EMAIL = "email"


TaxNumber = Annotated[str, Field(pattern=r"^[0-9A-Z]{15,20}$")]


class InvoiceTitle(_Message):
    """An organisation's invoice title (发票抬头), as registered for its tax number."""

    tax_number: TaxNumber
    title: Annotated[str, Field(min_length=2, max_length=100)]


class VatRequest(_Message):
    """A VAT invoice (增值税专用发票) for a past payment, to an organisation's title."""

    payment_id: PaymentId
    title: Annotated[str, Field(min_length=2, max_length=100)]
    tax_number: TaxNumber
    delivery: Delivery
    station: Annotated[str | None, Field(max_length=40)] = None  # pick-up
    email: Annotated[str | None, Field(max_length=120, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] = (
        None
    )
    phone: Annotated[str, Field(pattern=r"^1[3-9][0-9]{9}$")]  # the SMS when it is ready

    @field_validator("title")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return value.strip()


class VatState(StrEnum):
    REQUESTED = "requested"
    READY = "ready"


class VatRequestAnswer(_Message):
    request_id: Annotated[str, Field(pattern=r"^VAT[0-9]{12}$")]
    payment_id: PaymentId
    state: VatState
    delivery: Delivery
    requested_at: dt.datetime
    ready_at: dt.datetime | None = None


class StatementMonth(_Message):
    period: Period
    quantity: Quantity
    billed: Money
    paid: Money  # paid in that month, anywhere (the center's payments)
    unpaid: bool  # this month's bill is still owed


class Statement(_Message):
    account_number: AccountNumber
    account_number_masked: str
    holder_name_masked: str
    utility: Utility
    unit: str
    as_of: dt.date
    months: list[StatementMonth]  # oldest first, at most STATEMENT_MONTHS
    total_billed: Money
    total_paid: Money
    owed: Money  # unpaid bills now (without late fees)
    prepaid: Money  # the account's balance now
