"""The payment service on in-memory fakes of its ports and a manual clock.

No database, no network, no threads, no sleeps: the center, the journal, the receipt printer
and the runner are fakes of the contracts in kiosk.services.ports. The runner runs a payment's
work inline and lets time pass by moving the clock, so a payment is driven to its end before
`pay_by_code` returns (or, deferred, when the test says so).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

import pytest

from drivers.contracts import REPRINT_MARK, PrintJob
from kiosk.domain.payment import (
    Method,
    Outcome,
    Payment,
    PaymentEvent,
    PaymentRecord,
    PaymentRules,
    PaymentState,
    Purpose,
    ReceiptStatus,
    new_payment,
)
from kiosk.services.paying import Payments
from kiosk.services.payment_types import PaymentProblem, PaymentRefused, PayOrder
from kiosk.services.ports import Joinable, Record
from kiosk.services.receipt_printing import PrintProblem, PrintResult
from rules.codes import ScannedCode, classify_code
from sync.protocol import (
    PaymentAnswer,
    PaymentMethod,
    PaymentRequest,
    PaymentStatus,
    ReceiptFacts,
    Wallet,
)
from sync.protocol.errors import (
    CenterBusy,
    CenterError,
    CenterNonsense,
    CenterRejected,
    CenterTimeout,
    CenterUnreachable,
    PaymentNotFound,
)

START = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
ACCOUNT = "3201000005"
WECHAT_CODE = "134567890123456789"
ORDER = PayOrder(ACCOUNT, Purpose.ARREARS, Decimal("45.60"), ("2026-01",))
RULES = PaymentRules()  # the production pace: the clock is ours to move
FACTS = ReceiptFacts(
    account_number_masked="3201****05",
    holder_name_masked="王*明",
    utility="electricity",
    unit="kWh",
    purpose="arrears",
    periods=[],
    amount=Decimal("45.60"),
    late_fee=Decimal("0.00"),
    total=Decimal("45.60"),
    balance_after=Decimal("0.00"),
)


# -- fakes of the ports -----------------------------------------------------------------------


class ManualClock:
    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


class Done:
    def join(self, timeout: float | None = None) -> None:
        pass


class InlineRunner:
    """Runs a payment's work at once on the caller's thread. A wait moves the clock instead of
    sleeping, unless something is to happen `meanwhile` (what another thread would do while
    the payment waits): then that is done, and the wait ends early as a notify would end it."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.meanwhile: list[Callable[[], None]] = []
        self.waited: list[float] = []

    def start(self, name: str, work: Callable[[], None]) -> Joinable:
        work()
        return Done()

    def wait(self, condition: threading.Condition, seconds: float) -> None:
        if self.meanwhile:
            self.meanwhile.pop(0)()
            return
        self.waited.append(seconds)
        self.clock.advance(seconds)


Reply = PaymentAnswer | CenterError | Callable[[str], PaymentAnswer | CenterError]


@dataclass
class Call:
    action: str
    payment_id: str
    request: PaymentRequest | None = None


class FakeCenter:
    """The center's payment routes: each action answers from its script, in order; the last
    answer of a script repeats. An answer is a PaymentAnswer, an error to raise, or a function
    of the payment id giving either."""

    def __init__(self, **scripts: list[Reply]) -> None:
        self.scripts = {action: list(replies) for action, replies in scripts.items()}
        self.calls: list[Call] = []

    def pay(self, payment_id: str, request: PaymentRequest) -> PaymentAnswer:
        return self._answer(Call("pay", payment_id, request))

    def query_payment(self, payment_id: str) -> PaymentAnswer:
        return self._answer(Call("query", payment_id))

    def reverse_payment(self, payment_id: str) -> PaymentAnswer:
        return self._answer(Call("reverse", payment_id))

    def close_payment(self, payment_id: str) -> PaymentAnswer:
        return self._answer(Call("close", payment_id))

    def actions(self) -> list[str]:
        return [call.action for call in self.calls]

    def _answer(self, call: Call) -> PaymentAnswer:
        self.calls.append(call)
        script = self.scripts.get(call.action)
        if not script:
            raise AssertionError(f"the center was not expected to be asked to {call.action}")
        reply = script.pop(0) if len(script) > 1 else script[0]
        if callable(reply) and not isinstance(reply, PaymentAnswer | CenterError):
            reply = reply(call.payment_id)
        if isinstance(reply, CenterError):
            raise reply
        return reply


