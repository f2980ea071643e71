"""The reference center over real HTTP on loopback, with its demo data."""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
import uuid
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from center.database import AccountRow, BillRow, ReceivedEventRow, open_database
from center.demo_data import RESIDENTS_FILE
from center.periods import complete_months_before, due_date_of
from center.tariffs import tariff_of
from rules.late_fee import late_fee
from rules.tariff import amount_of, split_into_tiers
from sync.protocol import AccountBill, AccountList, ErrorBody, EventBatchResult
from tests.support.center import DEMO_TODAY, TEST_KIOSK, kiosk_http

ARREARS_ACCOUNT = "3201000001"  # the demo data keeps it two months overdue


@pytest.fixture(scope="module")
def running_center(center_on_each_database):
    """This module's center: once on SQLite, once on PostgreSQL."""
    return center_on_each_database


@pytest.fixture(scope="module")
def center_db(running_center):
    database = open_database(running_center.db_url)
    yield database
    database.close()


HTTP = kiosk_http()


def get(center, path):
    return HTTP.get(center.url + path, timeout=10)


def post(center, path, **kwargs):
    return HTTP.post(center.url + path, timeout=10, **kwargs)


def error_code(response):
    return ErrorBody.model_validate_json(response.content).error.code


def test_openapi_document_is_served(running_center):
    paths = get(running_center, "/openapi.json").json()["paths"]
    assert {"/v1/accounts/{number}", "/v1/accounts/search", "/v1/events", "/v1/health"} <= set(
        paths
    )


