"""The kiosk's HTTP client for the center (protocol v1).

Every call has a timeout and ends either in a schema-checked answer or in one of the center
port's typed errors (sync.protocol.errors), so a caller can decide: try again later, tell the
resident, or call a technician.
ID numbers and payment codes travel only in request bodies and never appear in an error message.
With credentials every request is signed (sync.protocol.signing); TLS is verified against the
configured CA bundle, and plain http is refused unless the center is on this machine.
"""

from __future__ import annotations

import base64
import copy
import ipaddress
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit
from uuid import UUID

import requests
from pydantic import BaseModel, ValidationError

from sync.credentials import Credentials
from sync.protocol import (
    AccountBill,
    AccountList,
    AccountSummary,
    ErrorBody,
    EventBatch,
    EventBatchResult,
    IdNumberQuery,
    PaymentAnswer,
    PaymentRequest,
)
from sync.protocol.business import (
    APPLICATION_NUMBER,
    APPLICATIONS_PATH,
    IDENTITY_CHECKS_PATH,
    ApplicationList,
    ApplicationProgress,
    IdentityCheckAnswer,
    IdentityCheckRequest,
    OnFile,
    OnFileQuery,
)
from sync.protocol.enrolment import ENROLL_PATH, EnrolmentAnswer, EnrolmentRequest
from sync.protocol.errors import (
    AccountNotFound,
    CenterBusy,
    CenterError,
    CenterNonsense,
    CenterRejected,
    CenterTimeout,
    CenterUnreachable,
    PaymentNotFound,
)
from sync.protocol.fleet import (
    AuditHead,
    CommandAck,
    CommandRecord,
    Heartbeat,
    HeartbeatAnswer,
    Screenshot,
    ScreenshotStored,
)
from sync.protocol.history import (
    INVOICE_TITLES_PATH,
    InvoiceTitle,
    PaymentHistory,
    Statement,
    VatRequest,
    VatRequestAnswer,
)
from sync.protocol.reference import ReferenceDocument, ReferenceIndex, ReferenceKind
from sync.protocol.signing import IDEMPOTENCY_HEADER, SignedRequest, signature_headers

Answer = TypeVar("Answer", bound=BaseModel)


class PlainHttpRefused(ValueError):
    """A center URL that would send requests in clear text across a network."""


