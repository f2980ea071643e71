"""The center tried as an outsider with an enrolled kiosk and the published protocol would try
it, over real HTTP on loopback, on SQLite and on PostgreSQL: two kiosks (alice, an honest one,
and mallory, enrolled but hostile), payments racing for one bill, repeated and swapped headers,
another kiosk's payments, money in every form but the canonical one. The last test reads the
books: money held exactly for what is paid, each bill written off by one payment."""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from center.database import (
    BillRow,
    Database,
    IdempotencyKeyRow,
    PaymentRow,
    ReceivedEventRow,
    RemoteCommandRow,
)
from center.errors import Refusal
from center.kiosk_auth import SignatureCheck, enrol_kiosk, issue_enrolment_token
from center.server import RunningCenter
from kiosk.services.receipt import receipt_job
from sync.client import CenterClient
from sync.credentials import Credentials
from sync.protocol import (
    AccountBill,
    PaymentAnswer,
    PaymentMethod,
    PaymentRequest,
    PaymentStatus,
)
from sync.protocol.enrolment import EnrolmentRequest
from sync.protocol.errors import CenterRejected, PaymentNotFound
from sync.protocol.signing import (
    SCHEME_1,
    SINGLE_HEADERS,
    VERSION_HEADER,
    SignedRequest,
    sign,
    signature_headers,
)
from tests.support.books import book_problems
from tests.support.center import enrol
from tests.support.paying import wallet_ledger, wallets_will

PREPAY_ACCOUNT = "3201000002"


@dataclass
class Kiosk:
    credentials: Credentials
    client: CenterClient

    @property
    def id(self) -> str:
        return self.credentials.kiosk_id


@pytest.fixture(scope="module")
def center(signed_center: RunningCenter) -> RunningCenter:
    return signed_center


def enrolled(center: RunningCenter, signed_center_db: Database, kiosk_id: str) -> Iterator[Kiosk]:
    credentials = enrol(center, signed_center_db, kiosk_id)
    with CenterClient(center.url, kiosk_id, credentials=credentials) as client:
        yield Kiosk(credentials, client)


@pytest.fixture(scope="module")
def alice(center: RunningCenter, signed_center_db: Database) -> Iterator[Kiosk]:
    yield from enrolled(center, signed_center_db, "station-alice")


@pytest.fixture(scope="module")
def mallory(center: RunningCenter, signed_center_db: Database) -> Iterator[Kiosk]:
    yield from enrolled(center, signed_center_db, "station-mallory")


@pytest.fixture(autouse=True)
def prompt_wallets(center: RunningCenter) -> None:
    wallets_will(center)  # every test starts with wallets that answer at once, successfully


# -- helpers ------------------------------------------------------------------------------------


def new_id() -> str:
    return uuid.uuid4().hex


def wechat_code() -> str:
    return f"13{uuid.uuid4().int % 10**16:016d}"


def arrears(bill: AccountBill, method: PaymentMethod = PaymentMethod.CODE) -> PaymentRequest:
    return PaymentRequest(
        account_number=bill.account.number,
        purpose="arrears",
        amount=bill.total_due,
        periods=[unpaid.period for unpaid in bill.unpaid],
        method=method,
        wallet="wechat",
        payment_code=wechat_code() if method is PaymentMethod.CODE else None,
    )


def prepay(amount: str = "20.00", method: PaymentMethod = PaymentMethod.CODE) -> PaymentRequest:
    return PaymentRequest(
        account_number=PREPAY_ACCOUNT,
        purpose="prepay",
        amount=Decimal(amount),
        method=method,
        wallet="wechat",
        payment_code=wechat_code() if method is PaymentMethod.CODE else None,
    )


def refusal(call: Any, *args: Any) -> tuple[int, str]:
    with pytest.raises(CenterRejected) as refused:
        call(*args)
    return refused.value.status, refused.value.code


@dataclass
class Answer:
    status: int
    body: Any