def test_health(running_center):
    response = get(running_center, "/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_a_demo_account_bill(running_center):
    response = get(running_center, f"/v1/accounts/{ARREARS_ACCOUNT}")
    assert response.status_code == 200
    bill = AccountBill.model_validate_json(response.content)
    assert bill.as_of == DEMO_TODAY
    assert bill.unit == "kWh"
    assert [u.period for u in bill.usage] == complete_months_before(DEMO_TODAY, 24)
    assert bill.current is not None
    assert bill.current.period == "2026-10"
    assert bill.current.due_date == dt.date(2026, 11, 30)
    assert sum(t.amount for t in bill.current.tiers) == bill.current.amount
    assert sum(t.quantity for t in bill.current.tiers) == bill.current.quantity
    assert bill.current.quantity == bill.current.current_reading - bill.current.previous_reading
    assert bill.tier_prices == [Decimal("0.5283"), Decimal("0.5783"), Decimal("0.8283")]
    assert bill.tier_limits == [Decimal("2760"), Decimal("4800")]
    assert bill.account.holder_name_masked == "李*英"
    assert bill.account.address_masked == "江苏省南京市玄武区****"


def test_late_fee_of_an_account_in_arrears_follows_the_domain_rule(running_center):
    bill = AccountBill.model_validate_json(
        get(running_center, f"/v1/accounts/{ARREARS_ACCOUNT}").content
    )
    overdue = [u for u in bill.unpaid if u.days_overdue > 0]
    assert len(overdue) == 2
    assert bill.late_fee > 0
    for unpaid in bill.unpaid:
        assert unpaid.due_date == due_date_of(unpaid.period)
        assert unpaid.days_overdue == max(0, (DEMO_TODAY - unpaid.due_date).days)
        assert unpaid.late_fee == late_fee(unpaid.amount, unpaid.due_date, DEMO_TODAY, "resident")
    assert bill.late_fee == sum(u.late_fee for u in bill.unpaid)
    assert bill.arrears == sum(u.amount for u in bill.unpaid)
    assert bill.total_due == bill.arrears + bill.late_fee


def test_unknown_account_is_a_404_error_body(running_center):
    response = get(running_center, "/v1/accounts/9999999999")
    assert response.status_code == 404
    assert error_code(response) == "account_not_found"


@pytest.mark.parametrize("number", ["abc", "123", "12345678901234", "3201000001x"])
def test_malformed_account_number_is_a_422_error_body(running_center, number):
    response = get(running_center, f"/v1/accounts/{number}")
    assert response.status_code == 422
    assert error_code(response) == "invalid_request"


def test_unknown_path_is_an_error_body_too(running_center):
    response = get(running_center, "/v1/nowhere")
    assert response.status_code == 404
    assert error_code(response) == "not_found"


def listed_residents():
    return tomllib.loads(RESIDENTS_FILE.read_text(encoding="utf-8"))["resident"]


@pytest.mark.parametrize("resident", listed_residents(), ids=lambda r: r["id_number"][-4:])
def test_search_by_id_number_returns_exactly_the_residents_accounts(running_center, resident):
    response = post(
        running_center, "/v1/accounts/search", json={"id_number": resident["id_number"]}
    )
    assert response.status_code == 200
    found = AccountList.model_validate_json(response.content).accounts
    expected = {(a["number"], a["utility"]) for a in resident["accounts"]}
    assert {(a.number, a.utility.value) for a in found} == expected
    for account in found:
        assert account.holder_name_masked != resident["name"]
        assert account.holder_name_masked[0] == resident["name"][0]
        assert "*" in account.holder_name_masked
        assert account.address_masked.endswith("****")
        assert resident["address"] not in account.address_masked


def test_search_refuses_a_wrong_check_digit(running_center):
    response = post(running_center, "/v1/accounts/search", json={"id_number": "320102195203140027"})
    assert response.status_code == 422
    assert error_code(response) == "invalid_id_number"


@pytest.mark.parametrize(
    "body", [b"garbage", b"{}", b'{"id_number": "12"}', b'{"id_number": 3, "x": 1}']
)
def test_search_refuses_garbage_with_an_error_body(running_center, body):
    response = post(
        running_center,
        "/v1/accounts/search",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert error_code(response) == "invalid_request"


def test_an_id_number_never_reaches_the_log_or_an_error(running_center, caplog):
    id_number = "320102195203140027"  # wrong check digit: the error path
    with caplog.at_level(logging.DEBUG):
        answer = post(running_center, "/v1/accounts/search", json={"id_number": id_number[:-1]})
        answer2 = post(running_center, "/v1/accounts/search", json={"id_number": id_number})
    assert id_number[:-1] not in answer.text and id_number not in answer2.text
    assert id_number[:10] not in caplog.text


def event(**overrides):
    fields = {
        "id": str(uuid.uuid4()),
        "type": "payment_confirmed",
        "aggregate_type": "payment",
        "aggregate_id": str(uuid.uuid4()),
        "sequence": 0,
        "occurred_at": "2026-11-24T10:00:00+08:00",
        "payload": {"amount": "12.30"},
    }
    return fields | overrides


def deliver(center, events, kiosk_id=TEST_KIOSK):
    response = post(center, "/v1/events", json={"kiosk_id": kiosk_id, "events": events})
    assert response.status_code == 200, response.text
    return [
        (str(a.id), a.status)
        for a in EventBatchResult.model_validate_json(response.content).results
    ]


def stored(center_db, ids):
    with center_db.sessions() as session:
        return session.scalar(
            select(func.count()).select_from(ReceivedEventRow).where(ReceivedEventRow.id.in_(ids))
        )


def test_a_batch_is_accepted_then_all_duplicate(running_center, center_db):
    batch = [event(), event(), event()]
    ids = [e["id"] for e in batch]
    assert deliver(running_center, batch) == [(i, "accepted") for i in ids]
    assert deliver(running_center, batch) == [(i, "duplicate") for i in ids]
    assert stored(center_db, ids) == 3


def test_a_mixed_batch_gets_one_status_per_event(running_center, center_db):
    old = event()
    deliver(running_center, [old])
    new = event()
    naive = event(occurred_at="2026-11-24T10:00:00")
    clash = event(aggregate_id=old["aggregate_id"])  # same aggregate and sequence, other id
    twice = event()
    result = deliver(running_center, [new, old, naive, clash, twice, twice])
    assert [status for _, status in result] == [
        "accepted",
        "duplicate",
        "rejected",
        "rejected",
        "accepted",
        "duplicate",
    ]
    ids = [e["id"] for e in (old, new, naive, clash, twice)]
    assert stored(center_db, ids) == 3


def test_a_batch_from_another_kiosk_than_the_header_says_is_refused(running_center):
    response = post(
        running_center,
        "/v1/events",
        json={"kiosk_id": "kiosk-a", "events": [event()]},
        headers={"X-Kiosk-Id": "kiosk-b"},
    )
    assert response.status_code == 403
    assert error_code(response) == "kiosk_mismatch"


def test_an_empty_or_malformed_batch_is_a_422(running_center):
    assert (
        post(running_center, "/v1/events", json={"kiosk_id": "k", "events": []}).status_code == 422
    )
    response = post(running_center, "/v1/events", json={"kiosk_id": "k", "events": [{"id": "1"}]})
    assert response.status_code == 422
    assert error_code(response) == "invalid_request"
    # Beyond what a 64-bit column holds: refused as malformed, never a database error.
    huge = [event(sequence=2**63)]
    response = post(running_center, "/v1/events", json={"kiosk_id": "k", "events": huge})
    assert response.status_code == 422


def test_demo_data_is_consistent(center_db):
    periods = complete_months_before(DEMO_TODAY, 24)
    with center_db.sessions() as session:
        accounts = list(session.scalars(select(AccountRow)))
        bills = defaultdict(list)
        for bill in session.scalars(select(BillRow).order_by(BillRow.period)):
            bills[bill.account_number].append(bill)
        electricity = [a for a in accounts if a.utility == "electricity"]
        assert len(electricity) >= 50
        assert {"water", "gas"} <= {a.utility for a in accounts}
        assert all(a.category == "resident" and a.multiplier == 1 for a in accounts)
        in_arrears = 0
        for account in accounts:
            history = bills[account.number]
            assert [b.period for b in history] == periods
            tariff = account.tariff
            used = Decimal(0)
            for bill in history:
                assert bill.amount == sum(Decimal(t["amount"]) for t in bill.tiers)
                assert bill.due_date == due_date_of(bill.period)
                if bill.period.startswith("2025"):  # a whole year on file: check tier by tier
                    used = Decimal(0) if bill.period.endswith("-01") else used
                    charges = split_into_tiers(bill.quantity, used, tariff_of(tariff))
                    assert amount_of(charges) == bill.amount
                    used += bill.quantity
            in_arrears += any(not b.paid and b.due_date < DEMO_TODAY for b in history)
        assert in_arrears >= 3
        summer = _mean_use(bills, electricity, ("07", "08"))
        spring = _mean_use(bills, electricity, ("04", "05"))
        assert summer > spring * Decimal("1.4")


def _mean_use(bills, accounts, months):
    picked = [b.quantity for a in accounts for b in bills[a.number] if b.period[5:] in months]
    return sum(picked) / len(picked)


def test_a_declared_event_type_is_checked_against_its_schema(running_center, center_db):
    good = event(type="rating.given", aggregate_type="kiosk", payload={"score": 5})
    bad = event(type="rating.given", aggregate_type="kiosk", payload={"score": 9})
    undeclared = event(type="someday.maybe", payload={"whatever": [1, 2]})
    assert [status for _, status in deliver(running_center, [good, bad, undeclared])] == [
        "accepted",
        "rejected",
        "accepted",
    ]
    assert stored(center_db, [good["id"], bad["id"], undeclared["id"]]) == 2
