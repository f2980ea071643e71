"""Request signing in protocol v1: HMAC-SHA256 over a canonical string (docs/protocol.md).

Pure functions both ends share: the kiosk signs every request with its secret, the center
recomputes the signature and compares in constant time. Nothing here reads a clock or makes a
nonce: the caller passes them in, so a test vector is reproducible byte for byte.

Scheme 2 (sent with `X-Signature-Version: 2`) signs every header that says who is asking or
which payment a request is about (kiosk, key, Idempotency-Key), so nobody between the kiosk and
the center can move a payment to another Idempotency-Key. Its canonical string is nine lines
joined by "\\n", with no trailing newline:

    KIOSK-HMAC-SHA256-2   the scheme's tag: a scheme-2 signature can never pass as scheme 1
    METHOD                upper case, e.g. POST
    path?query            as sent on the wire, e.g. /v1/payments/abc/reverse
    timestamp             UTC seconds since the epoch, decimal
    nonce                 the request's random nonce
    kiosk id              the X-Kiosk-Id value
    key id                the X-Key-Id value
    idempotency key       the Idempotency-Key value; an empty line when the request has none
    body hash             hex SHA-256 of the body bytes (of b"" when there is none)

Scheme 1 (no version header) signed only method, path, timestamp, nonce and body hash. The
center accepts it for a transition period only (center/kiosk_auth.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

KIOSK_ID_HEADER = "X-Kiosk-Id"
KEY_ID_HEADER = "X-Key-Id"
TIMESTAMP_HEADER = "X-Timestamp"
NONCE_HEADER = "X-Nonce"
SIGNATURE_HEADER = "X-Signature"
VERSION_HEADER = "X-Signature-Version"
IDEMPOTENCY_HEADER = "Idempotency-Key"
# Present on every signed request.
SIGNED_HEADERS = (
    KIOSK_ID_HEADER,
    KEY_ID_HEADER,
    TIMESTAMP_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
)
# Headers the center acts on: each may appear once in a request, never twice (a repeated one
# could be read one way by the check and another way by a route).
SINGLE_HEADERS = (*SIGNED_HEADERS, VERSION_HEADER, IDEMPOTENCY_HEADER, "Authorization")
SCHEME_1, SCHEME_2 = 1, 2
CURRENT_SCHEME = SCHEME_2
SCHEME_2_TAG = "KIOSK-HMAC-SHA256-2"
# How far a request's timestamp may be from the center's clock, either way.
DEFAULT_WINDOW_SECONDS = 300
SECRET_BYTES = 32


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What a signature covers. `path` includes the query string ("/v1/x?since=3")."""

    method: str
    path: str
    timestamp: int
    nonce: str
    body: bytes
    kiosk_id: str = ""
    key_id: str = ""
    idempotency_key: str = ""  # "" when the request carries no Idempotency-Key


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical_string(request: SignedRequest, scheme: int = CURRENT_SCHEME) -> str:
    """What is signed under `scheme` (1 or 2)."""
    head = (request.method.upper(), request.path, str(request.timestamp), request.nonce)
    if scheme == SCHEME_1:
        return "\n".join((*head, body_hash(request.body)))
    if scheme != SCHEME_2:
        raise ValueError(f"no signature scheme {scheme}")
    return "\n".join(
        (
            SCHEME_2_TAG,
            *head,
            request.kiosk_id,
            request.key_id,
            request.idempotency_key,
            body_hash(request.body),
        )
    )


def sign(secret: bytes, request: SignedRequest, scheme: int = CURRENT_SCHEME) -> str:
    """base64(HMAC-SHA256(secret, canonical string))."""
    canonical = canonical_string(request, scheme).encode("utf-8")
    digest = hmac.new(secret, canonical, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(
    secret: bytes, signature: str, request: SignedRequest, scheme: int = CURRENT_SCHEME
) -> bool:
    """True when `signature` is the one `secret` makes for this request (constant time)."""
    expected = sign(secret, request, scheme)
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace"))


def signature_headers(secret: bytes, request: SignedRequest) -> dict[str, str]:
    """The headers that sign one request under the current scheme (the Idempotency-Key header,
    when there is one, is the caller's to send: it is signed here, not added)."""
    return {
        KIOSK_ID_HEADER: request.kiosk_id,
        KEY_ID_HEADER: request.key_id,
        TIMESTAMP_HEADER: str(request.timestamp),
        NONCE_HEADER: request.nonce,
        VERSION_HEADER: str(CURRENT_SCHEME),
        SIGNATURE_HEADER: sign(secret, request),
    }


def command_signature(secret: bytes, kiosk_id: str, command: Mapping[str, object]) -> str:
    """base64(HMAC-SHA256) over one remote command, for the kiosk it is for: the center signs
    what it hands over with the kiosk's own secret, the kiosk carries out only what verifies,
    so nothing between them (a proxy, a forged answer) can order a lock or a restart."""
    canonical = "\n".join(
        (
            "remote-command-v1",
            kiosk_id,
            str(command["id"]),
            str(command["kind"]),
            str(command.get("message_zh") or ""),
            str(command.get("message_en") or ""),
            str(command["issued_at"]),
        )
    ).encode("utf-8")
    return base64.b64encode(hmac.new(secret, canonical, hashlib.sha256).digest()).decode("ascii")


def command_verifies(
    secret: bytes, kiosk_id: str, command: Mapping[str, object], signature: str | None
) -> bool:
    if not signature:
        return False
    expected = command_signature(secret, kiosk_id, command)
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace"))
