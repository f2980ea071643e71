"""The write-ahead payment journal: every state of every payment, committed before it is acted on.

Each `record` rewrites the payment's row, and the unit of work writes the events the payment
recorded (one `payment.<state>` each) to the outbox in the same transaction (synchronous=FULL),
so after a power cut the journal and the queue agree and the kiosk resumes from the last
committed state. A payment code is never written here. The center's receipt facts are kept as
their JSON in the row and come back as `ReceiptFacts`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.dialects.sqlite import insert

from kiosk.domain.payment import (
    SETTLED,
    Method,
    Payment,
    PaymentRecord,
    PaymentState,
    Purpose,
    ReceiptStatus,
)
from kiosk.store.tables import payments
from kiosk.store.unit_of_work import UnitOfWork
from sync.protocol import ReceiptFacts
from sync.protocol.events import (
    ReceiptEvent,
    ReceiptPrinted,
    ReceiptPrinting,
    ReceiptWaitingForReprint,
)

# The payment's facts, each a column; its pending events go to the outbox, not to the row.
_PAYMENT_FIELDS = tuple(
    field.name for field in dataclasses.fields(Payment) if field.name != "events"
)
_RECEIPT_EVENTS: dict[ReceiptStatus, type[ReceiptEvent]] = {
    ReceiptStatus.PRINTING: ReceiptPrinting,
    ReceiptStatus.PRINTED: ReceiptPrinted,
    ReceiptStatus.WAITING_FOR_REPRINT: ReceiptWaitingForReprint,
}
Record = PaymentRecord[ReceiptFacts]


class PaymentJournal:
    def __init__(self, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._unit_of_work = unit_of_work

    def record(
        self,
        payment: Payment,
        *,
        invoice_number: str | None = None,
        invoice_url: str | None = None,
        receipt: ReceiptFacts | None = None,
    ) -> None:
        """Commit this state of the payment and queue its events, in one transaction."""
        row = _row_of(payment)
        extras = {
            key: value
            for key, value in (
                ("invoice_number", invoice_number),
                ("invoice_url", invoice_url),
                ("receipt", None if receipt is None else receipt.model_dump_json()),
            )
            if value is not None
        }
        with self._unit_of_work() as uow:
            statement = insert(payments).values(
                **row, **extras, receipt_status=ReceiptStatus.NONE.value, receipt_prints=0
            )
            uow.connection.execute(
                statement.on_conflict_do_update(index_elements=["id"], set_={**row, **extras})
            )
            uow.track(payment)
            uow.commit()

    def set_receipt_status(
        self, payment_id: str, status: ReceiptStatus, *, printed: bool = False
    ) -> None:
        """Commit where the payment's receipt stands; `printed` counts one more print."""
        status = ReceiptStatus(status)
        with self._unit_of_work() as uow:
            changes: dict[str, Any] = {"receipt_status": status.value}
            if printed:
                changes["receipt_prints"] = payments.c.receipt_prints + 1
            uow.connection.execute(
                update(payments).where(payments.c.id == payment_id).values(**changes)
            )
            uow.outbox.add(_RECEIPT_EVENTS[status](payment_id=payment_id), aggregate_id=payment_id)
            uow.commit()

    def get(self, payment_id: str) -> Record | None:
        with self._unit_of_work() as uow:
            row = uow.connection.execute(
                select(payments).where(payments.c.id == payment_id)
            ).one_or_none()
        return None if row is None else _entry_of(row)

    def unfinished(self) -> list[Record]:
        """Payments not settled yet, oldest first: the ones a restart must resume."""
        return self._select(payments.c.state.not_in([s.value for s in SETTLED]))

    def receipts_unprinted(self) -> list[Record]:
        """Paid payments whose receipt was never printed or was being printed at a crash."""
        return self._select(
            (payments.c.state == PaymentState.PAID.value)
            & payments.c.receipt_status.in_(
                [ReceiptStatus.NONE.value, ReceiptStatus.PRINTING.value]
            )
        )

    def waiting_for_reprint(self) -> list[Record]:
        """Paid payments whose receipt the printer failed: kept to be printed here later."""
        return self._select(
            (payments.c.state == PaymentState.PAID.value)
            & (payments.c.receipt_status == ReceiptStatus.WAITING_FOR_REPRINT.value)
        )

    def paid_for(self, account_number: str, limit: int = 10) -> list[Record]:
        """This kiosk's paid payments of an account, newest first."""
        with self._unit_of_work() as uow:
            rows = uow.connection.execute(
                select(payments)
                .where(
                    (payments.c.account_number == account_number)
                    & (payments.c.state == PaymentState.PAID.value)
                )
                .order_by(payments.c.paid_at.desc())
                .limit(limit)
            ).all()
        return [_entry_of(row) for row in rows]

    def _select(self, condition: Any) -> list[Record]:
        with self._unit_of_work() as uow:
            rows = uow.connection.execute(
                select(payments).where(condition).order_by(payments.c.created_at)
            ).all()
        return [_entry_of(row) for row in rows]


def _row_of(payment: Payment) -> dict[str, Any]:
    row = {name: getattr(payment, name) for name in _PAYMENT_FIELDS}
    row["amount"] = str(payment.amount)
    row["periods"] = json.dumps(list(payment.periods))
    row["purpose"] = payment.purpose.value
    row["method"] = payment.method.value
    row["state"] = payment.state.value
    return row


def _entry_of(row: Row[Any]) -> Record:
    values = row._mapping
    fields = {name: values[name] for name in _PAYMENT_FIELDS}
    fields["amount"] = Decimal(values["amount"])
    fields["periods"] = tuple(json.loads(values["periods"]))
    fields["purpose"] = Purpose(values["purpose"])
    fields["method"] = Method(values["method"])
    fields["state"] = PaymentState(values["state"])
    receipt = values["receipt"]
    return PaymentRecord(
        payment=Payment(**fields),
        invoice_number=values["invoice_number"],
        invoice_url=values["invoice_url"],
        receipt=None if receipt is None else ReceiptFacts.model_validate_json(receipt),
        receipt_status=ReceiptStatus(values["receipt_status"]),
        receipt_prints=values["receipt_prints"],
    )
