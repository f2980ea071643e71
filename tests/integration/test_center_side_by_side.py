"""Two centers on one PostgreSQL database, as two workers behind a load balancer: they share
nothing but the database, and a request racing its duplicate on the other one is still done
exactly once."""

from __future__ import annotations

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from center.database import ReceivedEventRow, open_database
from center.server import serve_center
from tests.support.center import DEMO_TODAY, kiosk_http
from tests.support.waiting import eventually

HTTP = kiosk_http()


@pytest.fixture(scope="module")
def two_centers(postgres_server):
    db_url = postgres_server.new_database()
    with (
        serve_center(db_url, today=DEMO_TODAY) as first,
        serve_center(db_url, today=DEMO_TODAY) as second,
    ):
        yield first, second


def pay(center, key, payload):
    return HTTP.post(
        f"{center.url}/v1/payments", json=payload, headers={"Idempotency-Key": key}, timeout=10
    )


def test_a_payment_raced_on_two_centers_is_made_once(two_centers):
    first, second = two_centers
    # The wallet switch set through one center steers the payment made on the other.
    HTTP.post(
        f"{first.url}/sim/wallets/behaviour", json={"next": ["success"], "slow_s": 1.0}, timeout=5
    ).raise_for_status()
    key = uuid.uuid4().hex
    payload = {
        "account_number": "3201000002",
        "purpose": "prepay",
        "amount": "30.00",
        "method": "code",
        "wallet": "wechat",
        "payment_code": "134000000000000077",
    }
    with ThreadPoolExecutor(1) as pool:
        started = pool.submit(pay, second, key, payload)
        ledger = f"{first.url}/sim/wallets/ledger"
        assert eventually(
            lambda: any(
                o["out_trade_no"] == key for o in HTTP.get(ledger, timeout=5).json()["orders"]
            ),
            timeout=5,
        )
        busy = pay(first, key, payload)
        assert (busy.status_code, busy.json()["error"]["code"]) == (409, "idempotency_key_in_use")
        answer = started.result()
    assert answer.status_code == 200 and answer.json()["status"] == "paid"
    assert pay(first, key, payload).json() == answer.json()  # replayed by the other center
    orders = HTTP.get(f"{first.url}/sim/wallets/ledger", timeout=5).json()["orders"]
    assert [o["charged"] for o in orders if o["out_trade_no"] == key] == [True]


def test_one_batch_delivered_to_both_centers_at_once_is_stored_once(two_centers):
    first, second = two_centers
    kiosk = f"side-{uuid.uuid4().hex[:8]}"
    now = dt.datetime.now(dt.UTC).isoformat()
    events = [
        {
            "id": str(uuid.uuid4()),
            "type": "RatingGiven",
            "aggregate_type": "rating",
            "aggregate_id": f"{kiosk}-{n}",
            "sequence": 0,
            "occurred_at": now,
            "payload": {"stars": 5},
        }
        for n in range(50)
    ]
    batch = {"kiosk_id": kiosk, "events": events}
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(
                lambda center: kiosk_http(kiosk).post(
                    f"{center.url}/v1/events", json=batch, timeout=20
                ),
                [first, second] * 4,
            )
        )
    assert {a.status_code for a in answers} == {200}
    accepted = [r["id"] for a in answers for r in a.json()["results"] if r["status"] == "accepted"]
    assert sorted(accepted) == sorted(e["id"] for e in events)  # each accepted exactly once
    database = open_database(first.db_url)
    try:
        with database.sessions() as session:
            stored = session.scalar(select(func.count()).where(ReceivedEventRow.kiosk_id == kiosk))
    finally:
        database.close()
    assert stored == len(events)
