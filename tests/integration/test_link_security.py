"""Security of the kiosk-center link against the real center over loopback: enrolment, signed
requests, each kind of forged or stale request refused, revocation, TLS with a CA bundle."""

from __future__ import annotations

import datetime as dt
import ipaddress
import stat
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import func, select

from center import cli as center_cli
from center.database import Database, SeenNonceRow, open_database
from center.kiosk_auth import NonceBook, issue_enrolment_token
from center.server import RunningCenter, serve_center
from kiosk import cli as kiosk_cli
from kiosk.bootstrap import KioskStartError, build_center_client
from kiosk.config import load_config
from kiosk.embedded_center import EmbeddedCenter
from sync.client import CenterClient, PlainHttpRefused
from sync.credentials import Credentials, load_credentials
from sync.protocol import EventBatch, EventEnvelope, PaymentMethod, PaymentRequest, PaymentStatus
from sync.protocol.errors import CenterRejected, CenterUnreachable
from sync.protocol.signing import SignedRequest, signature_headers
from tests.support.center import DEMO_TODAY, enrol

ACCOUNT = "3201000001"
PREPAY_ACCOUNT = "3201000002"


@pytest.fixture(scope="module")
def center(signed_center: RunningCenter) -> RunningCenter:
    """A center requiring signatures, on SQLite and on PostgreSQL (tests/support/center.py)."""
    return signed_center


@pytest.fixture(scope="module")
def center_db(signed_center_db: Database) -> Database:
    return signed_center_db


@pytest.fixture(scope="module")
def credentials(center: RunningCenter, center_db: Database) -> Credentials:
    return enrol(center, center_db, "kiosk-signed")


def refusal(error: pytest.ExceptionInfo[CenterRejected]) -> tuple[int, str]:
    return error.value.status, error.value.code


def raw_post(
    center: RunningCenter,
    credentials: Credentials,
    path: str,
    body: bytes,
    *,
    sent_body: bytes | None = None,
    nonce: str | None = None,
) -> requests.Response:
    """A signed POST made by hand, so a test can change what is sent after signing."""
    signed = SignedRequest(
        "POST",
        path,
        int(time.time()),
        nonce or uuid.uuid4().hex,
        body,
        kiosk_id=credentials.kiosk_id,
        key_id=credentials.key_id,
    )
    headers = signature_headers(credentials.secret, signed)
    headers["Content-Type"] = "application/json"
    sent = body if sent_body is None else sent_body
    return requests.post(center.url + path, data=sent, headers=headers, timeout=5)


def event_batch(kiosk_id: str, note: str = "ok") -> EventBatch:
    event = EventEnvelope(
        id=uuid.uuid4(),
        type="RatingGiven",
        aggregate_type="session",
        aggregate_id=uuid.uuid4().hex,
        sequence=0,
        occurred_at=dt.datetime.now(dt.UTC),
        payload={"stars": 5, "note": note},
    )
    return EventBatch(kiosk_id=kiosk_id, events=[event])


def prepay(code: str | None) -> PaymentRequest:
    return PaymentRequest(
        account_number=PREPAY_ACCOUNT,
        purpose="prepay",
        amount=Decimal("20.00"),
        method="code",
        wallet="wechat",
        payment_code=code,
    )


# A signed kiosk is served.


def test_a_signed_client_is_served_on_every_endpoint(
    center: RunningCenter, credentials: Credentials
) -> None:
    with CenterClient(center.url, credentials.kiosk_id, credentials=credentials) as client:
        assert client.health()
        assert client.account_bill(ACCOUNT).account.number == ACCOUNT
        assert len(client.accounts_for_id_number("320113195907050036")) == 3
        batch = event_batch(credentials.kiosk_id)
        assert [ack.status for ack in client.deliver_events(batch).results] == ["accepted"]
        assert [ack.status for ack in client.deliver_events(batch).results] == ["duplicate"]
        payment_id = uuid.uuid4().hex
        paid = client.pay(payment_id, prepay(f"13{uuid.uuid4().int % 10**16:016d}"))
        assert paid.status is PaymentStatus.PAID
        assert client.query_payment(payment_id).status is PaymentStatus.PAID
        assert client.reverse_payment(payment_id).status is PaymentStatus.REVERSED
        qr_id = uuid.uuid4().hex
        shown = client.pay(qr_id, prepay(None).model_copy(update={"method": PaymentMethod.NATIVE}))
        assert shown.status is PaymentStatus.WAITING
        assert client.close_payment(qr_id).status is PaymentStatus.CLOSED