@dataclass
class FakeJournal:
    """The journal in memory. Like the store's unit of work, `record` takes the payment's
    recorded events with the commit (here: into `events`) and empties its list."""

    records: dict[str, Record] = field(default_factory=dict)
    events: list[PaymentEvent] = field(default_factory=list)
    receipt_events: list[tuple[str, ReceiptStatus]] = field(default_factory=list)

    def record(
        self,
        payment: Payment,
        *,
        invoice_number: str | None = None,
        invoice_url: str | None = None,
        receipt: ReceiptFacts | None = None,
    ) -> None:
        old = self.records.get(payment.id) or PaymentRecord(payment)
        self.records[payment.id] = replace(
            old,
            payment=replace(payment, events=[]),
            invoice_number=invoice_number or old.invoice_number,
            invoice_url=invoice_url or old.invoice_url,
            receipt=receipt or old.receipt,
        )
        self.events.extend(payment.events)
        payment.events.clear()

    def set_receipt_status(
        self, payment_id: str, status: ReceiptStatus, *, printed: bool = False
    ) -> None:
        old = self.records[payment_id]
        self.records[payment_id] = replace(
            old, receipt_status=status, receipt_prints=old.receipt_prints + printed
        )
        self.receipt_events.append((payment_id, status))

    def get(self, payment_id: str) -> Record | None:
        return self.records.get(payment_id)

    def unfinished(self) -> list[Record]:
        return [r for r in self.records.values() if not r.payment.settled]

    def receipts_unprinted(self) -> list[Record]:
        return [
            r
            for r in self.records.values()
            if r.payment.state is PaymentState.PAID
            and r.receipt_status in (ReceiptStatus.NONE, ReceiptStatus.PRINTING)
        ]

    def paid_for(self, account_number: str, limit: int = 10) -> list[Record]:
        paid = [
            r
            for r in self.records.values()
            if r.payment.account_number == account_number and r.payment.state is PaymentState.PAID
        ]
        return paid[:limit]

    def event_types(self, payment_id: str) -> list[str]:
        return [type(e).__name__ for e in self.events if e.payment_id == payment_id]


class FakePrinter:
    """The receipt printing port: prints (or fails with `problem`) and keeps every job."""

    def __init__(self, problem: PrintProblem | None = None) -> None:
        self.problem = problem
        self.jobs: list[PrintJob] = []

    def print(self, job: PrintJob) -> PrintResult:
        self.jobs.append(job)
        if self.problem is not None:
            return PrintResult(False, self.problem)
        return PrintResult(True, None, f"job-{len(self.jobs)}")

    def problem_now(self) -> PrintProblem | None:
        return self.problem


# -- the center's answers ---------------------------------------------------------------------


def answer(status: PaymentStatus, **changes: object) -> Callable[[str], PaymentAnswer]:
    def made(payment_id: str) -> PaymentAnswer:
        fields: dict[str, object] = {
            "payment_id": payment_id,
            "status": status,
            "wallet": Wallet.WECHAT,
            "method": PaymentMethod.CODE,
            "amount": ORDER.amount,
        }
        if status is PaymentStatus.PAID:
            fields |= {"transaction_id": "4200002026030112345678", "paid_at": START}
            fields["receipt"] = FACTS
        return PaymentAnswer.model_validate(fields | changes)

    return made