def send(
    center: RunningCenter,
    kiosk: Kiosk,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    idempotency_key: str = "",
    signed_key: str | None = None,
    scheme: int = 2,
    before: tuple[tuple[str, str], ...] = (),
    extra: tuple[tuple[str, str], ...] = (),
) -> Answer:
    """A signed request made by hand with http.client, which sends a header as often as it is
    given: `signed_key` is the Idempotency-Key signed (default: the one sent), `before` and
    `extra` are header lines sent before and after the signing ones (repeats included)."""
    signed = SignedRequest(
        method,
        path,
        int(time.time()),
        new_id(),
        body,
        kiosk_id=kiosk.id,
        key_id=kiosk.credentials.key_id,
        idempotency_key=idempotency_key if signed_key is None else signed_key,
    )
    headers = signature_headers(kiosk.credentials.secret, signed)
    if scheme == SCHEME_1:
        del headers[VERSION_HEADER]
        headers["X-Signature"] = sign(kiosk.credentials.secret, signed, SCHEME_1)
    lines = [*before, *headers.items()]
    if idempotency_key:
        lines.append(("Idempotency-Key", idempotency_key))
    lines += [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    lines += extra
    parts = urlsplit(center.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=15)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in lines:
            connection.putheader(name, value)
        connection.endheaders(body or None)
        response = connection.getresponse()
        raw = response.read()
        return Answer(response.status, json.loads(raw) if raw else None)
    finally:
        connection.close()


def send_prepay(center: RunningCenter, kiosk: Kiosk, payment_id: str, **options: Any) -> Answer:
    """A prepayment's create, made by hand (`send` options: extra headers...)."""
    body = prepay().model_dump_json().encode()
    return send(center, kiosk, "POST", "/v1/payments", body, idempotency_key=payment_id, **options)


def rating_batch(kiosk_id: str, event_id: str | None = None) -> bytes:
    """An event batch that names `kiosk_id`: one rating, as a kiosk queues it."""
    event = {
        "id": event_id or str(uuid.uuid4()),
        "type": "RatingGiven",
        "aggregate_type": "session",
        "aggregate_id": new_id(),
        "sequence": 0,
        "occurred_at": dt.datetime.now(dt.UTC).isoformat(),
        "payload": {"stars": 1},
    }
    return json.dumps({"kiosk_id": kiosk_id, "events": [event]}).encode()


def payment_row(signed_center_db: Database, payment_id: str) -> PaymentRow | None:
    with signed_center_db.sessions() as session:
        return session.get(PaymentRow, payment_id)


def charged(center: RunningCenter, *payment_ids: str) -> list[str]:
    """Which of these payments' wallet orders hold money (charged, not refunded)."""
    orders = wallet_ledger(center)
    return [
        pid
        for pid in payment_ids
        if pid in orders and orders[pid]["charged"] and not orders[pid]["refunded"]
    ]


# -- one bill, one payment ----------------------------------------------------------------------


def test_eight_payments_for_one_bill_at_once_charge_it_once(
    center: RunningCenter, alice: Kiosk, mallory: Kiosk, signed_center_db: Database
) -> None:
    """A resident giving up on a slow payment and trying again, a relative paying elsewhere:
    eight creates for the same bill from two kiosks, released together at a slow wallet."""
    wallets_will(center, slow_s=1.0)
    bill = alice.client.account_bill("3201001001")
    assert len(bill.unpaid) > 1
    start = threading.Barrier(8)
    ids = [new_id() for _ in range(8)]

    def attempt(n: int) -> PaymentAnswer | CenterRejected:
        kiosk = (alice, mallory)[n % 2]
        request = arrears(bill)
        start.wait()
        try:
            return kiosk.client.pay(ids[n], request)
        except CenterRejected as refused:
            return refused

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(attempt, range(8)))
    paid = [a for a in answers if isinstance(a, PaymentAnswer) and a.status is PaymentStatus.PAID]
    refused = [a for a in answers if isinstance(a, CenterRejected)]
    assert len(paid) == 1 and len(refused) == 7, answers
    assert {(r.status, r.code) for r in refused} <= {
        (409, "bill_in_payment"),
        (409, "already_paid"),
    }
    assert any(r.code == "bill_in_payment" for r in refused)
    assert charged(center, *ids) == [paid[0].payment_id]
    assert paid[0].receipt is not None
    assert [p.period for p in paid[0].receipt.periods] == [u.period for u in bill.unpaid]
    assert alice.client.account_bill("3201001001").unpaid == []
    assert book_problems(signed_center_db) == []