def test_an_unsigned_request_is_refused(center: RunningCenter) -> None:
    with CenterClient(center.url, "kiosk-signed") as client:
        assert client.health()  # the health probe stays open
        with pytest.raises(CenterRejected) as error:
            client.account_bill(ACCOUNT)
    assert refusal(error) == (401, "unsigned")
    assert "X-Signature" in error.value.message


# Forged, replayed, stale: each refused.


def test_a_tampered_body_is_refused(center: RunningCenter, credentials: Credentials) -> None:
    signed = event_batch(credentials.kiosk_id, note="five stars").model_dump_json().encode()
    tampered = signed.replace(b"five stars", b"one star!!")
    answer = raw_post(center, credentials, "/v1/events", signed, sent_body=tampered)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "bad_signature"
    untouched = raw_post(center, credentials, "/v1/events", signed)
    assert untouched.status_code == 200, untouched.text


def test_a_replayed_request_is_refused(center: RunningCenter, credentials: Credentials) -> None:
    body = event_batch(credentials.kiosk_id).model_dump_json().encode()
    nonce = uuid.uuid4().hex
    first = raw_post(center, credentials, "/v1/events", body, nonce=nonce)
    again = raw_post(center, credentials, "/v1/events", body, nonce=nonce)
    assert first.status_code == 200, first.text
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "replayed"


def test_a_wrong_secret_is_refused(center: RunningCenter, credentials: Credentials) -> None:
    forged = Credentials(credentials.kiosk_id, credentials.key_id, bytes(32))
    with (
        CenterClient(center.url, forged.kiosk_id, credentials=forged) as client,
        pytest.raises(CenterRejected) as error,
    ):
        client.account_bill(ACCOUNT)
    assert refusal(error) == (401, "bad_signature")


@pytest.mark.parametrize(
    ("kiosk_id", "key_id"),
    [("kiosk-signed", "k-0000000000000000"), ("kiosk-nobody", None)],
    ids=["unknown key id", "unknown kiosk"],
)
def test_an_unknown_key_or_kiosk_is_refused(
    center: RunningCenter, credentials: Credentials, kiosk_id: str, key_id: str | None
) -> None:
    other = Credentials(kiosk_id, key_id or credentials.key_id, credentials.secret)
    with (
        CenterClient(center.url, kiosk_id, credentials=other) as client,
        pytest.raises(CenterRejected) as error,
    ):
        client.account_bill(ACCOUNT)
    assert refusal(error) == (401, "unknown_kiosk")


@pytest.mark.parametrize(("offset", "side"), [(400, "ahead of"), (-900, "behind")])
def test_a_skewed_clock_is_refused_saying_by_how_much(
    center: RunningCenter, credentials: Credentials, offset: int, side: str
) -> None:
    with (
        CenterClient(
            center.url,
            credentials.kiosk_id,
            credentials=credentials,
            clock=lambda: time.time() + offset,
        ) as client,
        pytest.raises(CenterRejected) as error,
    ):
        client.account_bill(ACCOUNT)
    assert refusal(error) == (401, "clock_skew")
    shown = int(error.value.message.split("clock is ")[1].split(" s")[0])
    assert abs(shown - abs(offset)) <= 2 and side in error.value.message


def test_a_clock_a_little_off_is_served(center: RunningCenter, credentials: Credentials) -> None:
    with CenterClient(
        center.url, credentials.kiosk_id, credentials=credentials, clock=lambda: time.time() - 200
    ) as client:
        assert client.account_bill(ACCOUNT).account.number == ACCOUNT


def test_a_kiosk_cannot_deliver_another_kiosks_events(
    center: RunningCenter, credentials: Credentials
) -> None:
    with (
        CenterClient(center.url, credentials.kiosk_id, credentials=credentials) as client,
        pytest.raises(CenterRejected) as error,
    ):
        client.deliver_events(event_batch("kiosk-someone-else"))
    assert refusal(error) == (403, "kiosk_mismatch")


