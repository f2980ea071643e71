"""An account's history at the center: its last payments made anywhere, VAT invoice requests
and the 24-month statement (protocol: sync/protocol/history.py).

A payment's channel is read from who made it: a kiosk's id, `counter:<station>` for a staffed
counter, `app:<name>` for an app; all share the payments table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from center.billing import USAGE_MONTHS
from center.business.sms import queue_sms
from center.database import AccountRow, Base, BillRow, PaymentRow, as_utc, write_lock
from center.errors import Refusal
from center.invoices import invoice_of
from center.kiosk_auth import KIOSK_ONLY
from center.tariffs import tariff_of
from rules.masking import mask_digits, mask_name
from rules.money import total, yuan
from rules.tax_number import normalise, tax_number_problem
from sync.protocol import (
    Channel,
    Delivery,
    PastPayment,
    PaymentHistory,
    PaymentPurpose,
    PaymentStatus,
    ReceiptFacts,
    Statement,
    StatementMonth,
    Utility,
    VatRequest,
    VatRequestAnswer,
    VatState,
    Wallet,
)
from sync.protocol.history import LAST_PAYMENTS

ACCOUNT = Annotated[str, Path(pattern=r"^[0-9]{8,13}$")]


class VatRequestRow(Base):
    """A resident's request for a VAT invoice: one per payment. The title and tax number are an
    organisation's, not personal; the phone is kept only until the SMS is queued."""

    __tablename__ = "vat_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), unique=True)
    account_number: Mapped[str] = mapped_column(String(13), index=True)
    title: Mapped[str] = mapped_column(String(100))
    tax_number: Mapped[str] = mapped_column(String(20))
    delivery: Mapped[str] = mapped_column(String(8))
    station: Mapped[str | None] = mapped_column(String(40), nullable=True)
    email: Mapped[str | None] = mapped_column(String(120), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(16), nullable=True)
    state: Mapped[str] = mapped_column(String(10), index=True)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ready_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


def channel_of(made_by: str) -> tuple[Channel, str]:
    kind, _, place = made_by.partition(":")
    if place and kind in (Channel.COUNTER, Channel.APP):
        return Channel(kind), place
    return Channel.KIOSK, made_by


def payment_history(session: Session, number: str) -> PaymentHistory | None:
    """The account's last 12 paid payments, newest first, or None when there is no account."""
    if session.get(AccountRow, number) is None:
        return None
    rows = session.scalars(
        select(PaymentRow)
        .where(
            PaymentRow.account_number == number,
            PaymentRow.status == PaymentStatus.PAID.value,
            PaymentRow.paid_at.is_not(None),
        )
        .order_by(PaymentRow.paid_at.desc(), PaymentRow.id)
        .limit(LAST_PAYMENTS)
    )
    requested = set(
        session.scalars(
            select(VatRequestRow.payment_id).where(VatRequestRow.account_number == number)
        )
    )
    payments = []
    for row in rows:
        channel, place = channel_of(row.kiosk_id)
        payments.append(
            PastPayment(
                payment_id=row.id,
                channel=channel,
                place=place,
                wallet=Wallet(row.wallet) if row.wallet in set(Wallet) else None,
                purpose=PaymentPurpose(row.purpose),
                amount=yuan(row.amount),
                transaction_id=row.transaction_id,
                paid_at=as_utc(row.paid_at or row.created_at),  # never None: filtered above
                invoice=invoice_of(session, row.id),
                receipt=ReceiptFacts.model_validate(row.receipt) if row.receipt else None,
                vat_requested=row.id in requested,
            )
        )
    return PaymentHistory(account_number=number, payments=payments)


def request_vat_invoice(
    session: Session, request: VatRequest, now: dt.datetime
) -> VatRequestAnswer:
    """Keep the request, or answer the one already kept for this payment. Call in a
    transaction that took the write lock, so two at once make one."""
    problem = tax_number_problem(request.tax_number)
    if problem is not None:
        raise Refusal(422, "invalid_tax_number", f"the tax number is wrong: {problem}")
    if request.delivery is Delivery.PICK_UP and not request.station:
        raise Refusal(422, "station_missing", "a pick-up needs a station")
    if request.delivery is Delivery.EMAIL and not request.email:
        raise Refusal(422, "email_missing", "an e-mail delivery needs an address")
    existing = session.scalar(
        select(VatRequestRow).where(VatRequestRow.payment_id == request.payment_id)
    )
    if existing is not None:
        return _answer(existing)
    payment = session.get(PaymentRow, request.payment_id)
    if payment is None or payment.status != PaymentStatus.PAID.value:
        raise Refusal(404, "payment_not_found", "no paid payment with that id")
    row = VatRequestRow(
        payment_id=payment.id,
        account_number=payment.account_number,
        title=request.title,
        tax_number=normalise(request.tax_number),
        delivery=request.delivery.value,
        station=request.station if request.delivery is Delivery.PICK_UP else None,
        email=request.email if request.delivery is Delivery.EMAIL else None,
        phone=request.phone,
        state=VatState.REQUESTED.value,
        requested_at=now,
    )
    session.add(row)
    session.flush()
    return _answer(row)


