"""Request signing (sync.protocol.signing) against the worked vector of docs/protocol.md, and
the kiosk's credentials file."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from sync.credentials import Credentials, CredentialsError, load_credentials, save_credentials
from sync.protocol.signing import (
    SCHEME_1,
    SCHEME_2,
    SignedRequest,
    body_hash,
    canonical_string,
    sign,
    signature_headers,
    verify,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"

# The worked test vector of scheme 2, as docs/protocol.md gives it: a QR payment's create.
SECRET = bytes(range(32))
BODY = (
    b'{"account_number":"3201000002","purpose":"prepay","amount":"20.00","periods":[],'
    b'"method":"native","wallet":"wechat","payment_code":null}'
)
REQUEST = SignedRequest(
    method="POST",
    path="/v1/payments",
    timestamp=1767225600,
    nonce="6f1c8a2d9b7e4f30a5c1d2e3f4a5b6c7",
    body=BODY,
    kiosk_id="demo-kiosk-01",
    key_id="k-0123456789abcdef",
    idempotency_key="0f1e2d3c4b5a69788796a5b4c3d2e1f0",
)
BODY_HASH = "5a12ea600e14006cd1327087c214ff8d09339d8d5ce43e518fab119b42ccf238"
CANONICAL = (
    "KIOSK-HMAC-SHA256-2\nPOST\n/v1/payments\n1767225600\n6f1c8a2d9b7e4f30a5c1d2e3f4a5b6c7\n"
    "demo-kiosk-01\nk-0123456789abcdef\n0f1e2d3c4b5a69788796a5b4c3d2e1f0\n"
    "5a12ea600e14006cd1327087c214ff8d09339d8d5ce43e518fab119b42ccf238"
)
SIGNATURE = "tQObp5y6qtfNvOXtI9JMhodTv3C3reEgqsLNiBVhOxE="
EMPTY_BODY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
# Scheme 1's vector, kept while scheme 1 is still accepted.
V1_REQUEST = SignedRequest(
    "POST", "/v1/events", 1767225600, "6f1c8a2d9b7e4f30a5c1d2e3f4a5b6c7",
    b'{"kiosk_id":"demo-kiosk-01","events":[]}',
)  # fmt: skip
V1_CANONICAL = (
    "POST\n/v1/events\n1767225600\n6f1c8a2d9b7e4f30a5c1d2e3f4a5b6c7\n"
    "9048eead52921430247bcc39bd7b628a2b88a81426cdda33bfb2d35428597e20"
)
V1_SIGNATURE = "N6FpcBwkChBVKdamYK4soaMSWNGxwQYKuBy8VxQpYhs="


def test_the_worked_vector_byte_for_byte() -> None:
    assert body_hash(BODY) == BODY_HASH
    assert canonical_string(REQUEST) == CANONICAL
    assert sign(SECRET, REQUEST) == SIGNATURE
    assert body_hash(b"") == EMPTY_BODY_HASH


def test_the_scheme_1_vector_still_holds() -> None:
    assert canonical_string(V1_REQUEST, SCHEME_1) == V1_CANONICAL
    assert sign(SECRET, V1_REQUEST, SCHEME_1) == V1_SIGNATURE


def test_the_document_gives_the_same_vectors() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert f"```\n{CANONICAL}\n```" in doc
    assert f"`{SIGNATURE}`" in doc
    assert f"`{BODY.decode()}`" in doc
    assert SECRET.hex() in doc and f"`{REQUEST.timestamp}`" in doc and f"`{REQUEST.nonce}`" in doc
    assert f"`{REQUEST.idempotency_key}`" in doc and f"`{REQUEST.key_id}`" in doc
    assert f"`{EMPTY_BODY_HASH}`" in doc
    assert f"```\n{V1_CANONICAL}\n```" in doc and f"`{V1_SIGNATURE}`" in doc


def test_the_method_is_signed_in_upper_case() -> None:
    lower = SignedRequest(**{**_fields(REQUEST), "method": "post"})
    assert canonical_string(lower) == CANONICAL


def _fields(request: SignedRequest) -> dict:
    return {name: getattr(request, name) for name in SignedRequest.__slots__}


@pytest.mark.parametrize(
    "change",
    [
        {"method": "PUT"},
        {"path": "/v1/payments?x=1"},
        {"timestamp": REQUEST.timestamp + 1},
        {"nonce": REQUEST.nonce[:-1] + "8"},
        {"body": BODY.replace(b"20.00", b"21.00")},
        {"kiosk_id": "demo-kiosk-02"},
        {"key_id": "k-0123456789abcdee"},
        {"idempotency_key": "1f1e2d3c4b5a69788796a5b4c3d2e1f0"},
        {"idempotency_key": ""},
    ],
    ids=lambda change: f"{next(iter(change))}={next(iter(change.values()))!s:.12}",
)
def test_any_change_breaks_the_signature(change: dict) -> None:
    assert verify(SECRET, SIGNATURE, REQUEST)
    assert not verify(SECRET, SIGNATURE, SignedRequest(**{**_fields(REQUEST), **change}))
    assert not verify(bytes(range(1, 33)), SIGNATURE, REQUEST)


def test_a_scheme_2_signature_is_no_scheme_1_signature() -> None:
    """Nobody can strip the version header and pass a scheme-2 signature off as scheme 1."""
    assert not verify(SECRET, SIGNATURE, REQUEST, SCHEME_1)
    assert not verify(SECRET, sign(SECRET, REQUEST, SCHEME_1), REQUEST, SCHEME_2)


def test_a_malformed_signature_is_refused_not_raised() -> None:
    for junk in ("", "not base64 at all", "é" * 44, SIGNATURE[:-2]):
        assert not verify(SECRET, junk, REQUEST)


def test_the_headers_carry_the_signature_and_its_scheme() -> None:
    assert signature_headers(SECRET, REQUEST) == {
        "X-Kiosk-Id": "demo-kiosk-01",
        "X-Key-Id": "k-0123456789abcdef",
        "X-Timestamp": "1767225600",
        "X-Nonce": REQUEST.nonce,
        "X-Signature-Version": "2",
        "X-Signature": SIGNATURE,
    }


def test_credentials_round_trip_in_a_file_only_its_owner_reads(tmp_path: Path) -> None:
    path = tmp_path / "etc" / "credentials.json"
    credentials = Credentials("station-7", "k-0123", SECRET)
    save_credentials(path, credentials)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_credentials(path) == credentials
    assert base64.b64encode(SECRET).decode() in path.read_text()
    # Saved again (a new enrolment): replaced, still 0600, no temporary file left behind.
    save_credentials(path, Credentials("station-7", "k-0124", bytes(32)))
    assert load_credentials(path).key_id == "k-0124"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["credentials.json"]


def test_the_secret_is_not_in_a_repr() -> None:
    shown = repr(Credentials("station-7", "k-0123", SECRET))
    assert "station-7" in shown and "secret" not in shown and str(SECRET) not in shown


def test_credentials_readable_by_others_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    save_credentials(path, Credentials("station-7", "k-0123", SECRET))
    path.chmod(0o644)
    with pytest.raises(CredentialsError, match="chmod 600"):
        load_credentials(path)


@pytest.mark.parametrize(
    "text",
    ['{"kiosk_id": "a", "key_id": "k"}', "not json", '{"kiosk_id": "a", "key_id": "k", '
     '"secret": "!!"}', '{"kiosk_id": "a", "key_id": "k", "secret": "AAAA"}'],
)  # fmt: skip
def test_malformed_credentials_are_refused_without_echoing_them(tmp_path: Path, text: str) -> None:
    path = tmp_path / "credentials.json"
    path.write_text(text)
    path.chmod(0o600)
    with pytest.raises(CredentialsError) as refused:
        load_credentials(path)
    assert text not in str(refused.value)


def test_missing_credentials_say_how_to_enrol(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError, match="kiosk enroll"):
        load_credentials(tmp_path / "nothing.json")
