"""Which kiosk is asking: enrolment, revocation, and the check of every signed request.

A kiosk is enrolled with a one-time token the operator made for its id; it gets a random
32-byte secret, answered once. From then on every /v1 request carries the headers of
sync.protocol.signing and is refused, with an ErrorBody, when:

- 400 repeated_header: an identity, signing or Idempotency-Key header is sent twice;
- 401 unsigned: a signing header is missing;
- 401 unknown_kiosk: no enrolled kiosk has that id and key id;
- 401 bad_signature: the signature does not match (a tampered body, path, timestamp or
  Idempotency-Key, a wrong secret);
- 403 kiosk_revoked: the kiosk is enrolled but revoked;
- 401 clock_skew: the timestamp is outside the window (the message says by how much);
- 401 old_signature: signed with scheme 1 after its end, or by a kiosk that signs with scheme 2;
- 401 replayed: the nonce was already seen within the window.

The signature is checked before revocation and skew are told, so only the real kiosk learns
them. Nonces live in the database, shared by every center process, and are purged once their
window has passed.

The identity the check established is the only one a route sees: the middleware leaves it in
the request's scope and a kiosk route takes it with `kiosk: SignedKiosk`. No route reads the
identity headers itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, Request, WebSocket, WebSocketException
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from center.database import (
    EnrolledKioskRow,
    EnrolmentTokenRow,
    SeenNonceRow,
    as_utc,
    write_lock,
)
from center.errors import Refusal
from sync.protocol.enrolment import ENROLL_PATH, EnrolmentAnswer, EnrolmentRequest
from sync.protocol.signing import (
    DEFAULT_WINDOW_SECONDS,
    IDEMPOTENCY_HEADER,
    KEY_ID_HEADER,
    KIOSK_ID_HEADER,
    NONCE_HEADER,
    SCHEME_1,
    SCHEME_2,
    SECRET_BYTES,
    SIGNATURE_HEADER,
    SIGNED_HEADERS,
    SINGLE_HEADERS,
    TIMESTAMP_HEADER,
    VERSION_HEADER,
    SignedRequest,
    verify,
)

log = logging.getLogger(__name__)

# Under /v1 but answered unsigned: the health probe, enrolment (the kiosk has no key yet),
# and the operators' routes, which take the operator's bearer token instead (center/fleet.py).
UNSIGNED_PATHS = frozenset({"/v1/health", ENROLL_PATH})
UNSIGNED_PREFIXES = ("/v1/admin/",)
TOKEN_LIFETIME = dt.timedelta(hours=24)
# Signature scheme 1 left the Idempotency-Key unsigned. Kiosks signing with it are served until
# this day (UTC, inclusive): one quarter for a fleet to take the update (docs/protocol.md).
SCHEME_1_ACCEPTED_UNTIL = dt.date(2027, 3, 31)
# Where the middleware leaves the verified identity for the routes (an ASGI scope key).
IDENTITY_SCOPE_KEY = "kiosk.identity"
KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
PURGE_EVERY_SECONDS = 60.0


# Enrolment and revocation.


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_enrolment_token(
    sessions: sessionmaker[Session],
    kiosk_id: str,
    now: dt.datetime,
    lifetime: dt.timedelta = TOKEN_LIFETIME,
) -> str:
    """A new one-time token for `kiosk_id`; only its hash is stored."""
    # Never starting with "-": one token in 64 did, and `kiosk enroll --token TOKEN` read it
    # as an option and refused it (a flaky CI run showed it).
    token = "k" + secrets.token_urlsafe(24)
    with sessions.begin() as session:
        session.add(
            EnrolmentTokenRow(
                token_hash=_token_hash(token),
                kiosk_id=kiosk_id,
                created_at=now,
                expires_at=now + lifetime,
            )
        )
    return token


def enrol_kiosk(
    sessions: sessionmaker[Session], request: EnrolmentRequest, now: dt.datetime
) -> EnrolmentAnswer:
    """Use the token once; give the kiosk a new key (replacing any it had, revoked or not)."""
    with sessions.begin() as session:
        write_lock(session)
        token = session.get(EnrolmentTokenRow, _token_hash(request.token), with_for_update=True)
        if token is None:
            raise Refusal(401, "bad_token", "unknown enrolment token")
        if token.used_at is not None:
            raise Refusal(401, "bad_token", "this enrolment token was already used")
        if as_utc(token.expires_at) <= now:
            raise Refusal(401, "bad_token", "this enrolment token has expired")
        if token.kiosk_id != request.kiosk_id:
            raise Refusal(403, "token_mismatch", "this enrolment token was made for another kiosk")
        token.used_at = now
        secret = secrets.token_bytes(SECRET_BYTES)
        key_id = "k-" + secrets.token_hex(8)
        kiosk = session.get(EnrolledKioskRow, request.kiosk_id, with_for_update=True)
        if kiosk is None:
            kiosk = EnrolledKioskRow(kiosk_id=request.kiosk_id)
            session.add(kiosk)
        kiosk.key_id, kiosk.secret, kiosk.status = key_id, secret, "active"
        kiosk.signature_scheme = SCHEME_1  # a new key: the kiosk's software may be older
        kiosk.enrolled_at, kiosk.revoked_at = now, None
    log.info("kiosk enrolled", extra={"kiosk_id": request.kiosk_id, "key_id": key_id})
    return EnrolmentAnswer(
        kiosk_id=request.kiosk_id,
        key_id=key_id,
        secret=base64.b64encode(secret).decode("ascii"),
    )


def revoke_kiosk(sessions: sessionmaker[Session], kiosk_id: str, now: dt.datetime) -> bool:
    """Refuse the kiosk's requests from now on; False when no such kiosk is enrolled."""
    with sessions.begin() as session:
        kiosk = session.get(EnrolledKioskRow, kiosk_id)
        if kiosk is None:
            return False
        kiosk.status, kiosk.revoked_at = "revoked", now
    log.info("kiosk revoked", extra={"kiosk_id": kiosk_id})
    return True