PAID = answer(PaymentStatus.PAID)
UNKNOWN = answer(PaymentStatus.UNKNOWN, reason="systemerror")
PAYING = answer(PaymentStatus.PAYING)
REVERSED = answer(PaymentStatus.REVERSED, refunded=True)
CLOSED = answer(PaymentStatus.CLOSED)


# -- the service on them ----------------------------------------------------------------------


@dataclass
class Kiosk:
    center: FakeCenter
    journal: FakeJournal
    printer: FakePrinter
    clock: ManualClock
    runner: InlineRunner
    payments: Payments


def kiosk(
    center: FakeCenter,
    *,
    printer: FakePrinter | None = None,
    journal: FakeJournal | None = None,
) -> Kiosk:
    clock = ManualClock()
    runner = InlineRunner(clock)
    journal = journal or FakeJournal()
    printer = printer or FakePrinter()
    payments = Payments(
        center,
        journal,
        printer,
        rules=RULES,
        kiosk_id="kiosk-unit",
        station_name="钟灵街营业基站",
        clock=clock,
        runner=runner,
    )
    return Kiosk(center, journal, printer, clock, runner, payments)


def code(text: str = WECHAT_CODE) -> ScannedCode:
    return classify_code(text, "https://bill.example/")


def pay(k: Kiosk) -> str:
    return k.payments.pay_by_code(ORDER, code()).payment_id


# -- the main paths ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_thread_is_started() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    assert set(threading.enumerate()) <= before


def test_a_payment_code_that_pays_settles_and_prints_the_receipt() -> None:
    k = kiosk(FakeCenter(pay=[PAID]))
    seen = []
    k.payments.watch(seen.append)

    payment_id = pay(k)

    progress = k.payments.progress(payment_id)
    assert (progress.outcome, progress.state) == (Outcome.PAID, PaymentState.PAID)
    assert progress.receipt is ReceiptStatus.PRINTED
    assert progress.transaction_id == "4200002026030112345678"
    assert k.center.actions() == ["pay"]
    [request] = [call.request for call in k.center.calls]
    assert request is not None and request.payment_code == WECHAT_CODE
    assert (request.account_number, request.amount, request.periods) == (
        ACCOUNT,
        ORDER.amount,
        ["2026-01"],
    )
    assert len(k.printer.jobs) == 1 and REPRINT_MARK not in k.printer.jobs[0].lines
    # Every state committed, and its event with it; the receipt's story after.
    assert k.journal.event_types(payment_id) == [
        "PaymentCreated",
        "PaymentSubmitted",
        "PaymentPaid",
    ]
    assert [status for _, status in k.journal.receipt_events] == [
        ReceiptStatus.PRINTING,
        ReceiptStatus.PRINTED,
    ]
    record = k.journal.get(payment_id)
    assert record is not None and record.receipt == FACTS  # typed, as the center sent it
    assert seen[-1].finished and k.runner.waited == []


def test_the_center_unreachable_at_the_create_is_queried_until_it_answers() -> None:
    down = CenterUnreachable("POST /v1/payments: ConnectionRefusedError")
    k = kiosk(
        FakeCenter(
            pay=[down],
            query=[CenterTimeout("no answer"), CenterUnreachable("down"), PAYING, PAID],
        )
    )

    payment_id = pay(k)

    progress = k.payments.progress(payment_id)
    assert progress.outcome is Outcome.PAID and progress.receipt is ReceiptStatus.PRINTED
    # The code went once; after that the payment is followed by its id alone.
    assert k.center.actions() == ["pay", "query", "query", "query", "query"]
    assert [c.request.payment_code for c in k.center.calls if c.request] == [WECHAT_CODE]
    assert k.runner.waited == [
        RULES.first_query_s,
        RULES.query_interval_s,
        RULES.query_interval_s,
        RULES.query_interval_s,
    ]
    assert k.journal.event_types(payment_id)[-2:] == ["PaymentUnknown", "PaymentPaid"]


