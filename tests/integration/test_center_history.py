"""An account's history at the real center over HTTP: the last 12 payments made anywhere, VAT
invoice requests (validated, one per payment even when two arrive at once, an SMS when ready)
and the 24-month statement."""

from __future__ import annotations

import dataclasses
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import select

from center.business.tables import SmsRow
from center.database import BillRow, PaymentRow, open_database
from center.history import mark_vat_ready
from drivers.contracts import QrCode, TextLine
from kiosk.services.history import HistoryDesk, VatForm, VatFormProblem, VatFormRefused
from kiosk.services.history_paper import reprint_job, statement_job
from kiosk.services.problems import LookupFailed, LookupProblem
from kiosk.services.receipt import columns
from rules.tax_number import check_character, tax_number_problem
from sync.client import CenterClient
from sync.protocol import (
    CenterRejected,
    Channel,
    Delivery,
    ErrorBody,
    PaymentHistory,
    Statement,
    VatRequest,
    VatRequestAnswer,
)
from tests.support.center import DEMO_TODAY, TEST_KIOSK, kiosk_http, serve_center

HTTP = kiosk_http()
ACCOUNT = "3201000002"  # its bills were paid at a counter and in the app (center/demo_payments.py)
GOOD_TAX_NUMBER = "91350100M000100Y43"


@pytest.fixture(scope="module")
def center(tmp_path_factory):
    """A private center: its VAT requests and SMS are this module's."""
    db_file = tmp_path_factory.mktemp("center") / "center.db"
    with serve_center(f"sqlite:///{db_file}", today=DEMO_TODAY) as running:
        yield running


def history(center) -> PaymentHistory:
    answer = HTTP.get(f"{center.url}/v1/accounts/{ACCOUNT}/payments", timeout=5)
    assert answer.status_code == 200, answer.text
    return PaymentHistory.model_validate_json(answer.content)


def vat_body(payment_id: str, **fields) -> dict:
    return {
        "payment_id": payment_id,
        "title": "南京某某科技有限公司",
        "tax_number": GOOD_TAX_NUMBER,
        "delivery": "pick_up",
        "station": "NJ-GL-001",
        "phone": "13912345678",
        **fields,
    }


def test_the_last_12_payments_made_anywhere_newest_first_with_their_invoices(center):
    payments = history(center).payments
    with open_database(center.db_url).sessions() as session:
        paid = session.scalars(select(PaymentRow).where(PaymentRow.account_number == ACCOUNT)).all()
    assert len(paid) > 12
    newest = sorted(paid, key=lambda row: row.paid_at, reverse=True)[:12]
    assert [p.payment_id for p in payments] == [row.id for row in newest]
    assert {p.channel for p in payments} == {Channel.COUNTER, Channel.APP}
    assert all(p.invoice is not None and p.receipt is not None for p in payments)
    assert all("*" in p.receipt.holder_name_masked for p in payments if p.receipt)


def test_an_unknown_account_has_no_history(center):
    answer = HTTP.get(f"{center.url}/v1/accounts/3209999999/payments", timeout=5)
    assert answer.status_code == 404
    assert ErrorBody.model_validate_json(answer.content).error.code == "account_not_found"


def test_tax_numbers_follow_gb_32100():
    assert check_character("91350100M000100Y4") == "3"
    assert tax_number_problem("91350100m000100y43") is None  # typed in small letters
    assert tax_number_problem("91350100M000100Y44") == "check"
    assert tax_number_problem("91350100M000100I43") == "characters"
    assert tax_number_problem("12345") == "length"
    assert tax_number_problem("320106123456789") is None  # a 15-character legacy number


def test_a_wrong_tax_number_is_refused_with_its_reason(center):
    payment = history(center).payments[5]
    answer = HTTP.post(
        f"{center.url}/v1/invoices/vat-requests",
        json=vat_body(payment.payment_id, tax_number="91350100M000100Y44"),
        timeout=5,
    )
    assert answer.status_code == 422
    assert ErrorBody.model_validate_json(answer.content).error.code == "invalid_tax_number"
    missing = HTTP.post(
        f"{center.url}/v1/invoices/vat-requests",
        json=vat_body(payment.payment_id, delivery="email"),
        timeout=5,
    )
    assert ErrorBody.model_validate_json(missing.content).error.code == "email_missing"
    assert not history(center).payments[5].vat_requested


def test_two_requests_at_once_make_one_and_its_sms_is_queued_when_ready(center):
    payment = history(center).payments[0]
    url = f"{center.url}/v1/invoices/vat-requests"
    with ThreadPoolExecutor(4) as pool:
        answers = list(
            pool.map(
                lambda _: HTTP.post(url, json=vat_body(payment.payment_id), timeout=10), range(4)
            )
        )
    assert [a.status_code for a in answers] == [200] * 4
    kept = {VatRequestAnswer.model_validate_json(a.content).request_id for a in answers}
    assert len(kept) == 1
    assert history(center).payments[0].vat_requested
    request_id = kept.pop()
    database = open_database(center.db_url)
    with database.sessions.begin() as session:
        ready = mark_vat_ready(session, request_id, dt.datetime.now(dt.UTC))
    with database.sessions.begin() as session:
        mark_vat_ready(session, request_id, dt.datetime.now(dt.UTC))  # once only
    with database.sessions() as session:
        sms = session.scalars(select(SmsRow).where(SmsRow.about == request_id)).all()
    assert ready.state == "ready"
    assert len(sms) == 1 and sms[0].phone == "13912345678" and "NJ-GL-001" in sms[0].text
    again = HTTP.post(url, json=vat_body(payment.payment_id), timeout=5)
    assert VatRequestAnswer.model_validate_json(again.content).state == "ready"