def enrolment_routes(
    sessions: sessionmaker[Session], clock: Callable[[], dt.datetime]
) -> APIRouter:
    router = APIRouter(tags=["enrolment"])

    @router.post(ENROLL_PATH, response_model=EnrolmentAnswer)
    def enroll(request: EnrolmentRequest) -> Any:
        try:
            return enrol_kiosk(sessions, request, clock())
        except Refusal as refusal:
            return refusal.response()

    return router


# Nonces and the check of each request.


class NonceBook:
    """The nonces seen within the window, in the database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._last_purge = float("-inf")

    def remember(self, kiosk_id: str, nonce: str, expires_at: int) -> bool:
        """Record the nonce; False when it is already recorded (a replay)."""
        try:
            with self._sessions.begin() as session:
                session.add(SeenNonceRow(kiosk_id=kiosk_id, nonce=nonce, expires_at=expires_at))
        except IntegrityError:
            return False
        return True

    def purge(self, now: float) -> int:
        """Forget the nonces whose window has passed; returns how many."""
        with self._sessions.begin() as session:
            result = session.execute(delete(SeenNonceRow).where(SeenNonceRow.expires_at < now))
        return int(getattr(result, "rowcount", 0) or 0)

    def purge_now_and_then(self, now: float) -> None:
        with self._lock:
            if now - self._last_purge < PURGE_EVERY_SECONDS:
                return
            self._last_purge = now
        self.purge(now)


@dataclass(frozen=True, slots=True)
class KioskIdentity:
    """Who is asking, as the verifier established it: the only source of a route's kiosk id."""

    kiosk_id: str


