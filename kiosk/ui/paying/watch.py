"""Following a payment: the service's news of it, kept in order, backed up by a slow poll.

A payment's changes arrive from the service's threads (`watch_payments`) and come to the UI
thread through a queued signal; a slow poll of `payment_progress` backs them up, so the screen
always reaches a result even if a change was missed. Answers can cross: a stale one never takes
the screen back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.domain.payment import Outcome, ReceiptStatus
from kiosk.ui.background import TaskGroup

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.services.payment_types import PaymentProgress

log = logging.getLogger(__name__)

_RECEIPT_RANK = {
    ReceiptStatus.NONE: 0,
    ReceiptStatus.PRINTING: 1,
    ReceiptStatus.PRINTED: 2,
    ReceiptStatus.WAITING_FOR_REPRINT: 2,
}


def _rank(progress: PaymentProgress) -> tuple[int, int]:
    """How far a payment has come: a stale answer never takes the screen back."""
    outcome = {Outcome.IN_PROGRESS: 0, Outcome.UNCONFIRMED: 1}.get(progress.outcome, 2)
    return outcome, _RECEIPT_RANK[progress.receipt]


class PaymentWatch(QObject):
    sig_news = Signal(object)
    """(PaymentProgress): from a service thread; connect it queued to reach the UI thread."""

    def __init__(
        self,
        services: UseCases | None,
        tasks: TaskGroup,
        *,
        timeout_s: float,
        poll_interval_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._timeout_s = timeout_s
        self._poll_interval_s = poll_interval_s
        self._unsubscribe: Callable[[], None] | None = None
        self._latest: dict[str, PaymentProgress] = {}
        self._next_poll = 0.0
        self._polling: int | None = None

    def subscribe(self) -> None:
        if self._unsubscribe is None and self._services is not None:
            self._unsubscribe = self._services.watch_payments(self.sig_news.emit)

    def unsubscribe(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def keep(self, progress: PaymentProgress) -> bool:
        """Remember it unless something newer of that payment is known; whether it was kept."""
        known = self._latest.get(progress.payment_id)
        if known is not None and _rank(progress) < _rank(known):
            return False
        self._latest[progress.payment_id] = progress
        return True

    def latest(self, payment_id: str) -> PaymentProgress | None:
        return self._latest.get(payment_id)

    def forget(self) -> None:
        """The session ended: nothing of its payments is kept."""
        self._latest.clear()

    # -- the poll --------------------------------------------------------------------------

    def restart(self) -> None:
        """A new payment (or none): poll as soon as there is one to poll, no poll in flight."""
        self._next_poll = 0.0
        self._polling = None

    def started(self, now: float) -> None:
        """The payment was started just now: the first poll waits one interval."""
        self._next_poll = now + self._poll_interval_s

    def _needs_poll(self, payment_id: str | None) -> bool:
        progress = self._latest.get(payment_id or "")
        if payment_id is None or progress is None:
            return False
        if progress.outcome in (Outcome.IN_PROGRESS, Outcome.UNCONFIRMED):
            return True
        return progress.outcome is Outcome.PAID and _RECEIPT_RANK[progress.receipt] < 2

    def poll(
        self, payment_id: str | None, now: float, on_progress: Callable[[PaymentProgress], None]
    ) -> None:
        """Ask the service how the payment is doing, if it is time and it may still change."""
        if self._polling is not None or now < self._next_poll or not self._needs_poll(payment_id):
            return
        assert payment_id is not None and self._services is not None
        self._next_poll = now + self._poll_interval_s

        def polled(progress: PaymentProgress) -> None:
            self._polling = None
            on_progress(progress)

        def failed(error: BaseException) -> None:
            self._polling = None
            log.info("payment poll failed: %s", type(error).__name__)

        self._polling = self._tasks.run(
            self._services.payment_progress,
            payment_id,
            timeout_s=self._timeout_s,
            on_result=polled,
            on_error=failed,
        )
