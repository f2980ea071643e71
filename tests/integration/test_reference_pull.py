"""Reference data from the real center into the real store: ETag 304, `since`, nonsense refused."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from center.operators import OPERATOR_TOKEN_ENV
from kiosk.config import load_config
from kiosk.reference_setup import limits_within, reference_library
from kiosk.services.payment_types import PaymentLimits, PaymentRefused
from kiosk.services.reference import ReferenceLibrary
from kiosk.store import Store, open_store
from kiosk.store.reference_shelf import ReferenceShelf
from sync.client import CenterClient
from sync.protocol.errors import CenterError, CenterNonsense
from sync.protocol.reference import KioskSettings, ReferenceKind
from sync.reference_pull import ReferencePuller
from tests.support.center import RunningCenter, kiosk_http
from tests.support.fault_proxy import FaultProxy
from tests.support.waiting import eventually

HTTP = kiosk_http()

EVERY_KIND = tuple(sorted(ReferenceKind))
TODAY = dt.date(2026, 11, 24)
OUTAGE = {
    "notices": [
        {
            "id": "outage-1128",
            "text": {"zh": "11月28日钟灵街计划停电。", "en": "Planned outage on 28 Nov."},
            "starts": "2026-11-20",
            "ends": "2026-11-28",
        },
        {
            "id": "old",
            "text": {"zh": "已过期的通知。", "en": "An expired notice."},
            "ends": "2026-01-01",
        },
    ]
}


OPERATOR = "operator-secret-for-reference-tests"


@pytest.fixture
def center(
    start_center: Callable[..., RunningCenter], monkeypatch: pytest.MonkeyPatch
) -> RunningCenter:
    monkeypatch.setenv(OPERATOR_TOKEN_ENV, OPERATOR)
    return start_center(demo_data=False)


@pytest.fixture
def client(center: RunningCenter) -> Iterator[CenterClient]:
    with CenterClient(center.url, "kiosk-reference-test", timeout=3) as made:
        yield made


@pytest.fixture
def library(store: Store) -> ReferenceLibrary:
    made = reference_library(load_config())
    made.attach(ReferenceShelf(store.engine).stored)
    return made


def publish(
    center: RunningCenter, kind: str, data: dict, token: str = OPERATOR
) -> requests.Response:
    return HTTP.put(
        f"{center.url}/v1/admin/reference/{kind}",
        json=data,
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )


def test_a_kiosk_that_never_synced_shows_the_shipped_defaults(library: ReferenceLibrary) -> None:
    assert not any(library.synced(kind) for kind in ReferenceKind)
    assert library.electricity_tariff() is not None
    names = {guide.name.zh for guide in library.knowledge().guides}
    assert {"更名过户", "一户多人口", "增容", "电能表校验", "充电桩报装", "分布式光伏"} <= names
    assert library.notices(TODAY)  # config/kiosk.toml's [[notices]]


def test_the_first_pull_keeps_every_kind(
    center: RunningCenter, client: CenterClient, store: Store, library: ReferenceLibrary
) -> None:
    changed: list[tuple[ReferenceKind, ...]] = []
    puller = ReferencePuller(
        client,
        ReferenceShelf(store.engine),
        on_change=lambda kinds: (changed.append(kinds), library.reload()),
    )
    report = puller.pull()
    assert sorted(report.fetched) == sorted(EVERY_KIND)
    assert changed == [report.fetched]
    assert all(library.synced(kind) for kind in ReferenceKind)
    # The center's tariffs are the ones bills are computed with.
    info, tariff = library.electricity_tariff()
    assert tariff.prices[0] == info.prices[0] and tariff.limits == tuple(info.limits)
    assert [t.en for t in library.notices(TODAY)][-1] == (
        "Never show or tell your payment code to a stranger."
    )


def test_nothing_new_costs_one_small_answer_and_etags_answer_304(
    client: CenterClient, store: Store
) -> None:
    shelf = ReferenceShelf(store.engine)
    puller = ReferencePuller(client, shelf)
    first = puller.pull()
    held = shelf.held()
    again = puller.pull()
    assert again.fetched == () and again.unchanged == () and again.revision == first.revision
    every = puller.pull(every_kind=True)
    assert every.fetched == () and sorted(every.unchanged) == sorted(EVERY_KIND)
    assert shelf.held() == held
    assert client.reference(ReferenceKind.NOTICES, held[ReferenceKind.NOTICES]) is None


def test_since_fetches_only_what_was_published_after_it(
    center: RunningCenter, client: CenterClient, store: Store, library: ReferenceLibrary
) -> None:
    shelf = ReferenceShelf(store.engine)
    puller = ReferencePuller(client, shelf, on_change=lambda _kinds: library.reload())
    first = puller.pull()
    old_etag = shelf.held()[ReferenceKind.NOTICES]

    answer = publish(center, "notices", OUTAGE)
    assert answer.status_code == 200, answer.text
    report = puller.pull()

    assert report.fetched == (ReferenceKind.NOTICES,)
    assert report.revision == first.revision + 1 == shelf.since()
    assert shelf.held()[ReferenceKind.NOTICES] != old_etag
    # Shown from its first day to its last; the expired one never.
    assert [t.en for t in library.notices(TODAY)] == ["Planned outage on 28 Nov."]
    assert library.notices(dt.date(2026, 11, 29)) == []


def test_settings_from_the_center_stay_within_the_kiosks_configuration(
    center: RunningCenter, client: CenterClient, store: Store, library: ReferenceLibrary
) -> None:
    published = {
        "inactivity_seconds": 90,
        "warning_seconds": 30,
        "prepay_min": "20.00",
        "prepay_max": "9000.00",
        "services": {"payments": False, "information": True},
    }
    assert publish(center, "settings", published).status_code == 200
    ReferencePuller(
        client, ReferenceShelf(store.engine), on_change=lambda _: library.reload()
    ).pull()
    settings = library.settings()
    assert settings.inactivity_seconds == 90 and not settings.services.payments
    configured = PaymentLimits.from_settings(load_config().payment)
    limits = limits_within(settings, configured)
    assert (str(limits.prepay_min), str(limits.prepay_max)) == ("20.00", "5000.00")


def test_the_center_refuses_to_publish_what_does_not_fit(center: RunningCenter) -> None:
    wrong = {"inactivity_seconds": 40, "warning_seconds": 60, "prepay_min": "1", "prepay_max": "2"}
    answer = publish(center, "settings", wrong)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_reference_data"
    index = HTTP.get(f"{center.url}/v1/reference", timeout=5).json()
    assert index["revision"] == len(ReferenceKind)  # the first editions only


def test_only_an_operator_publishes(center: RunningCenter) -> None:
    for token in ("", "not-the-token"):
        answer = publish(center, "notices", OUTAGE, token=token)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "not_an_operator"
    index = HTTP.get(f"{center.url}/v1/reference", timeout=5).json()
    assert index["revision"] == len(ReferenceKind)  # nothing was published


def test_a_broken_answer_keeps_the_old_data(
    center: RunningCenter, store: Store, library: ReferenceLibrary
) -> None:
    shelf = ReferenceShelf(store.engine)
    with FaultProxy(center.url, seed=5) as proxy, CenterClient(proxy.url, "k", timeout=2) as client:
        puller = ReferencePuller(client, shelf, on_change=lambda _: library.reload())
        puller.pull()
        before = (shelf.held(), shelf.since(), library.notices(TODAY))
        assert publish(center, "notices", OUTAGE).status_code == 200
        for kind in ("truncate", "5xx_after_forward", "garbage"):
            proxy.inject(kind, on="answer")
            with pytest.raises(CenterError):
                puller.pull()
            proxy.clear()
            assert (shelf.held(), shelf.since(), library.notices(TODAY)) == before
        assert puller.pull().fetched == (ReferenceKind.NOTICES,)


class _NonsenseCenter(BaseHTTPRequestHandler):
    """Answers the index well, then a notices document that does not match the protocol."""

    def do_GET(self) -> None:
        if self.path.startswith("/v1/reference?"):
            body = {"revision": 99, "changed": [{"kind": "notices", "revision": 99, "etag": '"x"'}]}
        else:
            body = {
                "kind": "notices",
                "revision": 99,
                "updated_at": "2026-11-24T08:00:00Z",
                "data": {"notices": [{"id": "no-text"}]},
            }
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *_args: object) -> None:
        pass


def test_a_center_answering_nonsense_keeps_the_old_data(
    client: CenterClient, store: Store, library: ReferenceLibrary
) -> None:
    shelf = ReferenceShelf(store.engine)
    ReferencePuller(client, shelf, on_change=lambda _: library.reload()).pull()
    before = (shelf.held(), shelf.since(), library.notices(TODAY))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NonsenseCenter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with CenterClient(url, "k", timeout=2) as nonsense, pytest.raises(CenterNonsense):
            ReferencePuller(nonsense, shelf).pull()
    finally:
        server.shutdown()
        server.server_close()
    assert (shelf.held(), shelf.since(), library.notices(TODAY)) == before


def test_synced_data_outlives_a_restart_offline(
    client: CenterClient, store_path: Path, center: RunningCenter
) -> None:
    store = open_store(store_path)
    try:
        ReferencePuller(client, ReferenceShelf(store.engine)).pull()
        assert publish(center, "notices", OUTAGE).status_code == 200
        ReferencePuller(client, ReferenceShelf(store.engine)).pull()
    finally:
        store.close()
    center.stop()  # the kiosk starts again with no center at all
    reopened = open_store(store_path)
    try:
        library = reference_library(load_config())
        library.attach(ReferenceShelf(reopened.engine).stored)
        assert library.synced(ReferenceKind.NOTICES)
        assert [t.zh for t in library.notices(TODAY)] == ["11月28日钟灵街计划停电。"]
    finally:
        reopened.close()


def test_the_background_pull_takes_new_data_when_woken(
    center: RunningCenter, client: CenterClient, store: Store, library: ReferenceLibrary
) -> None:
    heard: list[bool] = []
    library.watch(lambda: heard.append(True))
    puller = ReferencePuller(
        client, ReferenceShelf(store.engine), interval_s=600, on_change=lambda _: library.reload()
    )
    puller.start()
    try:
        assert eventually(lambda: library.synced(ReferenceKind.NOTICES), timeout=5)
        assert publish(center, "notices", OUTAGE).status_code == 200
        puller.wake()  # the center's "sync now"
        assert eventually(
            lambda: [t.en for t in library.notices(TODAY)] == ["Planned outage on 28 Nov."],
            timeout=5,
        )
    finally:
        assert puller.stop(timeout=5)
    assert len(heard) >= 2


def test_settings_model_bounds() -> None:
    with pytest.raises(ValueError):
        KioskSettings(
            inactivity_seconds=60, warning_seconds=60, prepay_min="10.00", prepay_max="20.00"
        )


def test_limits_that_do_not_meet_leave_no_prepayment() -> None:
    """The kiosk's limits can only narrow the center's: when the two ranges do not meet, no
    prepayment is offered (the center would refuse every amount), rather than the kiosk's own."""
    center_range = KioskSettings(
        inactivity_seconds=120,
        warning_seconds=30,
        prepay_min=Decimal("6000.00"),
        prepay_max=Decimal("9000.00"),
    )
    limits = limits_within(center_range, PaymentLimits(Decimal("10.00"), Decimal("5000.00")))
    assert not limits.allows_prepay
    for amount in ("100.00", "5000.00", "6000.00"):
        with pytest.raises(PaymentRefused):
            limits.check_prepay(Decimal(amount))
    within = limits_within(center_range, PaymentLimits(Decimal("10.00"), Decimal("8000.00")))
    assert within.allows_prepay and (within.prepay_min, within.prepay_max) == (
        Decimal("6000.00"),
        Decimal("8000.00"),
    )
