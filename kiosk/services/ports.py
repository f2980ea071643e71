"""What the use cases need from the outside world, as contracts.

The center client (`sync.client.CenterClient`) and the local store (`kiosk.store.Store`) satisfy
these; the composition root hands in the real ones.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol, Self

from kiosk.domain.payment import Payment, PaymentRecord
from sync.protocol import AccountBill, AccountSummary, PaymentAnswer, PaymentRequest


class Center(Protocol):
    def account_bill(self, number: str) -> AccountBill: ...

    def accounts_for_id_number(self, id_number: str) -> list[AccountSummary]: ...


class PaymentCenter(Protocol):
    """The center's payments (sync.client.CenterClient): each call one request, each answer
    a PaymentAnswer or a sync.protocol.errors.CenterError."""

    def pay(self, payment_id: str, request: PaymentRequest) -> PaymentAnswer: ...

    def query_payment(self, payment_id: str) -> PaymentAnswer: ...

    def reverse_payment(self, payment_id: str) -> PaymentAnswer: ...

    def close_payment(self, payment_id: str) -> PaymentAnswer: ...


class PaymentJournal(Protocol):
    """The write-ahead payment journal (kiosk.store.payment_journal)."""

    def record(
        self,
        payment: Payment,
        *,
        invoice_number: str | None = None,
        invoice_url: str | None = None,
        receipt: str | None = None,
    ) -> None: ...

    def set_receipt_status(
        self, payment_id: str, status: str, *, printed: bool = False
    ) -> None: ...

    def get(self, payment_id: str) -> PaymentRecord | None: ...

    def unfinished(self) -> list[PaymentRecord]: ...

    def receipts_unprinted(self) -> list[PaymentRecord]: ...

    def paid_for(self, account_number: str, limit: int = 10) -> list[PaymentRecord]: ...


class Outbox(Protocol):
    def add(
        self, event: object, *, aggregate_type: str | None = None, aggregate_id: str | None = None
    ) -> uuid.UUID: ...


class UnitOfWork(Protocol):
    """One transaction: business rows and the events that report them commit together."""

    outbox: Outbox

    def __enter__(self) -> Self: ...

    def __exit__(self, *args: object) -> None: ...

    def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
