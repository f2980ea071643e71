"""Papers of an account's history, in the receipt's style (kiosk/services/receipt.py): a
reprint of a past payment made anywhere, saying it is a reprint and where it was paid, and the
24-month statement. Pure: facts in, a PrintJob out; only masked personal data is printed."""

from __future__ import annotations

import datetime as dt

from drivers.contracts import Align, PrintJob, TextLine
from kiosk.services.receipt import (
    _closing,
    _heading,
    _masked_account,
    _masked_name,
    _wide_enough,
    local_time,
    money,
    pair,
    receipt_job,
    table_row,
)
from rules.utility_words import utility_words
from sync.protocol import Channel, PastPayment, Statement

PLACES = {
    Channel.KIOSK: "自助终端 Kiosk",
    Channel.COUNTER: "营业厅柜台 Counter",
    Channel.APP: "手机应用 App",
}
# Month, quantity, billed, paid: right-aligned to these edges.
_STATEMENT_WIDTHS = {32: (8, 7, 8, 9), 48: (10, 12, 13, 13)}


def reprint_job(
    payment: PastPayment,
    *,
    kiosk_id: str,
    station_name: str,
    at: dt.datetime,
    paper_width_chars: int = 32,
) -> PrintJob:
    """The receipt of a past payment again, marked as a reprint with where it was paid."""
    if payment.receipt is None:
        raise ValueError("the center kept no receipt for this payment")
    width = _wide_enough(paper_width_chars, "a receipt")
    original = receipt_job(
        payment.receipt,
        payment_id=payment.payment_id,
        reference=payment.payment_id[:8].upper(),
        wallet=payment.wallet.value if payment.wallet else "",
        transaction_id=payment.transaction_id or "",
        paid_at=payment.paid_at,
        invoice=payment.invoice,
        kiosk_id=kiosk_id,
        station_name=station_name,
        paper_width_chars=width,
    )
    marks = [
        TextLine("** 补打 REPRINT **", bold=True, align=Align.CENTER),
        *(TextLine(line) for line in pair("缴费地点 Paid at", PLACES[payment.channel], width)),
        TextLine(payment.place, align=Align.RIGHT),
        *(TextLine(line) for line in pair("补打 Reprinted", local_time(at), width)),
    ]
    lines = list(original.lines)
    return PrintJob((*lines[:2], *marks, *lines[2:]))


def statement_job(
    statement: Statement,
    *,
    kiosk_id: str,
    station_name: str,
    paper_width_chars: int = 32,
) -> PrintJob:
    """Month by month: the quantity, what was billed and what was paid; then the totals."""
    width = _wide_enough(paper_width_chars, "a statement")
    widths = _STATEMENT_WIDTHS[32 if width < 48 else 48]
    name = utility_words(statement.utility).name
    lines: list[TextLine] = [
        *_heading("缴费对账单", "Statement, 24 months", station_name, kiosk_id, width),
        *(
            TextLine(x)
            for x in pair("户号 Account", _masked_account(statement.account_number_masked), width)
        ),
        *(
            TextLine(x)
            for x in pair("户名 Name", _masked_name(statement.holder_name_masked), width)
        ),
        *(TextLine(x) for x in pair("类别 Utility", f"{name.zh} {name.en}", width)),
        TextLine("-" * width),
        *(
            TextLine(x, bold=True)
            for x in table_row(("月份", statement.unit, "应缴", "已缴"), widths, width)
        ),
    ]
    for month in statement.months:
        cells = (
            month.period + ("*" if month.unpaid else ""),
            f"{month.quantity:.0f}",
            f"{month.billed:.2f}",
            f"{month.paid:.2f}",
        )
        lines += [TextLine(x) for x in table_row(cells, widths, width)]
    lines += [
        TextLine("-" * width),
        *(TextLine(x) for x in pair("合计应缴 Billed", money(statement.total_billed), width)),
        *(TextLine(x) for x in pair("合计已缴 Paid", money(statement.total_paid), width)),
        *(TextLine(x) for x in pair("欠费 Owed", money(statement.owed), width)),
        *(TextLine(x) for x in pair("余额 Balance", money(statement.prepaid), width)),
        *(TextLine(x) for x in pair("截至 As of", f"{statement.as_of:%Y-%m-%d}", width)),
        TextLine("* 未缴 unpaid"),
    ]
    return PrintJob((*lines, *_closing("请妥善保管本对账单", "Please keep this statement", width)))
