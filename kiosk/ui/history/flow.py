"""Receipts and invoices of an account, from its bill: the last payments made anywhere, a
reprint of any, the e-invoice as a QR, a VAT invoice asked for, the 24-month statement.

Every call to the services runs in the background with a timeout; offline, the screens say these
need the center. `clear()` forgets the account, the form and its phone or e-mail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from kiosk.services.history import VatFormRefused
from kiosk.ui.background import BackgroundTasks
from kiosk.ui.history.payments import PastPaymentsScreen
from kiosk.ui.history.vat_form import VatFormScreen

if TYPE_CHECKING:
    from kiosk.services import UseCases


class HistoryFlow(QObject):
    sig_show_screen = Signal(str)
    """(screen name): show it."""

    sig_back_to_bill = Signal()

    def __init__(
        self,
        services: UseCases | None,
        tasks: BackgroundTasks,
        payments: PastPaymentsScreen,
        vat: VatFormScreen,
        *,
        station_id: Callable[[], str],
        center_timeout_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self.payments, self.vat = payments, vat
        self._station_id = station_id
        self._timeout_s = center_timeout_s
        self.account: str | None = None
        payments.sig_reprint.connect(self.reprint)
        payments.sig_vat_invoice.connect(self.ask_vat_invoice)
        payments.sig_statement.connect(self.print_statement)
        payments.sig_back.connect(self.sig_back_to_bill)
        vat.sig_submit.connect(self.send_vat_form)
        vat.sig_tax_number_typed.connect(self.find_title)
        vat.sig_back.connect(lambda: self.sig_show_screen.emit(self.payments.name))

    def open(self, account_number: str) -> None:
        self.clear()
        self.account = account_number
        self.payments.show_message(self.tr("Finding the account's payments…"))
        self.sig_show_screen.emit(self.payments.name)
        self._run(self._need().past_payments, account_number,
                  on_result=self._payments_found)  # fmt: skip

    def _payments_found(self, found: list[Any]) -> None:
        self.payments.show_message("")
        self.payments.set_payments(found)

    def reprint(self, payment_id: str) -> None:
        if self.account is None:
            return
        self.payments.show_message(self.tr("Printing…"))
        self._run(self._need().reprint_past_payment, self.account, payment_id,
                  on_result=self._printed)  # fmt: skip

    def print_statement(self) -> None:
        if self.account is None:
            return
        self.payments.show_message(self.tr("Printing the statement…"))
        self._run(self._need().print_statement, self.account, on_result=self._printed)

    def _printed(self, printed: bool) -> None:
        self.payments.show_message(
            self.tr("Printed: please take it from the slot below.")
            if printed
            else self.tr("It could not be printed. The e-invoice QR works without paper.")
        )

    def ask_vat_invoice(self, payment_id: str) -> None:
        self.vat.start(payment_id, self._station_id())
        self.sig_show_screen.emit(self.vat.name)

    def find_title(self, tax_number: str) -> None:
        if self._services is None:
            return  # nobody to ask (the screenshots)

        def found(title: str | None) -> None:
            if self.vat.tax_number.text() == tax_number:  # not typed on meanwhile
                self.vat.show_title(title)

        def not_asked(_error: BaseException) -> None:
            self.vat.show_title(None)
            self.vat.org_title.setText(self._offline_words())

        self._run(self._need().invoice_title, tax_number, on_result=found, on_error=not_asked)

    def send_vat_form(self, form: Any) -> None:
        self._run(
            self._need().request_vat_invoice, form,
            on_result=lambda answer: self.vat.show_done(answer.request_id),
            on_error=self._vat_refused,
        )  # fmt: skip

    def _vat_refused(self, error: BaseException) -> None:
        if isinstance(error, VatFormRefused):
            self.vat.show_problem(error.problem)
        else:
            self.vat.show_problem(None)
            self.vat.problem.setText(self._offline_words())
            self.vat.problem.show()

    def _offline_words(self) -> str:
        return self.tr("This needs the center, which cannot be reached now. Please try later.")

    def _failed(self, _error: BaseException) -> None:
        self.payments.show_message(self._offline_words())

    def _need(self) -> UseCases:
        if self._services is None:
            raise RuntimeError("receipts and invoices need the kiosk's services")
        return self._services

    def _run(self, work: Any, *args: object, on_result: Any, on_error: Any = None) -> None:
        self._tasks.run(work, *args, timeout_s=self._timeout_s, on_result=on_result,
                        on_error=on_error or self._failed)  # fmt: skip

    def clear(self) -> None:
        self.account = None
        self.payments.clear()
        self.vat.clear()
