"""The center's payments API over raw HTTP: the Idempotency-Key rules, tombstones, the
write-off done exactly once, and the wallets' ledger agreeing with the center's records."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from center.database import (
    AccountRow,
    Base,
    BillRow,
    IdempotencyKeyRow,
    InvoiceRow,
    PaymentRow,
    open_database,
)
from sync.protocol import ErrorBody, PaymentAnswer, PaymentStatus
from tests.support.center import TEST_KIOSK, kiosk_http
from tests.support.waiting import eventually

HTTP = kiosk_http()

CODES = iter(f"1399{n:014d}" for n in range(1, 10_000))


@pytest.fixture(scope="module")
def center(center_on_each_database):
    """Once on SQLite, once on PostgreSQL."""
    return center_on_each_database


@pytest.fixture(scope="module")
def db(center):
    database = open_database(center.db_url)
    yield database
    database.close()


def behave(center, *upcoming: str, **options) -> None:
    HTTP.post(
        f"{center.url}/sim/wallets/behaviour",
        json={"next": list(upcoming), **options},
        timeout=5,
    ).raise_for_status()


def body(account: str = "3201000002", amount: str = "20.00", **fields) -> dict:
    return {
        "account_number": account,
        "purpose": "prepay",
        "amount": amount,
        "method": "code",
        "wallet": "wechat",
        "payment_code": next(CODES),
        **fields,
    }


def pay(center, key: str, payload: dict) -> requests.Response:
    return HTTP.post(
        f"{center.url}/v1/payments", json=payload, headers={"Idempotency-Key": key}, timeout=10
    )


def code_of(response: requests.Response) -> str:
    return ErrorBody.model_validate_json(response.content).error.code


def test_payment_routes_are_in_the_openapi_document(center):
    paths = HTTP.get(f"{center.url}/openapi.json", timeout=5).json()["paths"]
    assert {
        "/v1/payments",
        "/v1/payments/{payment_id}",
        "/v1/payments/{payment_id}/reverse",
    } <= set(paths)


def test_the_same_key_and_body_get_the_same_answer(center, db):
    behave(center, "success")
    key, payload = uuid.uuid4().hex, body()
    first, second = pay(center, key, payload), pay(center, key, payload)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["status"] == "paid"
    with db.sessions() as session:
        assert session.scalar(select(func.count()).where(InvoiceRow.payment_id == key)) == 1


def test_an_error_answer_is_replayed_too(center):
    key, payload = uuid.uuid4().hex, body(account="9999999999")
    first, second = pay(center, key, payload), pay(center, key, payload)
    assert first.status_code == second.status_code == 404
    assert first.json() == second.json() and code_of(first) == "account_not_found"


def test_the_same_key_with_another_body_is_refused(center):
    key, payload = uuid.uuid4().hex, body()
    assert pay(center, key, payload).status_code == 200
    other = pay(center, key, {**payload, "amount": "21.00"})
    assert (other.status_code, code_of(other)) == (422, "idempotency_key_reused")


def test_a_missing_key_or_a_bad_code_is_refused_without_echo(center):
    payload = body()
    no_key = HTTP.post(f"{center.url}/v1/payments", json=payload, timeout=5)
    assert (no_key.status_code, code_of(no_key)) == (422, "invalid_request")
    bad = pay(center, uuid.uuid4().hex, {**payload, "payment_code": "13999999999x"})
    assert bad.status_code == 422 and "13999999999x" not in bad.text


def test_a_concurrent_duplicate_is_told_to_come_back(center, db):
    behave(center, "success", slow_s=1.0)
    key, payload = uuid.uuid4().hex, body()
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(pay, center, key, payload)

        def claimed() -> bool:
            with db.sessions() as session:
                return session.get(IdempotencyKeyRow, (TEST_KIOSK, key)) is not None

        assert eventually(claimed, timeout=5)
        busy = pay(center, key, payload)
        assert (busy.status_code, code_of(busy)) == (409, "idempotency_key_in_use")
        assert first.result().status_code == 200
    assert pay(center, key, payload).json() == first.result().json()


def test_a_reverse_before_the_create_leaves_a_tombstone(center):
    behave(center, "success")
    key = uuid.uuid4().hex
    reversed_ = HTTP.post(f"{center.url}/v1/payments/{key}/reverse", timeout=5)
    answer = PaymentAnswer.model_validate_json(reversed_.content)
    assert (answer.status, answer.reason) == (PaymentStatus.CLOSED, "not_found")
    late = PaymentAnswer.model_validate_json(pay(center, key, body()).content)
    assert late.status is PaymentStatus.CLOSED
    orders = HTTP.get(f"{center.url}/sim/wallets/ledger", timeout=5).json()["orders"]
    assert not any(o["out_trade_no"] == key and o["charged"] for o in orders)


def test_concurrent_queries_write_off_exactly_once(center, db):
    behave(center, "systemerror_paid")
    account = "3201000005"
    bill = HTTP.get(f"{center.url}/v1/accounts/{account}", timeout=5).json()
    assert bill["unpaid"]
    with db.sessions() as session:
        balance_before = session.get(AccountRow, account).balance
    key = uuid.uuid4().hex
    payload = body(
        account=account,
        purpose="arrears",
        amount=bill["total_due"],
        periods=[u["period"] for u in bill["unpaid"]],
    )
    assert pay(center, key, payload).json()["status"] == "unknown"
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda _: HTTP.get(f"{center.url}/v1/payments/{key}", timeout=10), range(16))
        )
    assert {a.json()["status"] for a in answers} == {"paid"}
    assert len({a.json()["invoice"]["number"] for a in answers}) == 1
    with db.sessions() as session:
        payment = session.get(PaymentRow, key)
        assert payment.written_off and payment.credited == Decimal("0.00")
        assert session.get(AccountRow, account).balance == balance_before
        unpaid = session.scalar(
            select(func.count()).where(BillRow.account_number == account, BillRow.paid.is_(False))
        )
        assert unpaid == 0
        assert session.scalar(select(func.count()).where(InvoiceRow.payment_id == key)) == 1


def test_the_payment_code_is_stored_nowhere(center, db):
    payload = body()
    pay(center, uuid.uuid4().hex, payload)
    if center.db_url.startswith("sqlite"):  # byte for byte, free pages and WAL included
        stored = b"".join(p.read_bytes() for p in _db_files(center))
    else:
        stored = _every_row(db).encode()
        assert payload["account_number"].encode() in stored  # the look is real
    assert payload["payment_code"].encode() not in stored


def test_the_ledger_agrees_with_the_payments(center, db):
    """Run last: every settled payment of this module holds money exactly when paid."""
    orders = HTTP.get(f"{center.url}/sim/wallets/ledger", timeout=5).json()["orders"]
    assert orders
    with db.sessions() as session:
        for order in orders:
            payment = session.get(PaymentRow, order["out_trade_no"])
            assert payment is not None
            held = order["charged"] and not order["refunded"]
            if payment.status in ("paid", "failed", "reversed", "closed"):
                assert held == (payment.status == "paid"), order
                assert Decimal(order["amount"]) == payment.amount or not order["charged"]


def _every_row(db) -> str:
    with db.engine.connect() as connection:
        return "\n".join(
            str(tuple(row))
            for table in Base.metadata.sorted_tables
            for row in connection.execute(table.select())
        )


def _db_files(center) -> list[Path]:
    path = Path(center.db_url.removeprefix("sqlite:///"))
    return [p for p in path.parent.glob(path.name + "*")]
