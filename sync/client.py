"""The kiosk's HTTP client for the center (protocol v1).

Every call has a timeout and ends either in a schema-checked answer or in one of the typed
errors below, so a caller can decide: try again later, tell the resident, or call a technician.
ID numbers and payment codes travel only in request bodies and never appear in an error message.
"""

from __future__ import annotations

import threading
from typing import TypeVar

import requests
from pydantic import BaseModel, ValidationError

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
from sync.protocol.payments import IDEMPOTENCY_HEADER

Answer = TypeVar("Answer", bound=BaseModel)


class CenterError(Exception):
    """The center could not give a usable answer."""

    retryable = True  # whether the same request may succeed later


class CenterUnreachable(CenterError):
    """No connection: refused, reset, DNS failure, network down."""


class CenterTimeout(CenterError):
    """The center did not answer within the timeout."""


class CenterNonsense(CenterError):
    """A 5xx, a body that is not JSON, or JSON that does not match the protocol."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class CenterRejected(CenterError):
    """The center refused the request (4xx) and said why."""

    retryable = False

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class AccountNotFound(CenterRejected):
    """The center knows no account with that number."""

    def __init__(self, number: str, message: str = "") -> None:
        super().__init__(404, "account_not_found", message or f"no account {number}")
        self.number = number


class PaymentNotFound(CenterRejected):
    """The center has never seen this payment (404 payment_not_found)."""

    def __init__(self, payment_id: str, message: str = "") -> None:
        super().__init__(404, "payment_not_found", message or f"no payment {payment_id}")
        self.payment_id = payment_id


class CenterBusy(CenterError):
    """The center is still working on this payment's first request (409
    idempotency_key_in_use): the same request later will get its answer."""

    retryable = True

    def __init__(self, message: str = "the payment is being worked on") -> None:
        super().__init__(message)
        self.status = 409
        self.code = "idempotency_key_in_use"
        self.message = message


class CenterClient:
    """Talks to one center as one kiosk. Safe to share between threads: each thread gets its
    own `requests.Session` (a Session is not thread-safe)."""

    def __init__(self, base_url: str, kiosk_id: str, timeout: float = 8.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.timeout = timeout
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

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

    def deliver_events(self, batch: EventBatch) -> EventBatchResult:
        response = self._send("POST", "/v1/events", batch.model_dump_json())
        return self._answer(response, EventBatchResult)

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
        headers = {"Content-Type": "application/json"} if body is not None else {}
        headers.update(extra_headers or {})
        try:
            return self._session().request(
                method,
                self.base_url + path,
                data=body.encode("utf-8") if body is not None else None,
                headers=headers or None,
                timeout=self.timeout,
            )
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


def _error_body(response: requests.Response) -> ErrorBody | None:
    try:
        return ErrorBody.model_validate_json(response.content)
    except ValidationError:
        return None


def _error_code(response: requests.Response) -> str | None:
    body = _error_body(response)
    return body.error.code if body else None
