"""Finding a resident's bill: by typed number, the bill's QR, or the ID card. Or, for reprints,
only the account number: this kiosk's receipts of it are found without the center.

The controller of the account-entry, account-choice and bill screens: it calls the services in
the background and tells the screens what to show. The screens never call services themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.services import LookupFailed, LookupProblem
from kiosk.ui.background import BackgroundTasks, TaskTimedOut
from kiosk.ui.lookup.account_choice import AccountChoiceScreen
from kiosk.ui.lookup.account_entry import AccountEntryScreen
from kiosk.ui.lookup.bill import BillScreen
from kiosk.ui.widgets import Words
from rules.codes import CodeKind, ScannedCode

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.services.device_input import IdCard
    from kiosk.services.screen_types import AccountBill, AccountSummary


log = logging.getLogger(__name__)


class _StatusScreen(Protocol):
    def show_busy(self, text: Words) -> None: ...
    def show_message(self, text: Words) -> None: ...
    def end_busy(self) -> None: ...


class LookupFlow(QObject):
    sig_show_screen = Signal(str)
    """(screen name): the flow moved on to this screen."""

    sig_bill_shown = Signal(object)
    """(AccountBill): a bill is on screen."""

    sig_receipts_wanted = Signal(str)
    """(account number): the resident came for this kiosk's receipts of that account."""

    def __init__(
        self,
        services: UseCases | None,
        tasks: BackgroundTasks,
        entry: AccountEntryScreen,
        choice: AccountChoiceScreen,
        bill: BillScreen,
        *,
        center_timeout_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._entry = entry
        self._choice = choice
        self._bill = bill
        self._timeout_s = center_timeout_s
        self._token: int | None = None
        self._status: _StatusScreen = entry
        self._for_receipts = False
        entry.sig_submit.connect(self.look_up)
        choice.sig_chosen.connect(self._look_up_chosen)

    @property
    def services(self) -> UseCases:
        if self._services is None:
            raise RuntimeError("this window only displays (screenshots): it has no services")
        return self._services

    def teardown(self) -> None:
        self.cancel()
        self._entry.sig_submit.disconnect(self.look_up)
        self._choice.sig_chosen.disconnect(self._look_up_chosen)

    @property
    def busy(self) -> bool:
        return self._token is not None

    def cancel(self) -> None:
        """The resident left or the session ended: whatever is running must not reach the screen."""
        if self._token is not None:
            self._tasks.forget(self._token)
            self._token = None
        self._entry.end_busy()
        self._choice.end_busy()

    # -- what for -------------------------------------------------------------------------

    def find(self, *, receipts: bool) -> None:
        """The account entry is for a bill, or for this kiosk's receipts."""
        self.cancel()
        self._for_receipts = receipts
        self._entry.set_purpose(receipts=receipts)

    # -- the three ways in ---------------------------------------------------------------

    def look_up(self, number: str) -> None:
        if self._for_receipts:
            self.sig_receipts_wanted.emit(number)
            return
        self._start(
            self._entry,
            lambda: self.tr("Looking up your account…"),
            self.services.look_up_account,
            number,
            self._show_bill,
        )

    def code_scanned(self, text: str) -> None:
        self.sig_show_screen.emit(self._entry.name)
        self._start(
            self._entry,
            lambda: self.tr("Reading the code…"),
            self.services.read_code,
            text,
            self._code_read,
        )

    def id_card_read(self, card: IdCard) -> None:
        self.sig_show_screen.emit(self._entry.name)
        self._start(
            self._entry,
            lambda: self.tr("Finding the accounts of this ID card…"),
            self.services.accounts_for_id_number,
            card.id_number,
            self._accounts_found,
            problem_text=self._card_problem_text,
        )

    def id_card_unreadable(self, *, place_again: bool = False) -> None:
        """The reader read a card whose data is not a valid card's, or (`place_again`) could
        not read the card at all: lifting it and placing it flat may work."""
        self.cancel()
        self.sig_show_screen.emit(self._entry.name)
        if place_again:
            self._entry.show_message(self.card_not_read_text)
        else:
            self._entry.show_message(self.card_unreadable_text)

    def reading_card(self, *, on_reader: bool) -> None:
        """The resident asked for their ID card to be read: what happens now."""
        if on_reader:
            text = self.tr("Reading your ID card… Please leave it on the reader.")
        else:
            text = self.tr("Please place your ID card on the card reader.")
        self._entry.show_message(text)

    # -- answers -------------------------------------------------------------------------

    def _look_up_chosen(self, number: str) -> None:
        self._start(
            self._choice,
            lambda: self.tr("Looking up your account…"),
            self.services.look_up_account,
            number,
            self._show_bill,
        )

    def _code_read(self, code: ScannedCode) -> None:
        if code.account_number and code.kind in (CodeKind.BILL, CodeKind.ACCOUNT_NUMBER):
            self._entry.show_number(code.account_number)
            self.look_up(code.account_number)
        elif code.is_payment_code:
            self._entry.show_message(self.find_the_account_first)
        else:
            self._entry.show_message(
                lambda: self.tr(
                    "That code is not one of our bills. "
                    "Please show the QR code printed on your bill."
                )
            )

    def find_the_account_first(self) -> str:
        """For a payment code shown before a bill: many residents lead with their phone, so say
        how to get to paying rather than that they cannot."""
        return self.tr(
            "That is a payment code: it is used after your bill is found. "
            "First find your account: type its number here, show the QR code on your "
            "paper bill, or place your ID card on the card reader. Then you can pay."
        )

    def _accounts_found(self, accounts: list[AccountSummary]) -> None:
        if len(accounts) == 1:
            self._entry.show_number(accounts[0].number)
            self.look_up(accounts[0].number)
            return
        self._choice.set_accounts(accounts)
        self.sig_show_screen.emit(self._choice.name)

    def _show_bill(self, bill: AccountBill) -> None:
        self._entry.end_busy()
        self._choice.end_busy()
        self._bill.show_bill(bill)
        self.sig_bill_shown.emit(bill)
        # Shown in the next turn of the event loop: filling the screen and painting it each take
        # tens of milliseconds on a kiosk, and a touch in between is answered. Only if the screen
        # still holds this bill: a session ended meanwhile has wiped it.
        QTimer.singleShot(0, self, lambda: self._go_to_bill(bill))

    def _go_to_bill(self, bill: AccountBill) -> None:
        if self._bill.bill is bill:
            self.sig_show_screen.emit(self._bill.name)

    # -- plumbing ------------------------------------------------------------------------

    def _start(
        self,
        status: _StatusScreen,
        busy_text: Words,
        work: Callable[[str], Any],
        argument: str,
        done: Callable[[Any], None],
        *,
        problem_text: Callable[[BaseException], str] | None = None,
    ) -> None:
        if self._token is not None:
            self._tasks.forget(self._token)
        self._status = status
        status.show_busy(busy_text)

        def on_result(result: Any) -> None:
            self._token = None
            status.end_busy()
            done(result)

        explain = problem_text or self.problem_text

        def on_error(error: BaseException) -> None:
            self._token = None
            if not isinstance(error, TaskTimedOut | LookupFailed):
                log.error("lookup failed unexpectedly: %s", type(error).__name__)
            # Worded again at each language switch, so the error is kept, not its text.
            status.show_message(lambda: explain(error))

        self._token = self._tasks.run(
            work, argument, timeout_s=self._timeout_s, on_result=on_result, on_error=on_error
        )

    def _card_problem_text(self, error: BaseException) -> str:
        # The resident cannot "check and retry" the number on a card: say what they can do.
        if isinstance(error, LookupFailed) and error.problem is LookupProblem.INVALID_NUMBER:
            return self.card_unreadable_text()
        return self.problem_text(error)

    def card_not_read_text(self) -> str:
        """What to say when the reader failed on every try: what the resident can do."""
        return self.tr(
            "Your ID card could not be read. Please lift it off the reader and place it flat "
            "again. If it still cannot be read, type your account number or press Help."
        )

    def card_unreadable_text(self) -> str:
        """What to say of an ID card that could not be read: what the resident can do instead."""
        return self.tr(
            "This ID card could not be read. Please type your account number instead, "
            "or press Help to reach a person."
        )

    def problem_text(self, error: BaseException) -> str:
        if isinstance(error, TaskTimedOut):
            return self.tr(
                "The service center did not answer in time. Please try again in a moment."
            )
        if not isinstance(error, LookupFailed):
            return self.tr("Something went wrong. Please try again, or call the hotline.")
        texts = {
            LookupProblem.NOT_FOUND: self.tr(
                "No account has this number. Please check the number on your bill."
            ),
            LookupProblem.INVALID_NUMBER: self.tr(
                "This number is not valid. Please check it and try again."
            ),
            LookupProblem.NO_ACCOUNTS: self.tr(
                "No account was found for this ID card. Please type your account number instead."
            ),
            LookupProblem.UNREACHABLE: self.tr(
                "The service center cannot be reached right now. "
                "Please try again later, or call the hotline."
            ),
            LookupProblem.TIMEOUT: self.tr(
                "The service center did not answer in time. Please try again in a moment."
            ),
            LookupProblem.CENTER_FAULT: self.tr(
                "The service center could not answer. Please try again later, or call the hotline."
            ),
        }
        return texts[error.problem]