class SignatureCheck:
    """Decides whether one request comes from an enrolled, active kiosk, now, for the first
    time. Talks to the database: run it off the event loop.

    Scheme 1 (unsigned Idempotency-Key) is accepted until `scheme_1_until` (inclusive, UTC; None:
    never) and only from a kiosk that has not yet signed with scheme 2: its first scheme-2
    request closes scheme 1 for it for good."""

    needs_body = True

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        window: int = DEFAULT_WINDOW_SECONDS,
        scheme_1_until: dt.date | None = SCHEME_1_ACCEPTED_UNTIL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._sessions = sessions
        self.window = window
        self.scheme_1_until = scheme_1_until
        self._clock = clock
        self.nonces = NonceBook(sessions)

    def check(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> KioskIdentity:
        """The kiosk the request is signed by; raises Refusal otherwise."""
        missing = [name for name in SIGNED_HEADERS if not headers.get(name.lower())]
        if missing:
            raise Refusal(401, "unsigned", "the request is not signed: no " + ", ".join(missing))
        kiosk_id = headers[KIOSK_ID_HEADER.lower()][:64]
        key_id = headers[KEY_ID_HEADER.lower()][:40]
        nonce = headers[NONCE_HEADER.lower()]
        scheme = _scheme_of(headers.get(VERSION_HEADER.lower()))
        try:
            timestamp = int(headers[TIMESTAMP_HEADER.lower()])
        except ValueError:
            raise Refusal(401, "bad_signature", f"{TIMESTAMP_HEADER} must be UTC seconds") from None
        if not 16 <= len(nonce) <= 64:
            raise Refusal(401, "bad_signature", f"{NONCE_HEADER} must have 16 to 64 characters")
        with self._sessions() as session:
            kiosk = session.get(EnrolledKioskRow, kiosk_id)
        if kiosk is None or kiosk.key_id != key_id:
            raise Refusal(401, "unknown_kiosk", f"no enrolled kiosk {kiosk_id} with key {key_id}")
        signed = SignedRequest(
            method,
            path,
            timestamp,
            nonce,
            body,
            kiosk_id=kiosk_id,
            key_id=key_id,
            idempotency_key=headers.get(IDEMPOTENCY_HEADER.lower(), ""),
        )
        if not verify(kiosk.secret, headers[SIGNATURE_HEADER.lower()], signed, scheme):
            raise Refusal(
                401,
                "bad_signature",
                "the signature does not match the request (method, path, timestamp, nonce, "
                "kiosk, key, idempotency key, body)",
            )
        if kiosk.status != "active":
            raise Refusal(403, "kiosk_revoked", f"kiosk {kiosk_id} is revoked: enrol it again")
        now = self._clock()
        skew = timestamp - int(now)
        if abs(skew) > self.window:
            side = "ahead of" if skew > 0 else "behind"
            raise Refusal(
                401,
                "clock_skew",
                f"the kiosk's clock is {abs(skew)} s {side} the center's "
                f"(at most {self.window} s allowed): set the kiosk's clock",
            )
        if scheme == SCHEME_1:
            self._allow_scheme_1(kiosk, now)
        if not self.nonces.remember(kiosk_id, nonce, timestamp + self.window + 1):
            raise Refusal(401, "replayed", "this request was already received (nonce seen)")
        if scheme > kiosk.signature_scheme:
            self._ratchet(kiosk_id, scheme)
        self.nonces.purge_now_and_then(now)
        return KioskIdentity(kiosk_id)

    def _allow_scheme_1(self, kiosk: EnrolledKioskRow, now: float) -> None:
        if kiosk.signature_scheme > SCHEME_1:
            raise Refusal(
                401,
                "old_signature",
                f"kiosk {kiosk.kiosk_id} signs with scheme {kiosk.signature_scheme}: "
                "a scheme-1 request from it is refused",
            )
        today = dt.datetime.fromtimestamp(now, dt.UTC).date()
        if self.scheme_1_until is None or today > self.scheme_1_until:
            ended = f"since {self.scheme_1_until}" if self.scheme_1_until else "on this center"
            raise Refusal(
                401,
                "old_signature",
                f"signature scheme 1 is no longer accepted ({ended}): update the kiosk",
            )
        log.warning("kiosk %s still signs with scheme 1", kiosk.kiosk_id)

    def _ratchet(self, kiosk_id: str, scheme: int) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(EnrolledKioskRow)
                .where(
                    EnrolledKioskRow.kiosk_id == kiosk_id,
                    EnrolledKioskRow.signature_scheme < scheme,
                )
                .values(signature_scheme=scheme)
            )
        log.info("kiosk %s signs with scheme %d from now on", kiosk_id, scheme)


def _scheme_of(value: str | None) -> int:
    if value is None:
        return SCHEME_1
    if value.strip() == str(SCHEME_2):
        return SCHEME_2
    raise Refusal(401, "bad_signature", f"unknown {VERSION_HEADER}: this center knows 1 and 2")