def check_center_url(url: str) -> None:
    """https anywhere; plain http only to a loopback address (demo, tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and _is_loopback(parts.hostname or ""):
        return
    raise PlainHttpRefused(
        f"center.url = {url!r}: the center must be reached over https:// (verified against "
        "center.ca_bundle); plain http is allowed only to a loopback address"
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class CenterClient:
    """Talks to one center as one kiosk. Safe to share between threads: each thread gets its
    own `requests.Session` (a Session is not thread-safe).

    With `credentials`, every request is signed. `ca_bundle` is the CA file the center's
    certificate is verified against (None: the system's CAs). `clock` gives UTC seconds."""

    def __init__(
        self,
        base_url: str,
        kiosk_id: str,
        timeout: float = 8.0,
        *,
        credentials: Credentials | None = None,
        ca_bundle: Path | str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        check_center_url(base_url)
        if credentials is not None and credentials.kiosk_id != kiosk_id:
            raise ValueError(
                f"the credentials are for kiosk {credentials.kiosk_id!r}, not {kiosk_id!r}"
            )
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.timeout = timeout
        self.credentials = credentials
        self._verify: str | bool = str(ca_bundle) if ca_bundle else True
        self._clock = clock
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._outcome_listeners: list[Callable[[bool], None]] = []

    def account_bill(self, number: str) -> AccountBill:
        response = self._send("GET", f"/v1/accounts/{number}")
        if response.status_code == 404 and _error_code(response) == "account_not_found":
            raise AccountNotFound(number)
        return self._answer(response, AccountBill)

    def accounts_for_id_number(self, id_number: str) -> list[AccountSummary]:
        try:
            query = IdNumberQuery(id_number=id_number)
        except ValidationError:
            # Checked here so a typo costs no round trip; the number itself stays out of the error.
            raise CenterRejected(422, "invalid_id_number", "not an ID number") from None
        response = self._send("POST", "/v1/accounts/search", query.model_dump_json())
        return self._answer(response, AccountList).accounts

    # -- history (sync.protocol.history) ---------------------------------------------------

    def last_payments(self, number: str) -> PaymentHistory:
        """The account's last 12 payments made anywhere, newest first."""
        response = self._send("GET", f"/v1/accounts/{number}/payments")
        if response.status_code == 404 and _error_code(response) == "account_not_found":
            raise AccountNotFound(number)
        return self._answer(response, PaymentHistory)

    def statement(self, number: str) -> Statement:
        response = self._send("GET", f"/v1/accounts/{number}/statement")
        if response.status_code == 404 and _error_code(response) == "account_not_found":
            raise AccountNotFound(number)
        return self._answer(response, Statement)

    def request_vat_invoice(self, request: VatRequest) -> VatRequestAnswer:
        """Safe to send again: the center keeps one request per payment."""
        response = self._send("POST", "/v1/invoices/vat-requests", request.model_dump_json())
        return self._answer(response, VatRequestAnswer)

    def invoice_title(self, tax_number: str) -> InvoiceTitle | None:
        """The organisation's registered title; None when none has this tax number."""
        if not tax_number.isalnum() or not 15 <= len(tax_number) <= 20:
            raise ValueError("not a tax number")
        response = self._send("GET", f"{INVOICE_TITLES_PATH}/{tax_number}")
        if response.status_code == 404:
            return None
        return self._answer(response, InvoiceTitle)

    # -- business (sync.protocol.business) --------------------------------------------------

    def check_identity(self, request: IdentityCheckRequest) -> IdentityCheckAnswer:
        response = self._send("POST", IDENTITY_CHECKS_PATH, request.model_dump_json())
        return self._answer(response, IdentityCheckAnswer)

    def identity_outcome(self, check_id: str) -> IdentityCheckAnswer:
        response = self._send("GET", f"{IDENTITY_CHECKS_PATH}/{UUID(check_id)}")
        return self._answer(response, IdentityCheckAnswer)

    def application_progress(self, number: str) -> ApplicationProgress | None:
        """None when the center does not know the number (yet)."""
        if not APPLICATION_NUMBER.fullmatch(number):
            raise ValueError("not an application number")
        response = self._send("GET", f"{APPLICATIONS_PATH}/{number}")
        if response.status_code == 404:
            return None
        return self._answer(response, ApplicationProgress)

    def applications_for_id_number(self, id_number: str) -> list[ApplicationProgress]:
        query = IdNumberQuery(id_number=id_number)
        response = self._send("POST", f"{APPLICATIONS_PATH}/search", query.model_dump_json())
        return self._answer(response, ApplicationList).applications

    def documents_on_file(self, query: OnFileQuery) -> list[str]:
        response = self._send("POST", f"{APPLICATIONS_PATH}/on-file", query.model_dump_json())
        return self._answer(response, OnFile).documents

    def deliver_events(self, batch: EventBatch) -> EventBatchResult:
        response = self._send("POST", "/v1/events", batch.model_dump_json())
        return self._answer(response, EventBatchResult)

    def heartbeat(self, beat: Heartbeat) -> HeartbeatAnswer:
        """Report health; the answer holds the commands waiting for this kiosk."""
        response = self._send("POST", "/v1/heartbeat", beat.model_dump_json())
        return self._answer(response, HeartbeatAnswer)

    def ack_command(self, command_id: str, ack: CommandAck) -> None:
        """Tell the center a command is done (or failed, and why)."""
        response = self._send("POST", f"/v1/commands/{command_id}/ack", ack.model_dump_json())
        self._answer(response, CommandRecord)

    def send_screenshot(self, shot: Screenshot) -> ScreenshotStored:
        """The screen the center asked for (a `screenshot` command)."""
        response = self._send("POST", "/v1/screenshots", shot.model_dump_json())
        return self._answer(response, ScreenshotStored)

    def audit_head(self) -> AuditHead:
        """The last entry of this kiosk's audit trail the center holds."""
        return self._answer(self._send("GET", "/v1/audit/head"), AuditHead)

    def watch_outcomes(self, listener: Callable[[bool], None]) -> None:
        """`listener(reachable)` after every request: True for any answer below 500, False for
        no connection, a timeout or a 5xx (e.g. kiosk.services.connectivity)."""
        self._outcome_listeners.append(listener)

    def with_timeout(self, timeout: float) -> CenterClient:
        """The same client with another timeout, its own connections and no outcome listeners
        (e.g. for a light probe that must not wait as long as a payment may)."""
        other = copy.copy(self)
        other.timeout = timeout
        other._local = threading.local()
        other._sessions = []
        other._lock = threading.Lock()
        other._outcome_listeners = []
        return other

    def pay(self, payment_id: str, request: PaymentRequest) -> PaymentAnswer:
        """Create the payment, or get the first answer given for `payment_id` again."""
        response = self._send(
            "POST",
            "/v1/payments",
            request.model_dump_json(),
            {IDEMPOTENCY_HEADER: payment_id},
        )
        return self._payment_answer(response, payment_id)

    def query_payment(self, payment_id: str) -> PaymentAnswer:
        response = self._send("GET", f"/v1/payments/{payment_id}")
        return self._payment_answer(response, payment_id)

    def reverse_payment(self, payment_id: str) -> PaymentAnswer:
        response = self._send("POST", f"/v1/payments/{payment_id}/reverse")
        return self._payment_answer(response, payment_id)

    def close_payment(self, payment_id: str) -> PaymentAnswer:
        response = self._send("POST", f"/v1/payments/{payment_id}/close")
        return self._payment_answer(response, payment_id)

    def enroll(self, token: str) -> Credentials:
        """Trade a one-time enrolment token for this kiosk's credentials (not saved here)."""
        request = EnrolmentRequest(kiosk_id=self.kiosk_id, token=token)
        answer = self._answer(
            self._send("POST", ENROLL_PATH, request.model_dump_json()), EnrolmentAnswer
        )
        if answer.kiosk_id != self.kiosk_id:
            raise CenterNonsense(f"enrolment answered for another kiosk ({answer.kiosk_id})")
        try:
            secret = base64.b64decode(answer.secret, validate=True)
        except ValueError:
            raise CenterNonsense("enrolment answered a secret that is not base64") from None
        return Credentials(answer.kiosk_id, answer.key_id, secret)

    def reference_changes(self, since: int = 0) -> ReferenceIndex:
        """The reference-data kinds published after revision `since`."""
        return self._answer(self._send("GET", f"/v1/reference?since={since}"), ReferenceIndex)

    def reference(
        self, kind: ReferenceKind, etag: str | None = None
    ) -> tuple[ReferenceDocument, str] | None:
        """One kind's document and its ETag; None when `etag` is still current (304)."""
        headers = {"If-None-Match": etag} if etag else None
        response = self._send("GET", f"/v1/reference/{kind.value}", extra_headers=headers)
        if response.status_code == 304 and etag:
            return None
        document = self._answer(response, ReferenceDocument)
        if document.kind is not kind:
            raise CenterNonsense(f"asked for {kind.value}, got {document.kind.value}", 200)
        return document, response.headers.get("ETag") or ""

    def health(self) -> bool:
        """True when the center answers its health check; never raises."""
        try:
            response = self._send("GET", "/v1/health")
        except CenterError:
            return False
        return response.status_code == 200

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def __enter__(self) -> CenterClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"X-Kiosk-Id": self.kiosk_id, "Accept": "application/json"})
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _send(
        self,
        method: str,
        path: str,
        body: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> requests.Response:
        try:
            response = self._send_once(method, path, body, extra_headers)
        except CenterError:
            self._tell_outcome(False)
            raise
        self._tell_outcome(response.status_code < 500)
        return response

    def _tell_outcome(self, reachable: bool) -> None:
        for listener in self._outcome_listeners:
            listener(reachable)

    def _send_once(
        self,
        method: str,
        path: str,
        body: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> requests.Response:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        headers.update(extra_headers or {})
        data = body.encode("utf-8") if body is not None else None
        session = self._session()
        try:
            prepared = session.prepare_request(
                requests.Request(method, self.base_url + path, data=data, headers=headers)
            )
            if self.credentials is not None:
                # Signed as prepared: the path and body bytes are exactly what goes on the wire.
                signed = SignedRequest(
                    method,
                    prepared.path_url,
                    int(self._clock()),
                    secrets.token_hex(16),
                    data or b"",
                    kiosk_id=self.credentials.kiosk_id,
                    key_id=self.credentials.key_id,
                    idempotency_key=headers.get(IDEMPOTENCY_HEADER, ""),
                )
                prepared.headers.update(signature_headers(self.credentials.secret, signed))
            settings = session.merge_environment_settings(
                prepared.url or "", {}, None, self._verify, None
            )
            return session.send(prepared, timeout=self.timeout, **settings)
        except requests.exceptions.SSLError as error:
            raise CenterUnreachable(
                f"{method} {path}: the center's certificate is not trusted "
                f"(check center.ca_bundle): {_ssl_reason(error)}"
            ) from error
        except requests.Timeout as error:
            raise CenterTimeout(f"{method} {path}: no answer within {self.timeout} s") from error
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            raise CenterUnreachable(f"{method} {path}: {type(error).__name__}") from error
        except requests.RequestException as error:
            raise CenterUnreachable(f"{method} {path}: {error}") from error

    def _payment_answer(self, response: requests.Response, payment_id: str) -> PaymentAnswer:
        code = _error_code(response) if response.status_code in (404, 409) else None
        if response.status_code == 404 and code == "payment_not_found":
            raise PaymentNotFound(payment_id)
        if response.status_code == 409 and code == "idempotency_key_in_use":
            raise CenterBusy()
        return self._answer(response, PaymentAnswer)

    def _answer(self, response: requests.Response, model: type[Answer]) -> Answer:
        status = response.status_code
        if 400 <= status < 500:
            body = _error_body(response)
            if body is None:
                raise CenterRejected(status, f"http_{status}", "refused without an error body")
            raise CenterRejected(status, body.error.code, body.error.message)
        if status != 200:
            body = _error_body(response)
            detail = f"{body.error.code}: {body.error.message}" if body else "no error body"
            raise CenterNonsense(f"HTTP {status} from the center ({detail})", status)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}"
                for item in error.errors(include_input=False)[:3]
            )
            raise CenterNonsense(
                f"answer is not a valid {model.__name__}: {problems}", status
            ) from None


def _ssl_reason(error: requests.exceptions.SSLError) -> str:
    text = str(error)
    for reason in ("CERTIFICATE_VERIFY_FAILED", "WRONG_VERSION_NUMBER", "hostname mismatch"):
        if reason in text:
            return reason
    return type(error).__name__


def _error_body(response: requests.Response) -> ErrorBody | None:
    try:
        return ErrorBody.model_validate_json(response.content)
    except ValidationError:
        return None


def _error_code(response: requests.Response) -> str | None:
    body = _error_body(response)
    return body.error.code if body else None