def test_a_revoked_kiosk_is_refused_until_enrolled_again(
    center: RunningCenter, center_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    first = enrol(center, center_db, "kiosk-revoked")
    with CenterClient(center.url, first.kiosk_id, credentials=first) as client:
        assert client.account_bill(ACCOUNT).account.number == ACCOUNT
        assert center_cli.main(["revoke", "--db", center.db_url, "--kiosk-id", first.kiosk_id]) == 0
        with pytest.raises(CenterRejected) as error:
            client.account_bill(ACCOUNT)
    assert refusal(error) == (403, "kiosk_revoked")
    assert center_cli.main(["revoke", "--db", center.db_url, "--kiosk-id", "kiosk-never"]) == 1
    assert "no enrolled kiosk kiosk-never" in capsys.readouterr().err

    again = enrol(center, center_db, "kiosk-revoked")
    assert again.key_id != first.key_id and again.secret != first.secret
    with CenterClient(center.url, again.kiosk_id, credentials=again) as client:
        assert client.account_bill(ACCOUNT).account.number == ACCOUNT
    with (
        CenterClient(center.url, first.kiosk_id, credentials=first) as client,
        pytest.raises(CenterRejected) as error,
    ):
        client.account_bill(ACCOUNT)
    assert refusal(error) == (401, "unknown_kiosk")  # the old key is gone


def test_seen_nonces_are_kept_in_the_database_and_purged_after_the_window(
    center: RunningCenter, center_db: Database, credentials: Credentials
) -> None:
    body = event_batch(credentials.kiosk_id).model_dump_json().encode()
    nonce = uuid.uuid4().hex
    assert raw_post(center, credentials, "/v1/events", body, nonce=nonce).status_code == 200
    with center_db.sessions() as session:
        row = session.get(SeenNonceRow, (credentials.kiosk_id, nonce))
    assert row is not None and row.expires_at > time.time() + 290

    # Another process's book (a second center process) sees the same nonce.
    book = NonceBook(center_db.sessions)
    assert not book.remember(credentials.kiosk_id, nonce, row.expires_at)
    assert book.remember(credentials.kiosk_id, "old-" + uuid.uuid4().hex, int(time.time()) - 1)
    purged = book.purge(time.time())
    assert purged >= 1
    with center_db.sessions() as session:
        left = session.scalar(
            select(func.count())
            .select_from(SeenNonceRow)
            .where(SeenNonceRow.expires_at < time.time())
        )
        assert left == 0
        assert session.get(SeenNonceRow, (credentials.kiosk_id, nonce)) is not None


# Enrolment through the command lines.


def site_config(tmp_path: Path, kiosk_id: str, center_url: str, **center: str) -> Path:
    lines = [f'[kiosk]\nid = "{kiosk_id}"\ndata_dir = "data"\n[center]\nurl = "{center_url}"']
    lines += [f'{name} = "{value}"' for name, value in center.items()]
    path = tmp_path / "site.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_enrolment_end_to_end_through_both_command_lines(
    center: RunningCenter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["enroll-token", "--db", center.db_url, "--kiosk-id", "station-7"]
    assert center_cli.main(command) == 0
    token = capsys.readouterr().out.strip()
    site = site_config(tmp_path, "station-7", "http://127.0.0.1:1")  # --center overrides

    enroll = ["--config", str(site), "enroll", "--center", center.url, "--token", token]
    assert kiosk_cli.main(enroll) == 0
    out = capsys.readouterr().out
    saved = tmp_path / "data" / "credentials.json"
    assert f"credentials in {saved}" in out
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    credentials = load_credentials(saved)
    assert credentials.kiosk_id == "station-7" and len(credentials.secret) == 32
    assert credentials.secret.hex() not in out

    # The kiosk as it starts: the client from its configuration signs with those credentials.
    config = load_config(site, overrides={"center": {"url": center.url}})
    with build_center_client(config) as client:
        assert client.credentials == credentials
        assert client.account_bill(ACCOUNT).account.number == ACCOUNT

    # The token was for one use.
    assert kiosk_cli.main(enroll) == 1
    assert "bad_token" in capsys.readouterr().err


def test_an_expired_or_misdirected_token_is_refused(
    center: RunningCenter, center_db: Database, tmp_path: Path
) -> None:
    now = dt.datetime.now(dt.UTC)
    expired = issue_enrolment_token(center_db.sessions, "station-8", now, dt.timedelta(seconds=-1))
    for_other = issue_enrolment_token(center_db.sessions, "station-9", now)
    with CenterClient(center.url, "station-8") as client:
        with pytest.raises(CenterRejected) as error:
            client.enroll(expired)
        assert refusal(error) == (401, "bad_token") and "expired" in error.value.message
        with pytest.raises(CenterRejected) as error:
            client.enroll(for_other)
        assert refusal(error) == (403, "token_mismatch")
        with pytest.raises(CenterRejected) as error:
            client.enroll("x" * 32)
        assert refusal(error) == (401, "bad_token")
    # The misdirected token still works for the kiosk it was made for.
    with CenterClient(center.url, "station-9") as client:
        assert client.enroll(for_other).kiosk_id == "station-9"


def test_credentials_of_another_kiosk_stop_the_start(
    tmp_path: Path, credentials: Credentials
) -> None:
    from sync.credentials import save_credentials

    save_credentials(tmp_path / "data" / "credentials.json", credentials)
    config = load_config(site_config(tmp_path, "station-other", "http://127.0.0.1:8600"))
    with pytest.raises(KioskStartError, match="enrol this kiosk again"):
        build_center_client(config)


# Transport.


def test_plain_http_is_refused_unless_on_loopback(tmp_path: Path) -> None:
    with pytest.raises(PlainHttpRefused, match=r"center\.url"):
        CenterClient("http://192.0.2.10:8600", "k")
    for url in ("http://127.0.0.1:8600", "http://localhost:8600", "http://[::1]:8600"):
        CenterClient(url, "k").close()
    CenterClient("https://center.example.org", "k").close()
    config = load_config(site_config(tmp_path, "station-7", "http://center.example.org"))
    with pytest.raises(KioskStartError, match=r"center\.url.*https"):
        build_center_client(config)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1: its own CA bundle."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test center")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "center.pem", folder / "center.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


