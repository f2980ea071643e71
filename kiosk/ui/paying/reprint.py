"""Reprinting a receipt: this kiosk's receipts of an account, from its own journal, and printing
one of them again. Works offline: the journal is local.

The controller of the receipts screen and of the bill's reprint button. Reached two ways: from a
bill (its receipts are looked for as soon as the bill offers its ways to pay), or from the home
screen's "receipts" tile, where only the account number is typed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.domain.payment import ReceiptStatus
from kiosk.ui.background import BackgroundTasks, TaskGroup
from kiosk.ui.formats import grouped_digits
from kiosk.ui.lookup.bill import BillScreen
from kiosk.ui.paying.receipts import ReceiptsScreen

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.services.payment_types import PaymentProgress, ReceiptEntry
    from kiosk.services.screen_types import AccountBill

log = logging.getLogger(__name__)


class ReprintFlow(QObject):
    sig_show_screen = Signal(str)
    """(screen name): the flow moved on to this screen."""

    sig_hold_timeout = Signal(bool)
    """(hold): True while a receipt is being printed (the printer's time governs), False after."""

    sig_result_shown = Signal()
    """(): how the reprint went is on screen: it stays as any result does."""

    def __init__(
        self,
        services: UseCases | None,
        tasks: BackgroundTasks,
        bill: BillScreen,
        receipts: ReceiptsScreen,
        *,
        center_timeout_s: float,
        reprint_timeout_s: float = 90.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = TaskGroup(tasks)
        self._bill = bill
        self._screen = receipts
        self._timeout_s = center_timeout_s
        self._reprint_timeout_s = reprint_timeout_s
        self._account: str | None = None  # of the bill on screen
        self._receipts: list[ReceiptEntry] = []
        self._held = False
        bill.sig_reprint.connect(self.show_receipts)
        receipts.sig_print.connect(self.reprint)

    @property
    def services(self) -> UseCases:
        if self._services is None:
            raise RuntimeError("this window only displays (screenshots): it has no services")
        return self._services

    def _hold(self, hold: bool) -> None:
        if hold != self._held:
            self._held = hold
            self.sig_hold_timeout.emit(hold)

    # -- from a bill -----------------------------------------------------------------------

    def bill_offered(self, bill: AccountBill) -> None:
        """A bill is on screen: look for its receipts, to show the reprint button if any."""
        self._receipts = []
        self._account = number = bill.account.number
        services = self._services
        if services is None or not services.payments_enabled:
            return

        def found(entries: list[ReceiptEntry]) -> None:
            if self._account == number:
                self._receipts = list(entries)
                self._bill.show_reprint(bool(entries))

        self._tasks.run(
            services.receipts_for,
            number,
            timeout_s=self._timeout_s,
            on_result=found,
            on_error=lambda error: log.info("no receipts listed: %s", type(error).__name__),
        )

    def show_receipts(self) -> None:
        self._screen.set_receipts(self._receipts)
        self.sig_show_screen.emit(self._screen.name)

    # -- from the account number alone -----------------------------------------------------

    def receipts_of(self, account_number: str) -> None:
        """This kiosk's receipts of an account, from its own journal: works offline."""
        receipts = self._screen
        receipts.set_receipts([])
        self.sig_show_screen.emit(receipts.name)
        receipts.show_busy(lambda: self.tr("Looking for your receipts…"))

        def found(entries: list[ReceiptEntry]) -> None:
            self._receipts = list(entries)
            receipts.set_receipts(self._receipts)
            if not entries:
                receipts.show_message(
                    lambda: self.tr(
                        "This kiosk has no receipt for account {0}. Receipts of payments made "
                        "elsewhere are kept at the service hall."
                    ).format(grouped_digits(account_number))
                )

        def failed(error: BaseException) -> None:
            log.warning("receipts not listed: %s", type(error).__name__)
            receipts.show_message(lambda: self.tr("Something went wrong. Please try again."))

        self._tasks.run(
            self.services.receipts_for,
            account_number,
            timeout_s=self._timeout_s,
            on_result=found,
            on_error=failed,
        )

    # -- printing again --------------------------------------------------------------------

    def reprint(self, payment_id: str) -> None:
        receipts = self._screen
        receipts.show_busy(lambda: self.tr("Printing your receipt…"))
        self._hold(True)

        def printed(progress: PaymentProgress) -> None:
            self._hold(False)
            if progress.receipt is ReceiptStatus.PRINTED:
                receipts.show_message(lambda: self.tr("Please take your receipt."))
            else:
                receipts.show_message(self._reprint_failed_text)
            self.sig_result_shown.emit()

        def failed(error: BaseException) -> None:
            self._hold(False)
            log.warning("reprint failed: %s", type(error).__name__)
            receipts.show_message(self._reprint_failed_text)
            self.sig_result_shown.emit()

        self._tasks.run(
            self.services.reprint_receipt,
            payment_id,
            timeout_s=self._reprint_timeout_s,
            on_result=printed,
            on_error=failed,
        )

    def _reprint_failed_text(self) -> str:
        return self.tr(
            "The printer could not print your receipt. It is kept: please try again later, "
            "or ask at the service hall."
        )

    # -- the session ends ------------------------------------------------------------------

    def session_ended(self) -> None:
        """Forget the receipts this session saw; what is still running never reaches the screen."""
        self._tasks.forget_all()
        self._hold(False)
        self._account = None
        self._receipts = []
        self._screen.clear()