def test_a_second_payment_while_the_first_waits_for_the_password_is_refused_at_once(
    center: RunningCenter, alice: Kiosk, mallory: Kiosk
) -> None:
    wallets_will(center, "userpaying_success", after_s=1.0)
    bill = alice.client.account_bill("3201001004")
    first = new_id()
    assert alice.client.pay(first, arrears(bill)).status is PaymentStatus.PAYING
    began = time.monotonic()
    assert refusal(mallory.client.pay, new_id(), arrears(bill)) == (409, "bill_in_payment")
    assert time.monotonic() - began < 2.0  # at once, not after the first payment ends
    assert refusal(alice.client.pay, new_id(), arrears(bill)) == (409, "bill_in_payment")
    time.sleep(1.2)
    assert alice.client.query_payment(first).status is PaymentStatus.PAID
    assert refusal(mallory.client.pay, new_id(), arrears(bill)) == (409, "already_paid")
    assert charged(center, first) == [first]


def test_a_declined_payment_frees_its_bill(center: RunningCenter, alice: Kiosk, mallory: Kiosk):
    wallets_will(center, "insufficient_funds")
    bill = alice.client.account_bill("3201001003")
    declined = alice.client.pay(new_id(), arrears(bill))
    assert (declined.status, declined.reason) == (PaymentStatus.FAILED, "insufficient_funds")
    assert mallory.client.pay(new_id(), arrears(bill)).status is PaymentStatus.PAID


def test_a_closed_qr_frees_its_bill(center: RunningCenter, alice: Kiosk, mallory: Kiosk) -> None:
    bill = alice.client.account_bill("3201001005")
    shown = new_id()
    qr = alice.client.pay(shown, arrears(bill, PaymentMethod.NATIVE))
    assert qr.status is PaymentStatus.WAITING and qr.code_url
    assert refusal(mallory.client.pay, new_id(), arrears(bill)) == (409, "bill_in_payment")
    assert alice.client.close_payment(shown).status is PaymentStatus.CLOSED
    assert mallory.client.pay(new_id(), arrears(bill)).status is PaymentStatus.PAID


def test_a_refund_frees_its_bill(center: RunningCenter, alice: Kiosk, mallory: Kiosk) -> None:
    bill = alice.client.account_bill("3201001008")
    first = new_id()
    assert alice.client.pay(first, arrears(bill)).status is PaymentStatus.PAID
    assert refusal(mallory.client.pay, new_id(), arrears(bill)) == (409, "already_paid")
    undone = alice.client.reverse_payment(first)
    assert undone.status is PaymentStatus.REVERSED and undone.refunded
    assert alice.client.account_bill("3201001008").total_due == bill.total_due
    again = new_id()
    assert mallory.client.pay(again, arrears(bill)).status is PaymentStatus.PAID
    assert charged(center, first, again) == [again]


def test_a_payment_its_kiosk_abandoned_is_settled_by_the_center_to_free_the_bill(
    center: RunningCenter, alice: Kiosk, mallory: Kiosk, signed_center_db: Database
) -> None:
    """Alice's kiosk died twenty minutes ago with a payment on the resident's phone: another
    kiosk may still take the bill. The center asks the wallet and reverses, as alice would."""
    wallets_will(center, "userpaying_forever")
    bill = alice.client.account_bill("3201001009")
    stranded = new_id()
    assert alice.client.pay(stranded, arrears(bill)).status is PaymentStatus.PAYING
    assert refusal(mallory.client.pay, new_id(), arrears(bill)) == (409, "bill_in_payment")
    with signed_center_db.sessions.begin() as session:
        session.execute(
            update(PaymentRow)
            .where(PaymentRow.id == stranded)
            .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20))
        )
    taken = new_id()
    assert mallory.client.pay(taken, arrears(bill)).status is PaymentStatus.PAID
    assert alice.client.query_payment(stranded).status in (
        PaymentStatus.CLOSED,
        PaymentStatus.REVERSED,
    )
    assert charged(center, stranded, taken) == [taken]


