"""Demo payments made elsewhere: at a staffed counter and in the app, so an account's history
at a kiosk shows payments it did not take. Each paid bill of the listed accounts below gets one,
paid on the 10th of the month after its period, with its e-invoice and receipt facts."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from center.database import AccountRow, BillerRow, BillRow, PaymentRow
from center.invoices import issue_invoice
from center.payments import _receipt, _transaction_number
from center.periods import shift, year_month
from sync.protocol import PaymentMethod, PaymentPurpose, PaymentStatus, Wallet

# Which accounts, and where their payments were made (in turn, oldest first).
PAID_ELSEWHERE = {"3201000002": ("counter:NJ-GL-001", "app:网上国网", "app:网上国网")}


def add_payments_elsewhere(session: Session) -> None:
    for number, places in PAID_ELSEWHERE.items():
        account = session.get(AccountRow, number)
        if account is None:
            continue
        biller = session.scalar(select(BillerRow).where(BillerRow.utility == account.utility))
        bills = session.scalars(
            select(BillRow)
            .where(BillRow.account_number == number, BillRow.paid.is_(True))
            .order_by(BillRow.period)
        )
        for index, bill in enumerate(bills):
            year, month = year_month(shift(bill.period, 1))
            paid_at = dt.datetime(year, month, 10, 2, 30, tzinfo=dt.UTC)
            payment_id = hashlib.sha256(f"{number}/{bill.period}".encode()).hexdigest()[:32]
            row = PaymentRow(
                id=payment_id,
                kiosk_id=places[index % len(places)],
                account_number=number,
                utility=account.utility,
                merchant_id=biller.merchant_id if biller else None,
                purpose=PaymentPurpose.ARREARS.value,
                method=PaymentMethod.CODE.value,
                wallet=Wallet.ALIPAY.value if index % 2 else Wallet.WECHAT.value,
                amount=bill.amount,
                periods=[{"period": bill.period, "amount": str(bill.amount), "late_fee": "0.00"}],
                status=PaymentStatus.PAID.value,
                transaction_id=_transaction_number(payment_id, paid_at),
                paid_at=paid_at,
                created_at=paid_at,
                updated_at=paid_at,
                written_off=True,
                written_off_periods=[bill.period],
            )
            session.add(row)
            session.flush()
            row.receipt = _receipt(session, row, account).model_dump(mode="json")
            issue_invoice(session, row, paid_at)