def test_tls_is_verified_against_the_ca_bundle(
    tmp_path: Path, certificate: tuple[str, str]
) -> None:
    db_url = f"sqlite:///{tmp_path / 'center.db'}"
    with serve_center(
        db_url, today=DEMO_TODAY, require_signatures=True, certificate=certificate
    ) as center:
        assert center.url.startswith("https://127.0.0.1:")
        database = open_database(db_url)
        token = issue_enrolment_token(database.sessions, "kiosk-tls", dt.datetime.now(dt.UTC))
        database.close()
        with CenterClient(center.url, "kiosk-tls", ca_bundle=certificate[0]) as client:
            credentials = client.enroll(token)
        with CenterClient(
            center.url, "kiosk-tls", credentials=credentials, ca_bundle=certificate[0]
        ) as client:
            assert client.account_bill(ACCOUNT).account.number == ACCOUNT
        # Without the bundle the system's CAs do not know this certificate: nothing is sent.
        with (
            CenterClient(center.url, "kiosk-tls", credentials=credentials) as client,
            pytest.raises(CenterUnreachable, match="not trusted"),
        ):
            client.account_bill(ACCOUNT)


def test_the_embedded_center_of_the_demo_runs_signed(tmp_path: Path) -> None:
    with EmbeddedCenter(tmp_path / "center", today=DEMO_TODAY, signed=True) as center:
        token = center.enrolment_token("demo-kiosk-01")
        with CenterClient(center.url, "demo-kiosk-01") as client:
            credentials = client.enroll(token)
            with pytest.raises(CenterRejected) as error:
                client.account_bill(ACCOUNT)
            assert refusal(error) == (401, "unsigned")
        with CenterClient(center.url, "demo-kiosk-01", credentials=credentials) as client:
            assert client.account_bill(ACCOUNT).account.number == ACCOUNT