def test_a_receipt_lists_only_what_its_own_payment_wrote_off(
    center: RunningCenter, alice: Kiosk, signed_center_db: Database
) -> None:
    """A bill found paid another way (at the counter) while the resident typed the password:
    the receipt does not list it as paid by this payment; its money went to the balance."""
    wallets_will(center, "userpaying_success", after_s=0.5)
    bill = alice.client.account_bill("3201001031")
    assert len(bill.unpaid) >= 2
    payment_id = new_id()
    assert alice.client.pay(payment_id, arrears(bill)).status is PaymentStatus.PAYING
    counter = bill.unpaid[0]
    with signed_center_db.sessions.begin() as session:
        session.execute(
            update(BillRow)
            .where(BillRow.account_number == "3201001031", BillRow.period == counter.period)
            .values(paid=True)
        )
    time.sleep(0.6)
    answer = alice.client.query_payment(payment_id)
    assert answer.status is PaymentStatus.PAID and answer.receipt is not None
    facts = answer.receipt
    assert [p.period for p in facts.periods] == [u.period for u in bill.unpaid[1:]]
    assert facts.to_balance == counter.amount + counter.late_fee
    assert facts.amount + facts.late_fee + facts.to_balance == facts.total == bill.total_due
    job = receipt_job(
        facts,
        payment_id=payment_id,
        reference="X",
        wallet="wechat",
        transaction_id=answer.transaction_id or "",
        paid_at=answer.paid_at or dt.datetime.now(dt.UTC),
        invoice=answer.invoice,
        kiosk_id=alice.id,
        station_name="钟灵街营业基站",
    )
    paper = "\n".join(getattr(line, "text", "") for line in job.lines)
    assert "To balance" in paper and counter.period not in paper
    assert all(u.period in paper for u in bill.unpaid[1:])


# -- who is asking ------------------------------------------------------------------------------


@pytest.mark.parametrize("header", SINGLE_HEADERS)
def test_a_repeated_identity_or_signature_header_is_refused(
    center: RunningCenter, alice: Kiosk, mallory: Kiosk, signed_center_db: Database, header: str
) -> None:
    """Mallory signs as herself and repeats a header with alice's values: whichever copy a
    check or a route would read, the request is refused before either looks."""
    second = {"X-Kiosk-Id": alice.id, "X-Key-Id": alice.credentials.key_id}.get(header, new_id())
    # Authorization is the one header a signed request does not carry already: send it twice.
    repeat = ((header, new_id()),) if header == "Authorization" else ()
    payment_id = new_id()
    answer = send_prepay(center, mallory, payment_id, extra=(*repeat, (header, second)))
    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"] == "repeated_header"
    assert payment_row(signed_center_db, payment_id) is None


def test_the_attack_as_found_another_kiosks_id_before_ones_own(
    center: RunningCenter, alice: Kiosk, mallory: Kiosk, signed_center_db: Database
) -> None:
    """As it was found: X-Kiosk-Id twice, alice's first and mallory's (signed) last. The check
    read the last copy and the routes the first, so mallory's events were stored as alice's."""
    event_id = str(uuid.uuid4())
    answer = send(
        center,
        mallory,
        "POST",
        "/v1/events",
        rating_batch(alice.id, event_id),
        before=(("X-Kiosk-Id", alice.id),),
    )
    assert (answer.status, answer.body["error"]["code"]) == (400, "repeated_header")
    with signed_center_db.sessions() as session:
        assert session.get(ReceivedEventRow, event_id) is None


def test_the_unrepeated_request_is_served(
    center: RunningCenter, mallory: Kiosk, signed_center_db: Database
):
    """The same hand-made request without a repeat: the refusals above are the repeat's."""
    payment_id = new_id()
    answer = send_prepay(center, mallory, payment_id)
    assert answer.status == 200 and answer.body["status"] == "paid"
    row = payment_row(signed_center_db, payment_id)
    assert row is not None and row.kiosk_id == mallory.id