def test_the_statement_sums_24_months(center):
    answer = HTTP.get(f"{center.url}/v1/accounts/{ACCOUNT}/statement", timeout=5)
    assert answer.status_code == 200, answer.text
    found = Statement.model_validate_json(answer.content)
    with open_database(center.db_url).sessions() as session:
        bills = session.scalars(
            select(BillRow).where(BillRow.account_number == ACCOUNT).order_by(BillRow.period)
        ).all()
    assert len(found.months) == 24
    assert [m.period for m in found.months] == [b.period for b in bills][-24:]
    assert found.total_billed == sum((b.amount for b in bills[-24:]), Decimal(0))
    assert found.total_paid == sum((m.paid for m in found.months), Decimal(0))
    assert found.total_paid > 0
    assert found.owed == sum((b.amount for b in bills if not b.paid), Decimal(0))
    assert found.holder_name_masked.count("*") >= 1


@pytest.mark.parametrize("width", [32, 48])
def test_a_payment_made_at_a_counter_reprints_as_a_reprint_saying_where(center, width):
    with CenterClient(center.url, TEST_KIOSK) as client:
        payments = client.last_payments(ACCOUNT).payments
    counter = next(p for p in payments if p.channel is Channel.COUNTER)
    job = reprint_job(
        counter,
        kiosk_id="K-1",
        station_name="鼓楼营业厅",
        at=dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC),
        paper_width_chars=width,
    )
    text = paper_text(job)
    assert "补打 REPRINT" in text
    assert "营业厅柜台 Counter" in text and "NJ-GL-001" in text
    assert counter.transaction_id and counter.transaction_id in text
    assert counter.invoice and any(
        isinstance(line, QrCode) and line.data == counter.invoice.url for line in job.lines
    )
    assert ACCOUNT not in text  # masked
    assert all(columns(line.text) <= width for line in job.lines if isinstance(line, TextLine))


@pytest.mark.parametrize("width", [32, 48])
def test_the_statement_prints_24_months_and_the_totals_on_both_papers(center, width):
    with CenterClient(center.url, TEST_KIOSK) as client:
        found = client.statement(ACCOUNT)
    job = statement_job(found, kiosk_id="K-1", station_name="鼓楼营业厅", paper_width_chars=width)
    text = paper_text(job)
    assert all(month.period in text for month in found.months)
    assert f"{found.total_billed:,.2f}" in text and f"{found.total_paid:,.2f}" in text
    assert ACCOUNT not in text
    assert all(columns(line.text) <= width for line in job.lines if isinstance(line, TextLine))


def test_the_client_asks_for_a_vat_invoice_and_sends_a_bad_tax_number_back(center):
    with CenterClient(center.url, TEST_KIOSK) as client:
        payment = client.last_payments(ACCOUNT).payments[3]
        with pytest.raises(CenterRejected) as refused:
            client.request_vat_invoice(
                VatRequest.model_validate(
                    vat_body(payment.payment_id, tax_number="91350100M000100Y44")
                )
            )
        answer = client.request_vat_invoice(VatRequest.model_validate(vat_body(payment.payment_id)))
    assert refused.value.code == "invalid_tax_number"
    assert answer.state == "requested" and answer.request_id.startswith("VAT")


def paper_text(job) -> str:
    return "\n".join(line.text for line in job.lines if isinstance(line, TextLine))


class PaperTray:
    """The printing port as `Payments.print_slip` offers it: builds each paper at 32 columns
    and keeps it."""

    def __init__(self) -> None:
        self.papers: list[str] = []

    def __call__(self, build, what: str) -> bool:
        job = build(kiosk_id="K-1", station_name="鼓楼营业厅", paper_width_chars=32)
        self.papers.append(paper_text(job))
        return True


def test_the_kiosk_desk_reprints_prints_the_statement_and_checks_the_form_first(center):
    tray = PaperTray()
    with CenterClient(center.url, TEST_KIOSK) as client:
        desk = HistoryDesk(client, print_paper=tray)
        payments = desk.last_payments(ACCOUNT)
        app_paid = next(p for p in payments if p.channel is Channel.APP)
        assert desk.reprint_past_payment(ACCOUNT, app_paid.payment_id)
        assert desk.print_statement(ACCOUNT)
        form = VatForm(
            payment_id=payments[7].payment_id,
            title="南京某某科技有限公司",
            tax_number="91350100 m000100y44",
            delivery=Delivery.EMAIL,
            email="finance@example.com",
            phone="139 1234 5678",
        )
        with pytest.raises(VatFormRefused) as refused:
            desk.request_vat_invoice(form)
        answer = desk.request_vat_invoice(
            dataclasses.replace(form, tax_number="91350100 m000100y43")
        )
    assert refused.value.problem is VatFormProblem.TAX_NUMBER_CHECK
    assert answer.delivery is Delivery.EMAIL
    assert "手机应用 App" in tray.papers[0] and "补打 REPRINT" in tray.papers[0]
    assert "缴费对账单" in tray.papers[1]


def test_offline_the_desk_says_the_center_is_needed():
    with CenterClient("http://127.0.0.1:9", TEST_KIOSK) as client:
        desk = HistoryDesk(client.with_timeout(1.0))
        with pytest.raises(LookupFailed) as failed:
            desk.last_payments(ACCOUNT)
    assert failed.value.problem is LookupProblem.UNREACHABLE
