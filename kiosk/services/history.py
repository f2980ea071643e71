"""An account's history at the kiosk: its last 12 payments made anywhere (reprint, show the
e-invoice, ask for a VAT invoice) and the 24-month statement on paper. All of it needs the
center: offline, each use case raises LookupFailed the screens put in the resident's words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from kiosk.services.business import PrintSlip
from kiosk.services.history_paper import reprint_job, statement_job
from kiosk.services.problems import LookupFailed, LookupProblem
from rules.phone import is_phone_number
from rules.tax_number import normalise, tax_number_problem
from sync.protocol import (
    CenterError,
    CenterRejected,
    CenterTimeout,
    CenterUnreachable,
    Delivery,
    InvoiceTitle,
    PastPayment,
    PaymentHistory,
    Statement,
    VatRequest,
    VatRequestAnswer,
)


class HistoryCenter(Protocol):
    def last_payments(self, number: str) -> PaymentHistory: ...

    def statement(self, number: str) -> Statement: ...

    def request_vat_invoice(self, request: VatRequest) -> VatRequestAnswer: ...

    def invoice_title(self, tax_number: str) -> InvoiceTitle | None: ...


class VatFormProblem(StrEnum):
    """What is wrong with the VAT form, for the screen to say in the resident's words."""

    TITLE = "title"  # missing or too short
    TAX_NUMBER_LENGTH = "tax_number_length"
    TAX_NUMBER_CHARACTERS = "tax_number_characters"
    TAX_NUMBER_CHECK = "tax_number_check"  # a typo: the check character does not match
    STATION = "station"
    EMAIL = "email"
    PHONE = "phone"


class VatFormRefused(ValueError):
    def __init__(self, problem: VatFormProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class VatForm:
    payment_id: str
    title: str
    tax_number: str
    delivery: Delivery
    station: str = ""
    email: str = ""
    phone: str = ""


def vat_request(form: VatForm) -> VatRequest:
    """The request the form makes, or VatFormRefused naming the first thing wrong."""
    title = form.title.strip()
    if len(title) < 2:
        raise VatFormRefused(VatFormProblem.TITLE)
    problem = tax_number_problem(form.tax_number)
    if problem is not None:
        raise VatFormRefused(VatFormProblem(f"tax_number_{problem}"))
    if form.delivery is Delivery.PICK_UP and not form.station:
        raise VatFormRefused(VatFormProblem.STATION)
    email = form.email.strip()
    if form.delivery is Delivery.EMAIL and ("@" not in email or "." not in email.split("@")[-1]):
        raise VatFormRefused(VatFormProblem.EMAIL)
    phone = "".join(form.phone.split())
    if not (is_phone_number(phone) and phone.startswith("1")):
        raise VatFormRefused(VatFormProblem.PHONE)
    return VatRequest(
        payment_id=form.payment_id,
        title=title,
        tax_number=normalise(form.tax_number),
        delivery=form.delivery,
        station=form.station if form.delivery is Delivery.PICK_UP else None,
        email=email if form.delivery is Delivery.EMAIL else None,
        phone=phone,
    )


class HistoryDesk:
    """The history use cases of `UseCases`; thread-safe (it keeps no state)."""

    def __init__(
        self,
        center: HistoryCenter,
        *,
        print_paper: PrintSlip | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._center = center
        self._print_paper = print_paper
        self._clock = clock

    def last_payments(self, account_number: str) -> list[PastPayment]:
        try:
            return self._center.last_payments(account_number).payments
        except CenterError as error:
            raise _failed(error) from error

    def reprint_past_payment(self, account_number: str, payment_id: str) -> bool:
        """The receipt of one of the account's last payments, marked as a reprint; printed?"""
        payment = next(
            (p for p in self.last_payments(account_number) if p.payment_id == payment_id), None
        )
        if payment is None or payment.receipt is None or self._print_paper is None:
            return False
        at = self._clock()

        def build(**paper: Any) -> Any:
            return reprint_job(payment, at=at, **paper)

        return self._print_paper(build, f"reprint of payment {payment_id[:8]}")

    def print_statement(self, account_number: str) -> bool:
        try:
            statement = self._center.statement(account_number)
        except CenterError as error:
            raise _failed(error) from error
        if self._print_paper is None:
            return False

        def build(**paper: Any) -> Any:
            return statement_job(statement, **paper)

        return self._print_paper(build, "statement")

    def invoice_title(self, tax_number: str) -> str | None:
        """The registered title of the organisation with this tax number, None when the
        register has none (or the number is not one); LookupFailed when it cannot be asked."""
        number = normalise(tax_number)
        if tax_number_problem(number) is not None:
            return None
        try:
            found = self._center.invoice_title(number)
        except CenterError as error:
            raise _failed(error) from error
        return found.title if found is not None else None

    def request_vat_invoice(self, form: VatForm) -> VatRequestAnswer:
        """Raises VatFormRefused for a form the center would refuse (checked here first, so a
        typo costs no round trip), LookupFailed when the center cannot be asked."""
        request = vat_request(form)
        try:
            return self._center.request_vat_invoice(request)
        except CenterRejected as refused:
            if refused.code == "invalid_tax_number":
                raise VatFormRefused(VatFormProblem.TAX_NUMBER_CHECK) from refused
            raise _failed(refused) from refused
        except CenterError as error:
            raise _failed(error) from error


def _failed(error: CenterError) -> LookupFailed:
    if isinstance(error, CenterTimeout):
        return LookupFailed(LookupProblem.TIMEOUT, str(error))
    if isinstance(error, CenterUnreachable):
        return LookupFailed(LookupProblem.UNREACHABLE, str(error))
    return LookupFailed(LookupProblem.CENTER_FAULT, str(error))
