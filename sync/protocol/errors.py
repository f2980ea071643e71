"""The center's errors, as every user of the center port sees them.

Whatever carries the requests (the HTTP client in sync.client, a fake in a test) ends each call
either in a schema-checked answer or in one of these, so a caller can decide: try again later,
tell the resident, or call a technician. They belong to the protocol, not to the client: the
kiosk's use cases catch them without importing the HTTP client.
"""

from __future__ import annotations


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