def test_a_kiosk_cannot_speak_for_another(
    center: RunningCenter, alice: Kiosk, mallory: Kiosk, signed_center_db: Database
) -> None:
    """Mallory's signed events and heartbeat naming alice are refused; alice's lock is neither
    handed to mallory nor acknowledged by her."""
    answer = send(center, mallory, "POST", "/v1/events", rating_batch(alice.id))
    assert (answer.status, answer.body["error"]["code"]) == (403, "kiosk_mismatch")
    command_id = str(uuid.uuid4())
    with signed_center_db.sessions.begin() as session:
        session.add(
            RemoteCommandRow(
                id=command_id,
                kiosk_id=alice.id,
                kind="lock",
                message_zh="设备维护中",
                message_en="Under maintenance",
                status="pending",
                issued_at=dt.datetime.now(dt.UTC),
            )
        )
    beat = {
        "kiosk_id": alice.id,
        "sent_at": dt.datetime.now(dt.UTC).isoformat(),
        "health": {"versions": {"app": "x", "protocol": "1", "config_hash": "0"}},
    }
    answer = send(center, mallory, "POST", "/v1/heartbeat", json.dumps(beat).encode())
    assert (answer.status, answer.body["error"]["code"]) == (403, "kiosk_mismatch")
    own = send(
        center,
        mallory,
        "POST",
        "/v1/heartbeat",
        json.dumps({**beat, "kiosk_id": mallory.id}).encode(),
    )
    assert own.status == 200 and own.body["commands"] == []
    ack = {"status": "done", "done_at": dt.datetime.now(dt.UTC).isoformat()}
    answer = send(
        center, mallory, "POST", f"/v1/commands/{command_id}/ack", json.dumps(ack).encode()
    )
    unknown = send(
        center, mallory, "POST", f"/v1/commands/{uuid.uuid4()}/ack", json.dumps(ack).encode()
    )
    assert answer.status == unknown.status == 404
    assert answer.body["error"]["code"] == unknown.body["error"]["code"] == "command_not_found"
    with signed_center_db.sessions() as session:
        assert session.get(RemoteCommandRow, command_id).status == "pending"
    theirs = send(center, alice, "POST", "/v1/heartbeat", json.dumps(beat).encode())
    assert [c["id"] for c in theirs.body["commands"]] == [command_id]


# -- whose payment ------------------------------------------------------------------------------


def test_another_kiosks_payment_is_answered_as_an_unknown_one(
    center: RunningCenter, alice: Kiosk, mallory: Kiosk, signed_center_db: Database
) -> None:
    mine = new_id()
    paid = alice.client.pay(mine, prepay("30.00"))
    assert paid.status is PaymentStatus.PAID and paid.receipt is not None
    with signed_center_db.sessions() as session:
        credited = session.get(PaymentRow, mine).credited
    unknown = new_id()

    def as_mallory(method: str, suffix: str, payment_id: str) -> Answer:
        return send(center, mallory, method, f"/v1/payments/{payment_id}{suffix}")

    def same(theirs: Answer, never_seen: Answer) -> None:
        assert theirs.status == never_seen.status
        if isinstance(theirs.body, dict) and "payment_id" in theirs.body:
            assert theirs.body["payment_id"] == mine
            theirs.body["payment_id"] = never_seen.body["payment_id"]
        assert theirs.body == never_seen.body

    same(as_mallory("GET", "", mine), as_mallory("GET", "", unknown))
    assert as_mallory("GET", "", mine).status == 404
    reversed_ = as_mallory("POST", "/reverse", mine)
    same(reversed_, as_mallory("POST", "/reverse", new_id()))
    assert (reversed_.body["status"], reversed_.body["reason"]) == ("closed", "not_found")
    same(as_mallory("POST", "/close", mine), as_mallory("POST", "/close", new_id()))
    # After mallory's reverse, her own query of the id answers her tombstone, as for any id
    # she reversed unseen; alice's payment is untouched.
    same(as_mallory("GET", "", mine), as_mallory("GET", "", as_mallory_reversed(center, mallory)))
    again = alice.client.query_payment(mine)
    assert again.status is PaymentStatus.PAID and not again.refunded
    assert again.receipt == paid.receipt
    assert charged(center, mine) == [mine]
    with signed_center_db.sessions() as session:
        row = session.get(PaymentRow, mine)
        assert row.written_off and row.credited == credited and row.kiosk_id == alice.id
    # Her own reverse still works: mallory's tombstone is hers alone.
    undone = alice.client.reverse_payment(mine)
    assert undone.status is PaymentStatus.REVERSED and undone.refunded
    assert charged(center, mine) == []