def test_a_payment_sent_before_a_restart_is_resumed_from_the_journal() -> None:
    journal = FakeJournal()
    sent = new_payment(
        "0123456789abcdef0123456789abcdef",
        account_number=ACCOUNT,
        purpose=Purpose.ARREARS,
        amount=ORDER.amount,
        periods=ORDER.periods,
        method=Method.CODE,
        wallet="wechat",
        now=START - dt.timedelta(seconds=2),
    ).submitted(START - dt.timedelta(seconds=1))
    journal.record(sent)
    k = kiosk(FakeCenter(query=[PaymentNotFound(sent.id), PAID]), journal=journal)

    assert k.payments.resume_unfinished() == 1

    progress = k.payments.progress(sent.id)
    assert progress.outcome is Outcome.PAID and progress.receipt is ReceiptStatus.PRINTED
    assert k.center.actions() == ["query", "query"]
    assert {call.payment_id for call in k.center.calls} == {sent.id}


def test_an_unknown_payment_is_queried_through_its_window_then_reversed() -> None:
    k = kiosk(FakeCenter(pay=[UNKNOWN], query=[UNKNOWN], reverse=[REVERSED]))

    payment_id = pay(k)

    progress = k.payments.progress(payment_id)
    assert (progress.outcome, progress.state) == (Outcome.CANCELLED, PaymentState.REVERSED)
    assert progress.refunded and progress.receipt is ReceiptStatus.NONE
    actions = k.center.actions()
    assert actions[0] == "pay" and actions[-1] == "reverse"
    assert set(actions[1:-1]) == {"query"} and len(actions[1:-1]) >= 8
    # The window counts from the first unknown: the reverse comes when it is over, not before.
    assert k.clock.now - START >= dt.timedelta(seconds=RULES.query_window_s)
    assert k.printer.jobs == []
    assert k.journal.event_types(payment_id)[-2:] == ["PaymentReversing", "PaymentReversed"]


def test_a_reverse_the_wallet_asks_to_recall_is_sent_again_until_it_is_done() -> None:
    recall = answer(PaymentStatus.UNKNOWN, recall=True)
    k = kiosk(
        FakeCenter(
            pay=[answer(PaymentStatus.UNKNOWN, reason="payerror")],
            reverse=[recall, CenterUnreachable("down"), REVERSED],
        )
    )

    payment_id = pay(k)

    # payerror: reversed at once, no query; the reverse retried at the wallets' pace.
    assert k.center.actions() == ["pay", "reverse", "reverse", "reverse"]
    assert k.payments.progress(payment_id).outcome is Outcome.CANCELLED
    assert k.runner.waited == [RULES.reverse_interval_s, RULES.reverse_interval_s]


@pytest.mark.parametrize(
    "code_",
    ["amount_changed", "already_paid", "account_not_found", "invalid_request", "kiosk_locked"],
)
def test_a_create_the_center_refuses_fails_at_once_and_nothing_is_undone(code_: str) -> None:
    k = kiosk(FakeCenter(pay=[CenterRejected(409, code_, "refused")]))

    payment_id = pay(k)

    progress = k.payments.progress(payment_id)
    assert (progress.outcome, progress.reason) == (Outcome.DECLINED, code_)
    assert k.center.actions() == ["pay"]  # no query, no reverse: nothing reached a wallet
    assert k.printer.jobs == []
    assert k.journal.event_types(payment_id)[-1] == "PaymentFailed"


def test_a_wallet_that_declines_the_payment_fails_it_with_the_wallets_reason() -> None:
    declined = answer(PaymentStatus.FAILED, reason="insufficient_funds")
    k = kiosk(FakeCenter(pay=[declined]))

    progress = k.payments.progress(pay(k))

    assert (progress.outcome, progress.reason) == (Outcome.DECLINED, "insufficient_funds")
    assert k.center.actions() == ["pay"]


