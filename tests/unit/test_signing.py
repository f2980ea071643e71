"""Request signing (sync.protocol.signing) against the worked vector of docs/protocol.md, and
the kiosk's credentials file."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from sync.credentials import Credentials, CredentialsError, load_credentials, save_credentials
from sync.protocol.signing import (
    body_hash,
    canonical_string,
    sign,
    signature_headers,
    verify,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"

# The worked test vector, as docs/protocol.md gives it.
SECRET = bytes(range(32))
METHOD, PATH = "POST", "/v1/events"
BODY = b'{"kiosk_id":"demo-kiosk-01","events":[]}'
TIMESTAMP = 1767225600
NONCE = "6f1c8a2d9b7e4f30a5c1d2e3f4a5b6c7"
BODY_HASH = "9048eead52921430247bcc39bd7b628a2b88a81426cdda33bfb2d35428597e20"
CANONICAL = (
    "POST\n/v1/events\n1767225600\n6f1c8a2d9b7e4f30a5c1d2e3f4a5b6c7\n"
    "9048eead52921430247bcc39bd7b628a2b88a81426cdda33bfb2d35428597e20"
)
SIGNATURE = "N6FpcBwkChBVKdamYK4soaMSWNGxwQYKuBy8VxQpYhs="
EMPTY_BODY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_the_worked_vector_byte_for_byte() -> None:
    assert body_hash(BODY) == BODY_HASH
    assert canonical_string(METHOD, PATH, TIMESTAMP, NONCE, BODY) == CANONICAL
    assert sign(SECRET, METHOD, PATH, TIMESTAMP, NONCE, BODY) == SIGNATURE
    assert body_hash(b"") == EMPTY_BODY_HASH


def test_the_document_gives_the_same_vector() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert f"```\n{CANONICAL}\n```" in doc
    assert f"`{SIGNATURE}`" in doc
    assert f"`{BODY.decode()}`" in doc
    assert SECRET.hex() in doc and f"`{TIMESTAMP}`" in doc and f"`{NONCE}`" in doc
    assert f"`{EMPTY_BODY_HASH}`" in doc


def test_the_method_is_signed_in_upper_case() -> None:
    assert canonical_string("post", PATH, TIMESTAMP, NONCE, BODY) == CANONICAL


@pytest.mark.parametrize(
    "change",
    [
        {"method": "PUT"},
        {"path": "/v1/events?x=1"},
        {"timestamp": TIMESTAMP + 1},
        {"nonce": NONCE[:-1] + "8"},
        {"body": BODY.replace(b"[]", b"[ ]")},
        {"secret": bytes(range(1, 33))},
    ],
    ids=lambda change: next(iter(change)),
)
def test_any_change_breaks_the_signature(change: dict) -> None:
    request = {
        "secret": SECRET,
        "method": METHOD,
        "path": PATH,
        "timestamp": TIMESTAMP,
        "nonce": NONCE,
        "body": BODY,
    }
    assert verify(signature=SIGNATURE, **request)
    assert not verify(signature=SIGNATURE, **{**request, **change})


def test_a_malformed_signature_is_refused_not_raised() -> None:
    for junk in ("", "not base64 at all", "é" * 44, SIGNATURE[:-2]):
        assert not verify(SECRET, junk, METHOD, PATH, TIMESTAMP, NONCE, BODY)


def test_the_headers_carry_the_signature() -> None:
    headers = signature_headers(
        "demo-kiosk-01", "k-1", SECRET, METHOD, PATH, BODY, timestamp=TIMESTAMP, nonce=NONCE
    )
    assert headers == {
        "X-Kiosk-Id": "demo-kiosk-01",
        "X-Key-Id": "k-1",
        "X-Timestamp": "1767225600",
        "X-Nonce": NONCE,
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
