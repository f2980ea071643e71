"""Request signing in protocol v1: HMAC-SHA256 over a canonical string (docs/protocol.md).

Pure functions both ends share: the kiosk signs every request with its secret, the center
recomputes the signature and compares in constant time. Nothing here reads a clock or makes a
nonce: the caller passes them in, so a test vector is reproducible byte for byte.

The canonical string is five lines joined by "\\n", with no trailing newline:

    METHOD            upper case, e.g. POST
    path?query        as sent on the wire, e.g. /v1/payments/abc/reverse
    timestamp         UTC seconds since the epoch, decimal
    nonce             the request's random nonce
    body hash         hex SHA-256 of the body bytes (of b"" when there is none)
"""

from __future__ import annotations

import base64
import hashlib
import hmac

KIOSK_ID_HEADER = "X-Kiosk-Id"
KEY_ID_HEADER = "X-Key-Id"
TIMESTAMP_HEADER = "X-Timestamp"
NONCE_HEADER = "X-Nonce"
SIGNATURE_HEADER = "X-Signature"
SIGNED_HEADERS = (
    KIOSK_ID_HEADER,
    KEY_ID_HEADER,
    TIMESTAMP_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
)
# How far a request's timestamp may be from the center's clock, either way.
DEFAULT_WINDOW_SECONDS = 300
SECRET_BYTES = 32


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical_string(method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    """What is signed. `path` includes the query string ("/v1/x?since=3"), as on the wire."""
    return "\n".join((method.upper(), path, str(timestamp), nonce, body_hash(body)))


def sign(secret: bytes, method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, canonical string))."""
    canonical = canonical_string(method, path, timestamp, nonce, body).encode("utf-8")
    digest = hmac.new(secret, canonical, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(
    secret: bytes,
    signature: str,
    method: str,
    path: str,
    timestamp: int,
    nonce: str,
    body: bytes,
) -> bool:
    """True when `signature` is the one `secret` makes for this request (constant time)."""
    expected = sign(secret, method, path, timestamp, nonce, body)
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace"))


def signature_headers(
    kiosk_id: str,
    key_id: str,
    secret: bytes,
    method: str,
    path: str,
    body: bytes,
    *,
    timestamp: int,
    nonce: str,
) -> dict[str, str]:
    """The five headers that sign one request."""
    return {
        KIOSK_ID_HEADER: kiosk_id,
        KEY_ID_HEADER: key_id,
        TIMESTAMP_HEADER: str(timestamp),
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign(secret, method, path, timestamp, nonce, body),
    }
