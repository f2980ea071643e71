"""The fault proxy between the real CenterClient and the real center: each fault reaches the
kiosk as the typed error it must handle, and a clean proxy changes nothing."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from sync.client import CenterClient
from sync.protocol import EventBatch, EventEnvelope
from sync.protocol.errors import AccountNotFound, CenterNonsense, CenterTimeout, CenterUnreachable
from tests.support.fault_proxy import FaultKind, FaultProxy, Passage
from tests.support.waiting import eventually

ACCOUNT = "3201000001"


@pytest.fixture
def proxy(running_center):
    with FaultProxy(running_center.url, seed=4) as proxy:
        yield proxy
        print(proxy)


@pytest.fixture
def client(proxy):
    with CenterClient(proxy.url, "kiosk-proxy", timeout=2.0) as client:
        yield client


@pytest.fixture
def impatient(proxy):
    """A client whose timeout fires well before a held or hung answer comes."""
    with CenterClient(proxy.url, "kiosk-proxy", timeout=0.3) as client:
        yield client


def one_event_batch() -> EventBatch:
    return EventBatch(
        kiosk_id="kiosk-proxy",
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
        ],
    )


def statuses(client: CenterClient, batch: EventBatch) -> list[str]:
    return [ack.status for ack in client.deliver_events(batch).results]


def test_a_clean_proxy_changes_no_answer_over_many_requests(running_center, proxy, client):
    with CenterClient(running_center.url, "kiosk-direct", timeout=2.0) as direct:
        expected = direct.account_bill(ACCOUNT)
        for round_ in range(20):
            assert client.account_bill(ACCOUNT) == expected
            assert client.health()
            with pytest.raises(AccountNotFound):
                client.account_bill("9999999999")
            assert statuses(client, one_event_batch()) == ["accepted"], round_
    with ThreadPoolExecutor(max_workers=8) as pool:
        bills = list(pool.map(client.account_bill, [ACCOUNT] * 24))
    assert all(bill == expected for bill in bills)
    counts = proxy.counts
    assert counts["requests"] == counts["passed"] == counts["forwarded"] == 104
    # Kept alive: one connection for the sequential part, at most one per worker thread after.
    assert counts["connections"] <= 9
    assert proxy.history[0] == Passage("GET", f"/v1/accounts/{ACCOUNT}", None)


@pytest.mark.parametrize("per", ["request", "connection"])
def test_a_dropped_connection_is_unreachable(proxy, client, per):
    proxy.inject("drop", per=per)
    with pytest.raises(CenterUnreachable) as caught:
        client.account_bill(ACCOUNT)
    assert caught.value.retryable
    assert proxy.counts["drop"] == 1
    assert proxy.counts.get("forwarded", 0) == 0
    proxy.clear()
    assert client.account_bill(ACCOUNT).account.number == ACCOUNT


def test_a_fault_hits_one_request_on_a_kept_alive_connection(proxy, client):
    assert client.health()
    assert client.health()
    proxy.inject(FaultKind.DROP, times=1)
    assert client.health() is False
    assert client.health()
    assert [p.fault for p in proxy.history] == [None, None, FaultKind.DROP, None]
    assert proxy.counts["connections"] == 2  # the drop closed the first one, and only that


def test_a_refusing_proxy_is_unreachable_until_it_listens_again(proxy, client):
    assert client.health()
    proxy.refuse()
    with pytest.raises(CenterUnreachable) as caught:
        client.account_bill(ACCOUNT)
    assert "refused" in repr(caught.value.__cause__).lower()
    proxy.listen()
    assert client.health()
    proxy.refuse(seconds=0.2)
    assert client.health() is False
    assert eventually(client.health, timeout=3.0)
    assert proxy.counts["refuse"] == 2


def test_a_request_held_past_the_timeout_is_a_timeout(proxy, impatient):
    proxy.inject("delay", seconds=1.0)
    with pytest.raises(CenterTimeout):
        impatient.account_bill(ACCOUNT)
    assert proxy.counts["delay"] == 1


def test_a_short_delay_is_only_slower(proxy, client):
    proxy.inject("delay", seconds=0.3, on="answer")
    started = time.monotonic()
    assert client.account_bill(ACCOUNT).account.number == ACCOUNT
    assert time.monotonic() - started >= 0.3


def test_an_answer_held_past_the_timeout_was_still_processed(proxy, client, impatient):
    batch = one_event_batch()
    proxy.inject("delay", seconds=1.0, on="answer", times=1)
    with pytest.raises(CenterTimeout):
        impatient.deliver_events(batch)
    assert statuses(client, batch) == ["duplicate"]


def test_a_reset_after_forwarding_hides_that_the_center_processed_it(start_center):
    center = start_center(demo_data=False)
    batch = one_event_batch()
    with FaultProxy(center.url, seed=1) as proxy, CenterClient(proxy.url, "kiosk-proxy") as client:
        proxy.inject("reset")
        with pytest.raises(CenterUnreachable) as caught:
            client.deliver_events(batch)
        assert "ConnectionResetError" in repr(caught.value.__cause__)  # RST, not a clean close
        assert proxy.counts["forwarded"] == 1
        proxy.clear()
        assert statuses(client, batch) == ["duplicate"]
        print(proxy)


def test_a_truncated_answer_is_unreachable(proxy, client):
    proxy.inject("truncate")
    with pytest.raises(CenterUnreachable) as caught:
        client.account_bill(ACCOUNT)
    assert "ChunkedEncodingError" in str(caught.value)  # requests' name for a short body
    assert proxy.counts["truncate"] == 1


@pytest.mark.parametrize("status", [503, 500, 502])
def test_a_gateway_error_is_nonsense_and_the_connection_lives_on(proxy, client, status):
    proxy.inject("5xx", status=status, times=1)
    with pytest.raises(CenterNonsense) as caught:
        client.account_bill(ACCOUNT)
    assert caught.value.status == status
    assert client.account_bill(ACCOUNT).account.number == ACCOUNT
    assert proxy.counts["connections"] == 1
    assert proxy.counts["forwarded"] == 1  # only the second request reached the center


def test_a_gateway_error_after_forwarding_was_still_processed(proxy, client):
    batch = one_event_batch()
    proxy.inject("5xx_after_forward", times=1)
    with pytest.raises(CenterNonsense) as caught:
        client.deliver_events(batch)
    assert caught.value.status == 502
    assert statuses(client, batch) == ["duplicate"]


def test_a_hung_connection_is_a_timeout_until_cleared(proxy, impatient):
    proxy.inject("hang")
    with pytest.raises(CenterTimeout):
        impatient.account_bill(ACCOUNT)
    proxy.clear()
    assert impatient.account_bill(ACCOUNT).account.number == ACCOUNT
    assert proxy.counts["hang"] == 1


def test_a_connection_hung_on_accept_is_a_timeout(proxy, impatient):
    proxy.inject("hang", per="connection", times=1)
    with pytest.raises(CenterTimeout):
        impatient.account_bill(ACCOUNT)
    assert proxy.counts.get("requests", 0) == 0  # nothing was even read


def test_closing_the_proxy_lets_go_of_hung_connections(proxy, impatient):
    proxy.inject("hang")
    with pytest.raises(CenterTimeout):
        impatient.account_bill(ACCOUNT)
    started = time.monotonic()
    proxy.close()  # the fixture closes it again: closing twice is harmless
    assert time.monotonic() - started < 1.0
    with pytest.raises(CenterUnreachable):
        impatient.account_bill(ACCOUNT)


def test_a_removed_fault_no_longer_applies(proxy, client):
    garbage = proxy.inject("garbage")
    proxy.inject("5xx", status=500)
    proxy.remove(garbage)
    with pytest.raises(CenterNonsense) as caught:
        client.account_bill(ACCOUNT)
    assert caught.value.status == 500
    assert "garbage" not in proxy.counts


def test_garbage_instead_of_http_is_unreachable(proxy, client):
    # http.client calls it BadStatusLine; requests makes that a ConnectionError.
    proxy.inject("garbage")
    with pytest.raises(CenterUnreachable) as caught:
        client.account_bill(ACCOUNT)
    assert "BadStatusLine" in repr(caught.value.__cause__)
    assert proxy.counts["garbage"] == 1


def drop_pattern(upstream: str, seed: int) -> list[bool]:
    with FaultProxy(upstream, seed=seed) as proxy, CenterClient(proxy.url, "k", 2.0) as client:
        proxy.inject("drop", probability=0.3)
        answered = [client.health() for _ in range(40)]
        assert answered.count(False) == proxy.counts["drop"]
    return answered


def test_faults_drawn_with_a_probability_repeat_with_the_seed(running_center):
    first = drop_pattern(running_center.url, seed=7)
    assert 3 <= first.count(False) <= 25
    assert drop_pattern(running_center.url, seed=7) == first
    assert drop_pattern(running_center.url, seed=8) != first


def test_a_fault_is_checked_when_switched_on(proxy):
    with pytest.raises(ValueError):
        proxy.inject("drop", probability=1.5)
    with pytest.raises(ValueError):
        proxy.inject("5xx", status=404)
    with pytest.raises(ValueError):
        proxy.inject("delay")
    with pytest.raises(ValueError):
        proxy.inject("teleport")