def as_mallory_reversed(center: RunningCenter, mallory: Kiosk) -> str:
    """An id mallory reversed before anyone made it: her query of it answers her tombstone."""
    payment_id = new_id()
    send(center, mallory, "POST", f"/v1/payments/{payment_id}/reverse")
    return payment_id


def test_another_kiosks_payment_id_cannot_be_created_or_replayed(
    center: RunningCenter, alice: Kiosk, mallory: Kiosk, signed_center_db: Database
) -> None:
    """A QR order's body is easy to guess: mallory sending it under alice's id gets neither
    alice's answer (her QR) nor a payment of her own under that id."""
    shown = new_id()
    request = prepay("40.00", PaymentMethod.NATIVE)
    qr = alice.client.pay(shown, request)
    assert qr.status is PaymentStatus.WAITING and qr.code_url
    assert refusal(mallory.client.pay, shown, request) == (409, "payment_id_taken")
    with pytest.raises(PaymentNotFound):
        mallory.client.query_payment(shown)
    assert alice.client.pay(shown, request) == qr  # alice's own key still replays her answer
    with signed_center_db.sessions() as session:
        keys = session.scalars(select(IdempotencyKeyRow).where(IdempotencyKeyRow.key == shown))
        assert sorted(k.kiosk_id for k in keys) == [alice.id, mallory.id]
    assert alice.client.close_payment(shown).status is PaymentStatus.CLOSED


# -- what is signed -----------------------------------------------------------------------------


def test_an_idempotency_key_swapped_in_transit_is_refused(
    center: RunningCenter, alice: Kiosk, signed_center_db: Database
) -> None:
    signed_for, swapped_to = new_id(), new_id()
    body = prepay().model_dump_json().encode()
    answer = send(
        center,
        alice,
        "POST",
        "/v1/payments",
        body,
        idempotency_key=swapped_to,
        signed_key=signed_for,
    )
    assert (answer.status, answer.body["error"]["code"]) == (401, "bad_signature")
    stripped = send(center, alice, "POST", "/v1/payments", body, idempotency_key=swapped_to,
                    signed_key="")  # fmt: skip
    assert (stripped.status, stripped.body["error"]["code"]) == (401, "bad_signature")
    for payment_id in (signed_for, swapped_to):
        assert payment_row(signed_center_db, payment_id) is None
    with signed_center_db.sessions() as session:
        keys = session.scalars(
            select(IdempotencyKeyRow).where(IdempotencyKeyRow.key.in_([signed_for, swapped_to]))
        )
        assert list(keys) == []
    assert charged(center, signed_for, swapped_to) == []


def test_a_kiosk_that_signed_with_scheme_2_is_never_served_scheme_1(
    center: RunningCenter, alice: Kiosk
) -> None:
    """Stripping X-Signature-Version cannot downgrade a request (the tag line differs), and
    alice, who signs with scheme 2, is refused scheme 1 even while scheme 1 is accepted."""
    assert alice.client.health() and alice.client.account_bill(PREPAY_ACCOUNT)
    old = send(center, alice, "GET", f"/v1/accounts/{PREPAY_ACCOUNT}", scheme=SCHEME_1)
    assert (old.status, old.body["error"]["code"]) == (401, "old_signature")