def mark_vat_ready(session: Session, request_id: str, now: dt.datetime) -> VatRequestAnswer:
    """The VAT invoice is made: the request is ready and an SMS is queued, once."""
    row = session.get(VatRequestRow, _row_id(request_id))
    if row is None:
        raise LookupError(request_id)
    if row.state != VatState.READY.value:
        row.state = VatState.READY.value
        row.ready_at = now
        if row.phone:
            queue_sms(session, row.phone, _ready_text(row), request_id, now)
            row.phone = None  # needed for nothing else
    return _answer(row)


def _ready_text(row: VatRequestRow) -> str:
    where = (
        f"请到 {row.station} 营业厅领取" if row.delivery == Delivery.PICK_UP else "已发送到您的邮箱"
    )
    return f"【国网】您申请的增值税发票（{request_id_of(row.id)}）已开具，{where}。"


def statement(session: Session, number: str, today: dt.date) -> Statement | None:
    """24 months billed and paid (payments made anywhere, in the month paid), and now."""
    account = session.get(AccountRow, number)
    if account is None:
        return None
    bills = list(
        session.scalars(
            select(BillRow).where(BillRow.account_number == number).order_by(BillRow.period)
        )
    )[-USAGE_MONTHS:]
    paid_by_month: dict[str, Decimal] = {}
    for payment in session.scalars(
        select(PaymentRow).where(
            PaymentRow.account_number == number,
            PaymentRow.status == PaymentStatus.PAID.value,
            PaymentRow.paid_at.is_not(None),
        )
    ):
        month = f"{payment.paid_at:%Y-%m}"
        paid_by_month[month] = paid_by_month.get(month, Decimal(0)) + payment.amount
    months = [
        StatementMonth(
            period=bill.period,
            quantity=bill.quantity,
            billed=yuan(bill.amount),
            paid=yuan(paid_by_month.get(bill.period, Decimal(0))),
            unpaid=not bill.paid,
        )
        for bill in bills
    ]
    return Statement(
        account_number=number,
        account_number_masked=mask_digits(number),
        holder_name_masked=mask_name(account.holder.name),
        utility=Utility(account.utility),
        unit=tariff_of(account.tariff).unit,
        as_of=today,
        months=months,
        total_billed=total([month.billed for month in months]),
        total_paid=total([month.paid for month in months]),
        owed=total([bill.amount for bill in bills if not bill.paid]),
        prepaid=yuan(account.balance),
    )


def request_id_of(row_id: int) -> str:
    return f"VAT{row_id:012d}"


def _row_id(request_id: str) -> int:
    if not (request_id.startswith("VAT") and request_id[3:].isdigit()):
        raise LookupError(request_id)
    return int(request_id[3:])


def _answer(row: VatRequestRow) -> VatRequestAnswer:
    return VatRequestAnswer(
        request_id=request_id_of(row.id),
        payment_id=row.payment_id,
        state=VatState(row.state),
        delivery=Delivery(row.delivery),
        requested_at=as_utc(row.requested_at),
        ready_at=as_utc(row.ready_at) if row.ready_at else None,
    )


def history_routes(
    sessions: sessionmaker[Session],
    today: Callable[[], dt.date],
    clock: Callable[[], dt.datetime],
) -> APIRouter:
    router = APIRouter()

    @router.get(
        "/v1/accounts/{number}/payments", response_model=PaymentHistory, dependencies=[KIOSK_ONLY]
    )
    def last_payments(number: ACCOUNT) -> PaymentHistory:
        with sessions() as session:
            history = payment_history(session, number)
        if history is None:
            raise Refusal(404, "account_not_found", f"no account {number}")
        return history

    @router.get(
        "/v1/accounts/{number}/statement", response_model=Statement, dependencies=[KIOSK_ONLY]
    )
    def account_statement(number: ACCOUNT) -> Statement:
        with sessions() as session:
            found = statement(session, number, today())
        if found is None:
            raise Refusal(404, "account_not_found", f"no account {number}")
        return found

    @router.post(
        "/v1/invoices/vat-requests", response_model=VatRequestAnswer, dependencies=[KIOSK_ONLY]
    )
    def vat_request(request: VatRequest) -> VatRequestAnswer:
        with sessions.begin() as session:
            write_lock(session)
            return request_vat_invoice(session, request, clock())

    return router