class DeclaredKiosk:
    """Development only, for a center started with --no-require-signatures: the kiosk is who
    its X-Kiosk-Id says, unchecked. No identity when the header is absent."""

    needs_body = False

    def check(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> KioskIdentity | None:
        kiosk_id = headers.get(KIOSK_ID_HEADER.lower())
        if kiosk_id is None:
            return None
        if not KIOSK_ID.fullmatch(kiosk_id):
            raise Refusal(401, "unknown_kiosk", f"{KIOSK_ID_HEADER} is not a kiosk id")
        return KioskIdentity(kiosk_id)


class Verifier(Protocol):
    needs_body: bool

    def check(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> KioskIdentity | None: ...


def is_public(path: str) -> bool:
    """Paths under /v1 that no kiosk signs: see UNSIGNED_PATHS."""
    return path.rstrip("/") in UNSIGNED_PATHS or path.startswith(UNSIGNED_PREFIXES)


class KioskRequests:
    """ASGI middleware: establishes who sends each /v1 request (but the public ones), with the
    verifier, before any route sees it, and hands that identity to the routes in the scope. A
    request repeating an identity, signing or Idempotency-Key header is refused first.

    A WebSocket handshake on a /v1 path (the video-help call socket) is checked as a signed GET
    with an empty body, with the same headers and the same refusals; a refused handshake is
    answered before it is accepted (the refusal's status and ErrorBody where the server can send
    an HTTP answer to a handshake, else a close that the client sees as 403).

    Pure ASGI rather than a BaseHTTPMiddleware: it reads the body once, hands the same bytes on
    to the application, and adds no task per request."""

    def __init__(self, app: ASGIApp, verifier: Verifier) -> None:
        self.app = app
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] not in ("http", "websocket") or not path.startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        repeated = _repeated_headers(scope["headers"])
        if repeated:
            message = "each of these headers may be sent once: " + ", ".join(repeated)
            await _refuse(Refusal(400, "repeated_header", message), scope, receive, send)
            return
        if is_public(path):
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or path.encode("utf-8")
        query = scope.get("query_string", b"")
        signed_path = (raw_path + (b"?" + query if query else b"")).decode("latin-1")
        headers = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]
        }
        method, onward = scope.get("method", "GET"), receive
        try:
            if scope["type"] == "websocket":  # a handshake: a signed GET without a body
                identity = await run_in_threadpool(
                    self.verifier.check, "GET", signed_path, headers, b""
                )
            elif self.verifier.needs_body:
                body = await _read_body(receive)
                if body is None:
                    return  # the client went away
                identity = await run_in_threadpool(
                    self.verifier.check, method, signed_path, headers, body
                )
                onward = _replaying(body, receive)
            else:
                identity = self.verifier.check(method, signed_path, headers, b"")
        except Refusal as refusal:
            await _refuse(refusal, scope, receive, send)
            return
        except Exception:
            log.exception("the signature check failed")
            failed = Refusal(500, "internal_error", "the center failed to answer")
            await _refuse(failed, scope, receive, send)
            return
        if identity is not None:
            scope[IDENTITY_SCOPE_KEY] = identity
        await self.app(scope, onward, send)


async def _refuse(refusal: Refusal, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer a refused request; a refused WebSocket handshake is never accepted: the refusal
    goes out as an HTTP answer where the server can send one (uvicorn can), else as a close
    before accept, which the server turns into 403."""
    if scope["type"] != "websocket":
        await refusal.response()(scope, receive, send)
        return
    connect = await receive()
    if connect.get("type") != "websocket.connect":
        return  # the client went away
    if "websocket.http.response" in scope.get("extensions", {}):
        await refusal.response()(scope, receive, send)  # Starlette prefixes "websocket."
    else:
        await send({"type": "websocket.close", "code": 1008, "reason": refusal.code})


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body; None when the client disconnected first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the application the body already read, then passes through."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _repeated_headers(raw: list[tuple[bytes, bytes]]) -> list[str]:
    counts = Counter(name.lower() for name, _value in raw)
    return [name for name in SINGLE_HEADERS if counts[name.lower().encode("latin-1")] > 1]


async def signed_kiosk(request: Request) -> KioskIdentity:
    """The route guard of every kiosk route: the identity the verifier established, or 401.
    Async, with no I/O: FastAPI would hand a plain function to its thread pool, one more hop
    per request."""
    identity = request.scope.get(IDENTITY_SCOPE_KEY)
    if not isinstance(identity, KioskIdentity):
        raise Refusal(401, "unsigned", "this route answers signed kiosk requests only")
    return identity


async def signed_kiosk_socket(websocket: WebSocket) -> KioskIdentity:
    """The route guard of a kiosk WebSocket: the identity the verifier established from the
    signed handshake. A socket reaching a route unsigned (only possible on a center that does
    not check signatures and was sent no X-Kiosk-Id) is closed before it is accepted."""
    identity = websocket.scope.get(IDENTITY_SCOPE_KEY)
    if not isinstance(identity, KioskIdentity):
        raise WebSocketException(code=1008, reason="unsigned")
    return identity


# What a kiosk route declares to get the asking kiosk (`kiosk: SignedKiosk`), or to admit
# signed kiosks only when it needs no identity (`dependencies=[KIOSK_ONLY]`).
SignedKiosk = Annotated[KioskIdentity, Depends(signed_kiosk)]
KIOSK_ONLY = Depends(signed_kiosk)
# What a kiosk WebSocket route declares to get the kiosk that signed its handshake.
SignedKioskSocket = Annotated[KioskIdentity, Depends(signed_kiosk_socket)]
