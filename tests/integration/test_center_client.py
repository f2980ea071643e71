"""The kiosk's CenterClient against the real center, a closed port, and a center talking junk."""

from __future__ import annotations

import json
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sync.client import CenterClient
from sync.protocol import EventBatch, EventEnvelope
from sync.protocol.errors import (
    AccountNotFound,
    CenterError,
    CenterNonsense,
    CenterRejected,
    CenterTimeout,
    CenterUnreachable,
)

LI_XIUYING = "320102195203140026"


@pytest.fixture
def client(running_center):
    with CenterClient(running_center.url, "kiosk-test", timeout=5.0) as client:
        yield client


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_account_bill(client, running_center):
    bill = client.account_bill("3201000001")
    assert bill.account.number == "3201000001"
    assert bill.as_of == running_center.today
    assert len(bill.usage) == 24
    assert bill.late_fee > 0


def test_unknown_account(client):
    with pytest.raises(AccountNotFound) as caught:
        client.account_bill("9999999999")
    assert caught.value.number == "9999999999"
    assert isinstance(caught.value, CenterRejected)
    assert not caught.value.retryable


def test_malformed_account_number_is_rejected_with_the_centers_code(client):
    with pytest.raises(CenterRejected) as caught:
        client.account_bill("12ab")
    assert caught.value.status == 422
    assert caught.value.code == "invalid_request"
    assert not isinstance(caught.value, AccountNotFound)


def test_accounts_for_id_number(client):
    accounts = client.accounts_for_id_number(LI_XIUYING)
    assert [(a.number, a.utility.value) for a in accounts] == [
        ("3201000001", "electricity"),
        ("5101000001", "water"),
    ]
    assert client.accounts_for_id_number("320205197302280087") == []


def test_a_wrong_check_digit_is_refused_by_the_center(client):
    with pytest.raises(CenterRejected) as caught:
        client.accounts_for_id_number("320102195203140027")
    assert caught.value.code == "invalid_id_number"
    assert "320102195203140027" not in str(caught.value)


def test_a_malformed_id_number_is_refused_before_any_call():
    # Nothing listens there: a network call would raise CenterUnreachable instead.
    offline = CenterClient(f"http://127.0.0.1:{closed_port()}", "kiosk-test", timeout=1)
    with pytest.raises(CenterRejected) as caught:
        offline.accounts_for_id_number("3201021952")
    assert caught.value.code == "invalid_id_number"
    assert "3201021952" not in str(caught.value)


def test_deliver_events_then_duplicates(client):
    batch = EventBatch(
        kiosk_id="kiosk-test",
        events=[
            EventEnvelope(
                id=uuid.uuid4(),
                type="session_ended",
                aggregate_type="session",
                aggregate_id=str(uuid.uuid4()),
                sequence=0,
                occurred_at="2026-11-24T09:30:00+08:00",
                payload={"reason": "timeout"},
            )
            for _ in range(2)
        ],
    )
    assert [a.status for a in client.deliver_events(batch).results] == ["accepted"] * 2
    assert [a.status for a in client.deliver_events(batch).results] == ["duplicate"] * 2


def test_health(client):
    assert client.health() is True


def test_closed_port_is_unreachable():
    client = CenterClient(f"http://127.0.0.1:{closed_port()}", "kiosk-test", timeout=2)
    with pytest.raises(CenterUnreachable) as caught:
        client.account_bill("3201000001")
    assert caught.value.retryable
    assert client.health() is False


def test_a_stopped_center_is_unreachable(start_center):
    center = start_center(demo_data=False)
    client = CenterClient(center.url, "kiosk-test", timeout=2)
    assert client.health()
    center.stop()
    with pytest.raises(CenterUnreachable):
        client.account_bill("3201000001")


def test_a_slow_center_times_out(start_center):
    center = start_center(demo_data=False, answer_delay=1.0)
    client = CenterClient(center.url, "kiosk-test", timeout=0.2)
    with pytest.raises(CenterTimeout) as caught:
        client.account_bill("3201000001")
    assert caught.value.retryable
    assert isinstance(caught.value, CenterError)


def test_one_client_serves_many_threads(client):
    numbers = ["3201000001", "3201000002", "3201000003", "3201000004"] * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        bills = list(pool.map(client.account_bill, numbers))
    assert [b.account.number for b in bills] == numbers


JUNK_ANSWERS = {
    "/v1/accounts/1000000001": (200, "text/html", b"<html>proxy login</html>"),
    "/v1/accounts/1000000002": (200, "application/json", b'{"account": "nope"}'),
    "/v1/accounts/1000000003": (
        500,
        "application/json",
        b'{"error": {"code": "internal_error", "message": "boom"}}',
    ),
    "/v1/accounts/1000000004": (502, "text/plain", b"bad gateway"),
    "/v1/accounts/1000000005": (400, "text/plain", b"no"),
    "/v1/events": (200, "application/json", json.dumps({"results": [{}]}).encode()),
}
SEEN_KIOSK_IDS: list[str | None] = []


class JunkCenter(BaseHTTPRequestHandler):
    """Answers each path with a canned status and body; records the kiosk header."""

    def do_GET(self):
        self.answer()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.answer()

    def answer(self):
        SEEN_KIOSK_IDS.append(self.headers.get("X-Kiosk-Id"))
        status, kind, body = JUNK_ANSWERS.get(self.path, (404, "text/plain", b"?"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def junk_center():
    server = ThreadingHTTPServer(("127.0.0.1", 0), JunkCenter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize(
    ("number", "status"),
    [("1000000001", 200), ("1000000002", 200), ("1000000003", 500), ("1000000004", 502)],
)
def test_junk_is_nonsense(junk_center, number, status):
    client = CenterClient(junk_center, "kiosk-junk", timeout=2)
    with pytest.raises(CenterNonsense) as caught:
        client.account_bill(number)
    assert caught.value.status == status
    assert caught.value.retryable
    assert SEEN_KIOSK_IDS[-1] == "kiosk-junk"


def test_a_refusal_without_error_body_is_still_a_rejection(junk_center):
    client = CenterClient(junk_center, "kiosk-junk", timeout=2)
    with pytest.raises(CenterRejected) as caught:
        client.account_bill("1000000005")
    assert (caught.value.status, caught.value.code) == (400, "http_400")


def test_event_results_that_do_not_validate_are_nonsense(junk_center):
    client = CenterClient(junk_center, "kiosk-junk", timeout=2)
    batch = EventBatch(
        kiosk_id="kiosk-junk",
        events=[
            EventEnvelope(
                id=uuid.uuid4(),
                type="t",
                aggregate_type="a",
                aggregate_id="1",
                sequence=0,
                occurred_at="2026-11-24T09:30:00+08:00",
                payload={},
            )
        ],
    )
    with pytest.raises(CenterNonsense):
        client.deliver_events(batch)
