"""After a payment's result: the resident rates the service, or skips; then the session is over."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.ui.background import BackgroundTasks
from kiosk.ui.paying.rating import RatingScreen

if TYPE_CHECKING:
    from kiosk.services import UseCases

log = logging.getLogger(__name__)


class RatingStep(QObject):
    sig_finished = Signal()
    """(): rated or skipped: the session is over."""

    def __init__(
        self,
        services: UseCases | None,
        tasks: BackgroundTasks,
        screen: RatingScreen,
        *,
        payment_id: Callable[[], str | None],
        parent: QObject | None = None,
    ) -> None:
        """`payment_id`: the session's last payment, which the rating is about (None: none)."""
        super().__init__(parent)
        self._services = services
        self._background = tasks
        self.screen = screen
        self._payment_id = payment_id
        screen.sig_rated.connect(self.rated)
        screen.sig_skip.connect(self.skip)

    def rated(self, score: int) -> None:
        self.screen.set_enabled(False)
        if self._services is not None:
            # Queued locally; the session ends now, the answer is not waited for.
            self._background.run(
                self._services.rate_service,
                score,
                self._payment_id(),
                timeout_s=30,
                on_result=lambda _: None,
                on_error=lambda error: log.warning("rating not recorded: %s", type(error).__name__),
            )
        self.sig_finished.emit()

    def skip(self) -> None:
        self.sig_finished.emit()
