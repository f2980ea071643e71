"""E-invoices (fully digital, 数电票) issued by the center when a payment is paid.

The number is 20 digits: two of the year, two of the province (32, Jiangsu), then a sequence
the database hands out, so no two invoices ever share one. A refund is not a voided invoice
but a red-letter note against it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from center.database import InvoiceRow, PaymentRow, as_utc
from sync.protocol import Invoice

PROVINCE = "32"
INVOICE_SITE = "https://einvoice.js.sgcc.local/i/"


def issue_invoice(session: Session, payment: PaymentRow, now: dt.datetime) -> Invoice:
    """The payment's invoice, issued now unless it already has one."""
    existing = invoice_of(session, payment.id)
    if existing is not None:
        return existing
    row = InvoiceRow(
        payment_id=payment.id,
        merchant_id=payment.merchant_id or "",
        amount=payment.amount,
        issued_at=now,
    )
    session.add(row)
    session.flush()  # the sequence comes from the row's id
    row.number = f"{now:%y}{PROVINCE}{row.id:016d}"
    row.url = INVOICE_SITE + row.number
    return _invoice(row)


def invoice_of(session: Session, payment_id: str) -> Invoice | None:
    row = session.scalar(select(InvoiceRow).where(InvoiceRow.payment_id == payment_id))
    return _invoice(row) if row is not None else None


def add_red_letter_note(session: Session, payment_id: str, now: dt.datetime) -> None:
    """The payment was refunded: its invoice is cancelled out, once."""
    row = session.scalar(select(InvoiceRow).where(InvoiceRow.payment_id == payment_id))
    if row is not None and row.red_letter_at is None:
        row.red_letter_at = now


def _invoice(row: InvoiceRow) -> Invoice:
    return Invoice(number=row.number or "", url=row.url or "", issued_at=as_utc(row.issued_at))
