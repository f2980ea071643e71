"""Schemas of protocol v1 (JSON over HTTP), shared by the kiosk's client and the center.

Money travels in one canonical form, a decimal string of yuan with exactly two places
("123.45", "0.50", "-3.00"): no float ever touches it, and nothing else is money on the wire
(not 123.45 as a number, not "1e2", "１００.００", "1_0.00" or "100").
Names and addresses travel masked: the kiosk never needs them in full to show a bill.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

PROTOCOL_VERSION = "1"

CANONICAL_MONEY = re.compile(r"-?(0|[1-9][0-9]{0,11})\.[0-9]{2}")
CENT = Decimal("0.01")


def _money_in(value: object) -> object:
    """A canonical money string, or a Decimal made by our own code; nothing else."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and CANONICAL_MONEY.fullmatch(value) and value != "-0.00":
        return Decimal(value)
    raise ValueError('money is a string of yuan with two decimal places, such as "123.45"')


def money_text(value: Decimal) -> str:
    """The canonical form of an amount: "123.45"."""
    return format(value.quantize(CENT) + 0, "f")  # + 0 turns -0.00 into 0.00


# Yuan with two decimals, serialised in the canonical form.
Money = Annotated[
    Decimal,
    BeforeValidator(_money_in),
    Field(max_digits=14, decimal_places=2),
    PlainSerializer(money_text, return_type=str),
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
