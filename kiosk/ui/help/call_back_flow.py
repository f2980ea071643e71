"""The call-back request from the resident's typing to the kiosk's queue, off the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.ui.background import BackgroundTasks
from kiosk.ui.help.call_back import CallBackScreen
from rules.phone import is_phone_number

if TYPE_CHECKING:
    from kiosk.services import UseCases

log = logging.getLogger(__name__)


class CallBackFlow(QObject):
    sig_finished = Signal()
    """(): the resident read that staff will call: the session goes home."""

    def __init__(
        self,
        services: UseCases | None,
        tasks: BackgroundTasks,
        screen: CallBackScreen,
        language: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self.screen = screen
        self._language = language  # the resident's language now
        screen.sig_request.connect(self.request)
        screen.sig_done.connect(self.sig_finished)

    def request(self, digits: str) -> None:
        screen = self.screen
        if not is_phone_number(digits):
            screen.show_message(
                lambda: self.tr(
                    "That is not a phone number. Please type a mobile number of 11 digits, or "
                    "a landline number with its area code."
                )
            )
            return
        if self._services is None:
            screen.show_message(self._not_recorded)
            return
        screen.show_busy(lambda: self.tr("Sending your request…"))
        self._tasks.run(
            self._services.request_call_back,
            digits,
            self._language(),
            timeout_s=30,
            on_result=lambda _: screen.show_sent(),
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        log.warning("call-back request not recorded: %s", type(error).__name__)
        self.screen.show_message(self._not_recorded)

    def _not_recorded(self) -> str:
        return self.tr(
            "Your request could not be recorded. Please call the service hotline shown on the "
            "Help screen."
        )
