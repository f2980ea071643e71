"""Schemas of protocol v1 (JSON over HTTP), shared by the kiosk's client and the center.

Money travels as decimal strings ("123.45", yuan) so no float ever touches it.
Names and addresses travel masked: the kiosk never needs them in full to show a bill.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

PROTOCOL_VERSION = "1"

# Yuan with two decimals, serialised as a string.
Money = Annotated[
    Decimal, Field(max_digits=14, decimal_places=2), PlainSerializer(str, return_type=str)
]
Quantity = Annotated[
    Decimal, Field(max_digits=14, decimal_places=2), PlainSerializer(str, return_type=str)
]
Price = Annotated[
    Decimal, Field(max_digits=10, decimal_places=4), PlainSerializer(str, return_type=str)
]
AccountNumber = Annotated[str, Field(pattern=r"^[0-9]{8,13}$")]
Period = Annotated[str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Utility(StrEnum):
    ELECTRICITY = "electricity"
    WATER = "water"
    GAS = "gas"


class AccountSummary(_Message):
    """One account as listed for an ID number's owner to choose from."""

    number: AccountNumber
    utility: Utility
    holder_name_masked: str
    address_masked: str


class AccountList(_Message):
    accounts: list[AccountSummary]


class IdNumberQuery(_Message):
    """Sent in a POST body, never in a URL, so it cannot land in an access log."""

    id_number: Annotated[str, Field(pattern=r"^[0-9]{17}[0-9X]$")]


class TierCharge(_Message):
    tier: Annotated[int, Field(ge=1, le=3)]
    quantity: Quantity
    unit_price: Price
    amount: Money


class BillLine(_Message):
    """One billing period: meter readings, consumption by tier, and what it cost."""

    period: Period
    previous_reading: Quantity
    current_reading: Quantity
    multiplier: Annotated[int, Field(ge=1)]
    quantity: Quantity
    tiers: list[TierCharge]
    amount: Money
    due_date: dt.date
    paid: bool


class UnpaidBill(_Message):
    period: Period
    amount: Money
    due_date: dt.date
    days_overdue: Annotated[int, Field(ge=0)]
    late_fee: Money


class UsageMonth(_Message):
    period: Period
    quantity: Quantity
    amount: Money


class AccountBill(_Message):
    """What the kiosk shows for one account: owed now, the current period, 24 months of usage."""

    account: AccountSummary
    unit: Literal["kWh", "m3"]
    as_of: dt.date
    arrears: Money
    late_fee: Money
    total_due: Money
    balance: Money
    unpaid: list[UnpaidBill]
    current: BillLine | None
    usage: list[UsageMonth]
    tier_prices: list[Price]
    tier_limits: list[Quantity]


class EventEnvelope(_Message):
    """One outbox event. `id` is the deduplication key at the center."""

    id: UUID
    type: Annotated[str, Field(min_length=1, max_length=80)]
    aggregate_type: Annotated[str, Field(min_length=1, max_length=40)]
    aggregate_id: Annotated[str, Field(min_length=1, max_length=80)]
    sequence: Annotated[int, Field(ge=0, lt=2**63)]  # a 64-bit column at both ends
    occurred_at: dt.datetime
    payload: dict[str, Any]


class EventBatch(_Message):
    kiosk_id: Annotated[str, Field(min_length=1, max_length=64)]
    events: Annotated[list[EventEnvelope], Field(min_length=1, max_length=500)]


class EventAck(_Message):
    id: UUID
    status: Literal["accepted", "duplicate", "rejected"]
    reason: str | None = None


class EventBatchResult(_Message):
    results: list[EventAck]


class ErrorDetail(_Message):
    code: str
    message: str


class ErrorBody(_Message):
    error: ErrorDetail