def test_scheme_1_is_served_until_its_last_day_and_never_after_scheme_2(
    signed_center_db: Database,
) -> None:
    """The transition of docs/protocol.md, on the center's clock: an old kiosk is served up to
    the last day, refused the day after, and refused at once after it signed with scheme 2."""
    last = dt.date(2027, 3, 31)
    kiosk_id = f"old-{new_id()[:8]}"
    token = issue_enrolment_token(signed_center_db.sessions, kiosk_id, dt.datetime.now(dt.UTC))
    key = enrol_kiosk(signed_center_db.sessions, EnrolmentRequest(kiosk_id=kiosk_id, token=token),
                      dt.datetime.now(dt.UTC))  # fmt: skip
    secret = base64.b64decode(key.secret)

    def check(day: dt.date, scheme: int, until: dt.date | None = last) -> str:
        moment = dt.datetime.combine(day, dt.time(23, 59), dt.UTC).timestamp()
        signed = SignedRequest(
            "GET", "/v1/reference", int(moment), new_id(), b"", kiosk_id=kiosk_id,
            key_id=key.key_id,
        )  # fmt: skip
        headers = signature_headers(secret, signed)
        if scheme == SCHEME_1:
            del headers[VERSION_HEADER]
            headers["X-Signature"] = sign(secret, signed, SCHEME_1)
        verifier = SignatureCheck(
            signed_center_db.sessions, scheme_1_until=until, clock=lambda: moment
        )
        lowered = {name.lower(): value for name, value in headers.items()}
        try:
            verifier.check("GET", "/v1/reference", lowered, b"")
        except Refusal as refused:
            return refused.code
        return "served"

    assert check(last, SCHEME_1) == "served"
    assert check(last + dt.timedelta(days=1), SCHEME_1) == "old_signature"
    assert check(dt.date(2026, 12, 1), SCHEME_1, until=None) == "old_signature"
    assert check(last + dt.timedelta(days=1), 2) == "served"
    assert check(last, SCHEME_1) == "old_signature"  # it signed with scheme 2 once


# -- money on the wire --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    ["1e2", "１００.００", "1_0.00", "100", "20.5", "+20.00", " 20.00", "20.00 ", "0x14", 100, 20.0,
     "NaN", "Infinity", "-20.00", "0.00", "20.001", True, None],
)  # fmt: skip
def test_money_in_any_but_the_canonical_form_is_refused(
    center: RunningCenter, alice: Kiosk, signed_center_db: Database, amount: Any
) -> None:
    payment_id = new_id()
    body = {**json.loads(prepay().model_dump_json()), "amount": amount}
    answer = send(
        center, alice, "POST", "/v1/payments", json.dumps(body).encode(), idempotency_key=payment_id
    )
    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "invalid_request"
    assert payment_row(signed_center_db, payment_id) is None and charged(center, payment_id) == []


@pytest.mark.parametrize("amount", ["999999999999.99", "5000.01", "9.99", "0.01"])
def test_a_prepayment_beyond_the_utilitys_limits_is_refused(
    center: RunningCenter, alice: Kiosk, signed_center_db: Database, amount: str
) -> None:
    payment_id = new_id()
    assert refusal(alice.client.pay, payment_id, prepay(amount)) == (422, "amount_out_of_range")
    assert payment_row(signed_center_db, payment_id) is None and charged(center, payment_id) == []


def test_a_prepayment_at_the_limits_is_taken(center: RunningCenter, alice: Kiosk) -> None:
    assert alice.client.pay(new_id(), prepay("10.00")).status is PaymentStatus.PAID
    largest = new_id()  # above 1000 yuan the wallet asks the resident for the password
    assert alice.client.pay(largest, prepay("5000.00")).status is PaymentStatus.PAYING
    assert alice.client.reverse_payment(largest).status is PaymentStatus.CLOSED


# -- the books ----------------------------------------------------------------------------------


def test_the_books_balance_after_all_of_it(
    signed_center_db: Database, center: RunningCenter
) -> None:
    """Run last in this module: wallet charges are exactly the paid payments, each bill period
    is written off by one payment, and no bill is held by a payment that has ended."""
    assert wallet_ledger(center)
    assert book_problems(signed_center_db) == []
