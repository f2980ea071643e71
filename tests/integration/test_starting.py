"""The stand-in for the use cases while the kiosk starts: what waits, what is answered at once."""

import threading
import time

import pytest

from kiosk.services import LookupFailed, LookupProblem
from kiosk.services.starting import StartingServices

PREFIX = "https://95598.js.sgcc.local/bill/"


class _Back:
    """Answers two blocking use cases the way the real back end would, by name."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []

    def payment_progress(self, payment_id: str) -> str:
        self.calls.append(("payment_progress", (payment_id,)))
        return f"progress of {payment_id}"

    def rate_service(self, score: int, payment_id: str | None = None) -> None:
        self.calls.append(("rate_service", (score, payment_id)))


def test_a_call_before_the_back_end_is_up_waits_then_fails_with_a_problem() -> None:
    services = StartingServices(PREFIX, wait_seconds=0.2)
    began = time.monotonic()
    with pytest.raises(LookupFailed) as failed:
        services.look_up_account("3201000001")
    assert failed.value.problem is LookupProblem.UNREACHABLE
    assert time.monotonic() - began >= 0.2


def test_a_waiting_call_goes_through_once_the_back_end_comes() -> None:
    services = StartingServices(PREFIX, wait_seconds=5)
    back = _Back()
    progress = services.payment_progress  # looked up before, called after: it still waits
    threading.Timer(0.1, services.provide, args=(back,)).start()
    assert progress("p-1") == "progress of p-1"
    services.rate_service(5, payment_id="p-1")
    assert back.calls == [("payment_progress", ("p-1",)), ("rate_service", (5, "p-1"))]


def test_a_back_end_that_could_not_be_built_fails_every_call_at_once() -> None:
    services = StartingServices(PREFIX, wait_seconds=30)
    services.provide(None)
    began = time.monotonic()
    with pytest.raises(LookupFailed):
        services.receipts_for("3201000001")
    assert time.monotonic() - began < 1


def test_only_the_use_cases_are_forwarded() -> None:
    services = StartingServices(PREFIX, wait_seconds=0.1)
    with pytest.raises(AttributeError):
        services.payments  # noqa: B018 - not a use case the screens may call
    assert services.read_code(PREFIX + "3201000001").account_number == "3201000001"
    assert services.online and services.lock_state is None