@pytest.mark.parametrize(
    "error",
    [CenterBusy(), CenterNonsense("HTTP 502 from the center", 502), CenterTimeout("slow")],
    ids=["busy", "nonsense", "timeout"],
)
def test_no_usable_answer_to_the_create_is_no_refusal_the_payment_is_queried(
    error: CenterError,
) -> None:
    k = kiosk(FakeCenter(pay=[error], query=[PAID]))

    progress = k.payments.progress(pay(k))

    assert progress.outcome is Outcome.PAID
    assert k.center.actions() == ["pay", "query"]


def test_one_idempotency_key_from_the_create_to_the_reverse() -> None:
    k = kiosk(FakeCenter(pay=[CenterBusy()], query=[CenterUnreachable("down"), UNKNOWN]))
    k.center.scripts["reverse"] = [CenterTimeout("slow"), CLOSED]

    payment_id = pay(k)

    assert re.fullmatch("[0-9a-f]{32}", payment_id)
    assert k.payments.progress(payment_id).outcome is Outcome.CANCELLED
    assert {call.payment_id for call in k.center.calls} == {payment_id}
    assert k.center.actions().count("pay") == 1
    # A second payment gets a key of its own.
    k.center.scripts = {"pay": [PAID]}
    assert pay(k) != payment_id


def test_what_is_not_a_payment_code_is_refused_before_anything_is_sent() -> None:
    k = kiosk(FakeCenter())

    with pytest.raises(PaymentRefused) as refused:
        k.payments.pay_by_code(ORDER, code("hello"))

    assert refused.value.problem is PaymentProblem.NOT_A_PAYMENT_CODE
    assert k.center.calls == [] and k.journal.records == {}


def test_a_receipt_the_printer_could_not_print_is_kept_and_its_first_copy_is_not_a_reprint() -> (
    None
):
    printer = FakePrinter(PrintProblem.PAPER_OUT)
    k = kiosk(FakeCenter(pay=[PAID]), printer=printer)

    payment_id = pay(k)

    assert k.payments.progress(payment_id).receipt is ReceiptStatus.WAITING_FOR_REPRINT
    assert [e.payment_id for e in k.payments.receipts_for(ACCOUNT)] == [payment_id]
    printer.problem = None
    progress = k.payments.reprint(payment_id)
    assert progress.receipt is ReceiptStatus.PRINTED
    # Nothing came out the first time: this is the resident's first copy, unmarked.
    assert len(printer.jobs) == 2 and REPRINT_MARK not in printer.jobs[1].lines
    k.payments.reprint(payment_id)
    assert len(printer.jobs) == 3 and printer.jobs[2].lines[0] == REPRINT_MARK
    record = k.journal.get(payment_id)
    assert record is not None and record.receipt_prints == 2


def test_the_printer_problem_is_known_before_paying() -> None:
    printer = FakePrinter(PrintProblem.PAPER_OUT)
    k = kiosk(FakeCenter(), printer=printer)

    assert k.payments.printer_problem() is PrintProblem.PAPER_OUT
    printer.problem = None
    assert k.payments.printer_problem() is None


def test_a_native_qr_left_by_the_resident_is_closed() -> None:
    waiting = answer(
        PaymentStatus.WAITING,
        method=PaymentMethod.NATIVE,
        code_url="weixin://wxpay/bizpayurl?pr=abc",
        expires_at=START + dt.timedelta(minutes=5),
    )
    k = kiosk(FakeCenter(pay=[waiting], close=[CLOSED]))
    # The QR is shown; before the first query the resident walks away.
    k.runner.meanwhile.append(lambda: k.payments.abandon(next(iter(k.journal.records))))

    started = k.payments.pay_by_qr(ORDER, "wechat")

    progress = k.payments.progress(started.payment_id)
    assert (progress.outcome, progress.state) == (Outcome.CANCELLED, PaymentState.REVERSED)
    assert k.center.actions() == ["pay", "close"]
    assert k.runner.waited == []  # no query: the close went at once
    assert k.journal.event_types(started.payment_id)[-2:] == [
        "PaymentReversing",
        "PaymentReversed",
    ]
