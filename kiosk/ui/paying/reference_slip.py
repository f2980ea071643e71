"""The slip of a payment that could not be confirmed: printed once, as soon as it is told.

The resident takes the reference away on paper (the hotline asks for it); the screen says
whether the slip came out, and keeps the number on screen either way.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.domain.payment import Outcome
from kiosk.ui.background import TaskGroup
from kiosk.ui.paying.payment_result import PaymentResultScreen

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.services.payment_types import PaymentProgress

log = logging.getLogger(__name__)
# The printer's own wait bounds the job; this covers the turn behind a receipt printing.
SLIP_TIMEOUT_S = 60.0


class ReferenceSlip(QObject):
    def __init__(
        self,
        services: UseCases | None,
        tasks: TaskGroup,
        screen: PaymentResultScreen,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._screen = screen
        self._printed_for: str | None = None

    def shown(self, progress: PaymentProgress) -> None:
        """A result is on screen: an unconfirmed one gets its slip, once per payment."""
        if progress.outcome is not Outcome.UNCONFIRMED or self._services is None:
            return
        if self._printed_for == progress.payment_id:
            return
        self._printed_for = progress.payment_id
        self._tasks.run(
            self._services.print_reference_slip,
            progress.payment_id,
            self._screen.hotline,
            timeout_s=SLIP_TIMEOUT_S,
            on_result=self._screen.show_slip,
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        log.warning("reference slip not printed: %s", type(error).__name__)
        self._screen.show_slip(False)

    def forget(self) -> None:
        """The session ended: the next payment gets its own slip."""
        self._printed_for = None
