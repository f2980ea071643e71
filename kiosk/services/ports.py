"""What the use cases need from the outside world, as contracts.

The center client (`sync.client.CenterClient`) and the local store (`kiosk.store.Store`) satisfy
these; the composition root hands in the real ones.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Protocol, Self

from drivers.contracts import PrintJob
from kiosk.domain.payment import Payment, PaymentRecord, ReceiptStatus
from kiosk.services.receipt_printing import PrintProblem, PrintResult
from rules.audit_chain import AuditEntry
from sync.protocol import (
    AccountBill,
    AccountSummary,
    PaymentAnswer,
    PaymentRequest,
    ReceiptFacts,
)
from sync.protocol.events import EventPayload

# A payment as the journal keeps it, with the center's receipt facts typed.
Record = PaymentRecord[ReceiptFacts]


class Center(Protocol):
    def account_bill(self, number: str) -> AccountBill: ...

    def accounts_for_id_number(self, id_number: str) -> list[AccountSummary]: ...


class PaymentCenter(Protocol):
    """The center's payments (sync.client.CenterClient): each call one request, each answer
    a PaymentAnswer or a sync.protocol.errors.CenterError raised."""

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
        receipt: ReceiptFacts | None = None,
    ) -> None:
        """Commit this state of the payment, and the events it recorded, in one transaction."""

    def set_receipt_status(
        self, payment_id: str, status: ReceiptStatus, *, printed: bool = False
    ) -> None: ...

    def get(self, payment_id: str) -> Record | None: ...

    def unfinished(self) -> list[Record]: ...

    def receipts_unprinted(self) -> list[Record]: ...

    def waiting_for_reprint(self) -> list[Record]: ...

    def paid_for(self, account_number: str, limit: int = 10) -> list[Record]: ...


class ReceiptPrintingPort(Protocol):
    """Prints one receipt and says whether it came out (kiosk.services.receipt_printing)."""

    def print(self, job: PrintJob) -> PrintResult: ...

    def problem_now(self) -> PrintProblem | None: ...


class Joinable(Protocol):
    def join(self, timeout: float | None = None) -> None: ...


class Runner(Protocol):
    """Where a service runs long work and lets time pass: threads and a condition's wait in
    the kiosk (kiosk.services.paying.ThreadRunner), inline on a manual clock in unit tests."""

    def start(self, name: str, work: Callable[[], None]) -> Joinable:
        """Run `work` (in the background, in the kiosk); something to join on the way out."""

    def wait(self, condition: threading.Condition, seconds: float) -> None:
        """Let up to `seconds` pass, holding `condition`; a notify on it may end it sooner."""


class Outbox(Protocol):
    """Queues an event (a sync.protocol.events payload) in the unit of work's transaction."""

    def add(
        self,
        event: EventPayload,
        *,
        aggregate_type: str | None = None,
        aggregate_id: str | None = None,
        occurred_at: dt.datetime | None = None,
        personal: Iterable[str] = (),
    ) -> uuid.UUID:
        """`personal` names the fields sealed while the event waits (a phone number)."""


class QueuedApplication(Protocol):
    @property
    def number(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def submitted_at(self) -> dt.datetime: ...


class UnitOfWork(Protocol):
    """One transaction: business rows and the events that report them commit together."""

    @property
    def outbox(self) -> Outbox: ...

    def waiting_applications(self, id_number: str | None = None) -> Sequence[QueuedApplication]:
        """Applications made here that the center has not acknowledged yet (their number,
        kind and when); those of `id_number` only, when given."""

    def last_audit_entry(self) -> AuditEntry | None:
        """The audit trail's last entry, read holding the write lock: nothing can be appended
        between this and `append_audit_entry` in the same unit."""

    def append_audit_entry(self, entry: AuditEntry) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
