"""Paying: drives each payment through the center until it is settled, and prints its receipt.

One thread per unsettled payment follows the domain's state machine (kiosk.domain.payment):
every state is committed to the journal before it is acted on, so a kiosk killed at any
instant resumes each payment from where it stood (`resume_unfinished`). The threads and the
waits between calls come from a `Runner` (ports): `ThreadRunner` here, or one that runs the
work inline on a manual clock in the unit tests. The payment code lives only in memory, only
until it has been sent once: after that the payment is followed by its id (query, reverse),
never by sending the code again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from drivers.contracts import PrintJob, marked_reprint
from kiosk.domain.payment import (
    QR_NOT_MADE,
    Action,
    Answer,
    CenterAnswer,
    Method,
    Payment,
    PaymentRecord,
    PaymentRules,
    PaymentState,
    ReceiptStatus,
    new_payment,
)
from kiosk.services.listeners import Listeners
from kiosk.services.payment_types import (
    PaymentLine,
    PaymentProblem,
    PaymentProgress,
    PaymentRefused,
    PayOrder,
    ReceiptEntry,
)
from kiosk.services.ports import (
    Joinable,
    PaymentCenter,
    PaymentJournal,
    ReceiptPrintingPort,
    Record,
    Runner,
)
from kiosk.services.receipt import notice_job, receipt_job, reference_slip_job
from kiosk.services.receipt_printing import PrintProblem
from rules.codes import ScannedCode
from sync.protocol import (
    Invoice,
    PaymentAnswer,
    PaymentMethod,
    PaymentPurpose,
    PaymentRequest,
    PaymentStatus,
    Wallet,
)
from sync.protocol.errors import CenterBusy, CenterError, CenterRejected, PaymentNotFound

log = logging.getLogger(__name__)

Listener = Callable[[PaymentProgress], None]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# What one call to the center came back with: its answer, or the error that stood for one.
Reply = PaymentAnswer | CenterError


class ThreadRunner:
    """Each payment on a daemon thread of its own; waits on the service's condition, waking at
    least every second to look at the clock and at `stop()`."""

    def start(self, name: str, work: Callable[[], None]) -> Joinable:
        thread = threading.Thread(target=work, name=name, daemon=True)
        thread.start()
        return thread

    def wait(self, condition: threading.Condition, seconds: float) -> None:
        condition.wait(min(seconds, 1.0))


@dataclass
class _Tracked:
    """One payment being driven: its latest committed state and what the journal keeps."""

    entry: Record
    code: str | None = None  # the payment code, until it has been sent once
    thread: Joinable | None = None


class Payments:
    """The kiosk's payments. Thread-safe; every public method but `watch` may block briefly on
    the store, and `reprint` on the printer: call them from worker threads."""

    def __init__(
        self,
        center: PaymentCenter,
        journal: PaymentJournal,
        printing: ReceiptPrintingPort | None,
        *,
        rules: PaymentRules,
        kiosk_id: str,
        station_name: str,
        paper_width_chars: int = 32,
        clock: Callable[[], dt.datetime] = _utc_now,
        runner: Runner | None = None,
    ) -> None:
        self._center = center
        self._journal = journal
        self._printing = printing
        self.rules = rules
        self._kiosk_id = kiosk_id
        self._station_name = station_name
        self._paper_width = paper_width_chars
        self._clock = clock
        self._runner: Runner = runner if runner is not None else ThreadRunner()
        self._lock = threading.Condition()
        self._tracked: dict[str, _Tracked] = {}
        self._listeners: Listeners[Listener] = Listeners("payment")
        self._stopping = False
        self._print_lock = threading.Lock()  # one receipt at a time on the one printer

    # -- what the screens call ------------------------------------------------------------

    def pay_by_code(self, order: PayOrder, code: ScannedCode) -> PaymentProgress:
        if not code.is_payment_code:
            raise PaymentRefused(PaymentProblem.NOT_A_PAYMENT_CODE, code.kind.value)
        return self._begin(order, Method.CODE, code.kind.value, code.text)

    def pay_by_qr(self, order: PayOrder, wallet: str) -> PaymentProgress:
        return self._begin(order, Method.NATIVE, wallet, None)

    def abandon(self, payment_id: str) -> None:
        """The resident left or cancelled: close (native) or reverse whatever may be open."""
        with self._lock:
            tracked = self._tracked.get(payment_id)
            if tracked is None:
                return
            payment = tracked.entry.payment
            changed = payment.abandon(self._clock())
            if changed == payment:
                return
            self._commit(tracked, changed)
            self._lock.notify_all()
        self._announce(tracked)

    def watch(self, listener: Listener) -> Callable[[], None]:
        return self._listeners.watch(listener)

    def progress(self, payment_id: str) -> PaymentProgress:
        with self._lock:
            tracked = self._tracked.get(payment_id)
            entry = tracked.entry if tracked is not None else None
        if entry is None:
            entry = self._journal.get(payment_id)
        if entry is None:
            raise KeyError(payment_id)
        return self._progress_of(entry)

    def receipts_for(self, account_number: str) -> list[ReceiptEntry]:
        return [
            ReceiptEntry(
                payment_id=entry.payment.id,
                reference=entry.payment.reference,
                paid_at=entry.payment.paid_at or entry.payment.updated_at,
                amount=entry.payment.amount,
                receipt=entry.receipt_status,
            )
            for entry in self._journal.paid_for(account_number)
            if entry.receipt is not None
        ]

    def reprint(self, payment_id: str) -> PaymentProgress:
        entry = self._journal.get(payment_id)
        if entry is None or entry.payment.state is not PaymentState.PAID:
            raise KeyError(payment_id)
        return self._progress_of(self._print_receipt(entry, reprint=_printed_before(entry)))

    def printer_problem(self) -> PrintProblem | None:
        """Why a receipt could not print now (answered at once, from the driver's last status)."""
        return self._printing.problem_now() if self._printing is not None else None

    def print_notice(self, text: str, hotline: str) -> bool:
        """Print a notice staff wrote during a video call; whether it came out."""
        if self._printing is None:
            return False
        job = notice_job(
            text=text,
            at=self._clock(),
            hotline=hotline,
            kiosk_id=self._kiosk_id,
            station_name=self._station_name,
            paper_width_chars=self._paper_width,
        )
        return self._print_paper(self._printing, job, "a notice from staff")

    def print_reference_slip(self, payment_id: str, hotline: str) -> bool:
        """Print the slip of a payment whose result is not confirmed; whether it came out.

        Not journaled: the payment settles as before, and its reference is on screen too."""
        with self._lock:
            tracked = self._tracked.get(payment_id)
            entry = tracked.entry if tracked is not None else self._journal.get(payment_id)
        if entry is None:
            raise KeyError(payment_id)
        if self._printing is None:
            return False
        payment = entry.payment
        job = reference_slip_job(
            reference=payment.reference,
            amount=payment.amount,
            at=payment.created_at,
            hotline=hotline,
            kiosk_id=self._kiosk_id,
            station_name=self._station_name,
            paper_width_chars=self._paper_width,
        )
        return self._print_paper(self._printing, job, f"slip of payment {payment.reference}")

    def print_slip(self, build: Callable[..., PrintJob], what: str) -> bool:
        """Print a paper that is not a payment's (an application's slip): `build` is given
        the paper's facts (kiosk_id, station_name, paper_width_chars); came out?"""
        if self._printing is None:
            return False
        job = build(
            kiosk_id=self._kiosk_id,
            station_name=self._station_name,
            paper_width_chars=self._paper_width,
        )
        return self._print_paper(self._printing, job, what)

    def _print_paper(self, printing: ReceiptPrintingPort, job: PrintJob, what: str) -> bool:
        """One paper that is not a receipt (a slip, a notice), one at a time; came out?"""
        with self._print_lock:
            result = printing.print(job)
        if not result.printed:
            log.warning("%s not printed: %s", what, result.reason)
        return result.printed

    # -- start and stop -------------------------------------------------------------------

    def resume_unfinished(self) -> int:
        """After a start: follow every unsettled payment again, print what was never printed.
        Returns how many payments were picked up."""
        now = self._clock()
        entries = self._journal.unfinished()
        for entry in entries:
            tracked = _Tracked(entry)
            with self._lock:
                if entry.payment.id in self._tracked:
                    continue
                self._tracked[entry.payment.id] = tracked
                self._commit(tracked, entry.payment.interrupted(now))
            log.info(
                "resuming payment",
                extra={"payment": entry.payment.reference, "state": entry.payment.state.value},
            )
            self._start(tracked)
        for entry in self._journal.receipts_unprinted():
            with self._lock:
                if entry.payment.id in self._tracked:
                    continue  # its own thread prints it
            self._print_receipt(entry, reprint=_printed_before(entry))
        return len(entries)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop driving payments; their state is in the journal for the next start."""
        with self._lock:
            self._stopping = True
            threads = [t.thread for t in self._tracked.values() if t.thread is not None]
            self._lock.notify_all()
        for thread in threads:
            thread.join(timeout)

    def for_technician(self) -> list[PaymentLine]:
        """Payments not settled yet, and paid ones whose receipt is not on paper, oldest first."""
        seen: dict[str, PaymentLine] = {}
        for entry in (
            *self._journal.unfinished(),
            *self._journal.receipts_unprinted(),
            *self._journal.waiting_for_reprint(),
        ):
            payment = entry.payment
            seen[payment.id] = PaymentLine(
                payment_id=payment.id,
                reference=payment.reference,
                amount=payment.amount,
                state=payment.state.value,
                receipt=entry.receipt_status,
                since=payment.created_at,
            )
        return sorted(seen.values(), key=lambda line: line.since)

    def receipts_pending(self) -> int:
        """Paid payments whose receipt has not been printed or kept for reprint yet."""
        return len(self._journal.receipts_unprinted())

    def unsettled(self) -> list[str]:
        with self._lock:
            return [
                pid for pid, tracked in self._tracked.items() if not tracked.entry.payment.settled
            ]

    # -- driving one payment -----------------------------------------------------------------

    def _begin(
        self, order: PayOrder, method: Method, wallet: str, code: str | None
    ) -> PaymentProgress:
        payment = new_payment(
            uuid.uuid4().hex,
            account_number=order.account_number,
            purpose=order.purpose,
            amount=order.amount,
            periods=order.periods,
            method=method,
            wallet=wallet,
            now=self._clock(),
        )
        tracked = _Tracked(PaymentRecord(payment), code=code)
        with self._lock:
            if self._stopping:
                raise PaymentRefused(PaymentProblem.NOT_READY, "the kiosk is stopping")
            self._tracked[payment.id] = tracked
            self._commit(tracked, payment)  # the intent, before anything is sent
        log.info(
            "payment created",
            extra={"payment": payment.reference, "method": method.value, "wallet": wallet},
        )
        self._start(tracked)
        return self._progress_of(tracked.entry)

    def _start(self, tracked: _Tracked) -> None:
        name = f"payment-{tracked.entry.payment.reference}"
        tracked.thread = self._runner.start(name, lambda: self._drive(tracked))

    def _drive(self, tracked: _Tracked) -> None:
        try:
            self._follow(tracked)
        except Exception:
            # The journal holds the last committed state: the next start resumes from it.
            log.exception(
                "payment %s stopped unexpectedly; it resumes at the next start",
                tracked.entry.payment.reference,
            )
            return
        finally:
            tracked.code = None
        entry = tracked.entry
        if entry.payment.state is PaymentState.PAID and not self._stopping:
            self._print_receipt(entry, reprint=False, tracked=tracked)

    def _follow(self, tracked: _Tracked) -> None:
        while True:
            with self._lock:
                while True:
                    if self._stopping:
                        return
                    payment = tracked.entry.payment
                    step = payment.next_step()
                    if step.action is Action.NONE:
                        return
                    wait = step.wait_s(self._clock())
                    if wait <= 0:
                        break
                    self._runner.wait(self._lock, wait)
                if step.action is Action.SUBMIT:
                    self._commit(tracked, payment.submitted(self._clock()))
                    payment = tracked.entry.payment
            self._announce(tracked)
            answer = self._ask(step.action, payment, tracked)
            with self._lock:
                current = tracked.entry.payment
                now = self._clock()
                if current is not payment and not _decisive(answer):
                    continue  # abandoned meanwhile: the next step is the reverse
                self._commit(tracked, self._apply(current, answer, now), answer)
            self._announce(tracked)

    def _ask(self, action: Action, payment: Payment, tracked: _Tracked) -> Reply:
        """One call to the center: a PaymentAnswer, or the error that stood for an answer."""
        try:
            if action is Action.SUBMIT:
                request = _request_of(payment, tracked.code)
                tracked.code = None  # sent once: from now on the id is enough
                return self._center.pay(payment.id, request)
            if action is Action.QUERY:
                return self._center.query_payment(payment.id)
            if action is Action.REVERSE:
                return self._center.reverse_payment(payment.id)
            return self._center.close_payment(payment.id)
        except CenterError as error:
            log.info(
                "payment %s: %s got no answer: %s",
                payment.reference,
                action.value,
                type(error).__name__,
            )
            return error

    def _apply(self, payment: Payment, answer: Reply, now: dt.datetime) -> Payment:
        rules = self.rules
        if isinstance(answer, PaymentAnswer):
            return payment.answered(_domain_answer(answer), now, rules)
        if isinstance(answer, PaymentNotFound):
            return payment.answered(CenterAnswer(Answer.NOT_FOUND), now, rules)
        if (
            isinstance(answer, CenterRejected)
            and not isinstance(answer, CenterBusy)
            and payment.state is PaymentState.SUBMITTED
        ):
            # The center refused to create it: no wallet was asked, nothing was taken.
            return payment.refused(answer.code, now)
        reason = answer.code if isinstance(answer, CenterRejected) else type(answer).__name__
        return payment.no_answer(now, rules, reason[:40])

    def _commit(self, tracked: _Tracked, payment: Payment, answer: Reply | None = None) -> None:
        """Journal first; only then is the new state the one the kiosk acts on."""
        invoice = receipt = None
        if isinstance(answer, PaymentAnswer) and payment.state is PaymentState.PAID:
            invoice, receipt = answer.invoice, answer.receipt
        self._journal.record(
            payment,
            invoice_number=None if invoice is None else invoice.number,
            invoice_url=None if invoice is None else invoice.url,
            receipt=receipt,
        )
        entry = tracked.entry
        tracked.entry = PaymentRecord(
            payment,
            invoice_number=entry.invoice_number if invoice is None else invoice.number,
            invoice_url=entry.invoice_url if invoice is None else invoice.url,
            receipt=entry.receipt if receipt is None else receipt,
            receipt_status=entry.receipt_status,
            receipt_prints=entry.receipt_prints,
        )

    # -- receipts -------------------------------------------------------------------------

    def _print_receipt(
        self, entry: Record, *, reprint: bool, tracked: _Tracked | None = None
    ) -> Record:
        with self._print_lock:
            entry = self._set_receipt(entry, ReceiptStatus.PRINTING, tracked)
            result_ok = False
            if entry.receipt is not None and self._printing is not None:
                job = self._receipt_job(entry, reprint)
                result = self._printing.print(job)
                result_ok = result.printed
                if not result.printed:
                    log.warning(
                        "receipt of payment %s not printed: %s",
                        entry.payment.reference,
                        result.reason,
                    )
            status = ReceiptStatus.PRINTED if result_ok else ReceiptStatus.WAITING_FOR_REPRINT
            return self._set_receipt(entry, status, tracked, printed=result_ok)

    def _set_receipt(
        self,
        entry: Record,
        status: ReceiptStatus,
        tracked: _Tracked | None,
        *,
        printed: bool = False,
    ) -> Record:
        self._journal.set_receipt_status(entry.payment.id, status, printed=printed)
        entry = PaymentRecord(
            entry.payment,
            invoice_number=entry.invoice_number,
            invoice_url=entry.invoice_url,
            receipt=entry.receipt,
            receipt_status=status,
            receipt_prints=entry.receipt_prints + printed,
        )
        if tracked is not None:
            with self._lock:
                tracked.entry = entry
            self._announce(tracked)
        else:
            self._tell(self._progress_of(entry))
        return entry

    def _receipt_job(self, entry: Record, reprint: bool) -> PrintJob:
        payment = entry.payment
        facts = entry.receipt
        if facts is None:
            raise ValueError(f"payment {payment.reference} has no receipt facts to print")
        invoice = None
        if entry.invoice_number and entry.invoice_url:
            invoice = Invoice(
                number=entry.invoice_number,
                url=entry.invoice_url,
                issued_at=payment.paid_at or payment.updated_at,
            )
        job = receipt_job(
            facts,
            payment_id=payment.id,
            reference=payment.reference,
            wallet=payment.wallet,
            transaction_id=payment.transaction_id or payment.reference,
            paid_at=payment.paid_at or payment.updated_at,
            invoice=invoice,
            kiosk_id=self._kiosk_id,
            station_name=self._station_name,
            paper_width_chars=self._paper_width,
        )
        return marked_reprint(job) if reprint else job

    # -- telling the screens --------------------------------------------------------------

    def _announce(self, tracked: _Tracked) -> None:
        with self._lock:
            entry = tracked.entry
        self._tell(self._progress_of(entry))

    def _tell(self, progress: PaymentProgress) -> None:
        self._listeners.tell(progress)

    def _progress_of(self, entry: Record) -> PaymentProgress:
        payment = entry.payment
        return PaymentProgress(
            payment_id=payment.id,
            reference=payment.reference,
            outcome=payment.outcome(self._clock(), self.rules),
            state=payment.state,
            method=payment.method,
            wallet=payment.wallet,
            amount=payment.amount,
            waiting_for_resident=payment.waiting_for_resident,
            # The technical reason of a QR never made is in the log; the resident is told plainly.
            reason=QR_NOT_MADE if payment.qr_not_made else payment.reason,
            refunded=payment.refunded,
            code_url=payment.code_url,
            expires_at=payment.expires_at,
            transaction_id=payment.transaction_id,
            paid_at=payment.paid_at,
            invoice_number=entry.invoice_number,
            invoice_url=entry.invoice_url,
            receipt=entry.receipt_status,
        )


def _printed_before(entry: Record) -> bool:
    """Whether a copy of this receipt may be on paper already, so the next one says REPRINT: one
    printed, or one caught mid-print by a crash. A receipt that never came out (paper out) is
    the resident's first copy, and is printed unmarked."""
    return entry.receipt_prints > 0 or entry.receipt_status is ReceiptStatus.PRINTING


def _decisive(answer: Reply) -> bool:
    """An answer that settles the payment whatever was asked (a late "paid" still counts)."""
    return isinstance(answer, PaymentAnswer) and answer.status is PaymentStatus.PAID


def _domain_answer(answer: PaymentAnswer) -> CenterAnswer:
    return CenterAnswer(
        status=Answer(answer.status.value),
        reason=answer.reason,
        recall=answer.recall,
        refunded=answer.refunded,
        transaction_id=answer.transaction_id,
        paid_at=answer.paid_at,
        code_url=answer.code_url,
        expires_at=answer.expires_at,
    )


def _request_of(payment: Payment, code: str | None) -> PaymentRequest:
    return PaymentRequest(
        account_number=payment.account_number,
        purpose=PaymentPurpose(payment.purpose.value),
        amount=payment.amount,
        periods=list(payment.periods),
        method=PaymentMethod(payment.method.value),
        wallet=Wallet(payment.wallet),
        payment_code=code,
    )
