"""The use cases while the kiosk is still starting.

The window is shown first and the store, the center client and the devices come up behind it.
Until they are there, this stands in for `KioskServices`: a call that needs them waits (on a
worker thread, never the UI's) up to a bound, then fails with a problem a screen can say.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from kiosk.domain.codes import ScannedCode, classify_code
from kiosk.services.problems import LookupFailed, LookupProblem

if TYPE_CHECKING:
    from kiosk.domain.session import SessionSummary
    from kiosk.services.kiosk_services import KioskServices
    from sync.protocol import AccountBill, AccountSummary


class StartingServices:
    def __init__(self, bill_qr_prefix: str, *, wait_seconds: float = 30.0) -> None:
        self._bill_qr_prefix = bill_qr_prefix
        self._wait_seconds = wait_seconds
        self._ready = threading.Event()
        self._services: KioskServices | None = None

    def provide(self, services: KioskServices | None) -> None:
        """The real services (None: they could not be built; every call then fails at once)."""
        self._services = services
        self._ready.set()

    @property
    def ready(self) -> bool:
        return self._services is not None

    def _wait(self) -> KioskServices:
        if not self._ready.wait(self._wait_seconds) or self._services is None:
            raise LookupFailed(LookupProblem.UNREACHABLE, "the kiosk has not finished starting")
        return self._services

    def look_up_account(self, number: str) -> AccountBill:
        return self._wait().look_up_account(number)

    def accounts_for_id_number(self, id_number: str) -> list[AccountSummary]:
        return self._wait().accounts_for_id_number(id_number)

    def read_code(self, text: str) -> ScannedCode:
        # Pure: answered at once, so the UI thread may call it.
        if self._services is not None:
            return self._services.read_code(text)
        return classify_code(text, self._bill_qr_prefix)

    def end_session(self, summary: SessionSummary) -> None:
        self._wait().end_session(summary)
