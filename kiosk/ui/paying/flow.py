"""Paying a bill on screen: amount, confirm and choose, pay by code or QR, result, rating.

The controller of the payment screens, like LookupFlow for finding the bill: it calls the
services in the background and tells the screens what to show (reprinting a receipt is
ReprintFlow's, recording the rating RatingStep's). It follows a payment through a PaymentWatch,
so the screen always reaches a result even if a change was missed (the "could not confirm"
outcome is computed by the clock).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from kiosk.domain.payment import Method, Outcome, PaymentState, outcome_told
from kiosk.services.payment_types import PaymentLimits, PaymentRefused
from kiosk.ui.background import BackgroundTasks, TaskGroup
from kiosk.ui.paying.rating_step import RatingStep
from kiosk.ui.paying.reference_slip import ReferenceSlip
from kiosk.ui.paying.refusals import PaymentRefusals
from kiosk.ui.paying.screens import PaymentScreens
from kiosk.ui.paying.watch import PaymentWatch
from kiosk.ui.widgets import Words

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.services.payment_types import PaymentProgress, PayOrder
    from kiosk.services.receipt_printing import PrintProblem
    from kiosk.services.screen_types import AccountBill

log = logging.getLogger(__name__)


class PaymentFlow(QObject):
    sig_show_screen = Signal(str)
    """(screen name): the flow moved on to this screen."""

    sig_hold_timeout = Signal(bool)
    """(hold): True while a payment is unsettled (its own timeout governs), False after."""

    sig_lock_navigation = Signal(bool)
    """(locked): True while a code payment is being settled: no Back, Home or Finish."""

    sig_outcome_shown = Signal(object)
    """(PaymentProgress): a result screen is up; the steps before it are behind the resident."""

    sig_finished = Signal()
    """(): rated or skipped (by the RatingStep): the session is over."""

    sig_bill_offered = Signal(object)
    """(AccountBill): the ways to pay (if any) are on the bill; its receipts are looked for next."""

    def __init__(
        self,
        services: UseCases | None,
        tasks: BackgroundTasks,
        screens: PaymentScreens,
        *,
        center_timeout_s: float,
        qr_window_s: float = 300.0,
        poll_interval_s: float = 2.0,
        monotonic: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.screens = screens
        self._timeout_s = center_timeout_s
        self._qr_window_s = qr_window_s
        self._monotonic = monotonic
        self._bill: AccountBill | None = None
        self._order: PayOrder | None = None
        self._held = False
        self._locked = False
        self._reachable = True
        self._tasks = TaskGroup(tasks)
        self._watch = PaymentWatch(
            services,
            self._tasks,
            timeout_s=center_timeout_s,
            poll_interval_s=poll_interval_s,
            parent=self,
        )
        self._watch.sig_news.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._refusals = PaymentRefusals(self._limits, parent=self)
        self._slip = ReferenceSlip(services, self._tasks, screens.result, parent=self)
        self._reset_payment()
        self._last_payment_id: str | None = None
        self._ticker = QTimer(self)
        self._ticker.setInterval(500)
        self._ticker.timeout.connect(self._tick)
        s = screens
        s.bill.sig_pay.connect(self.pay_arrears)
        s.bill.sig_prepay.connect(self.prepay)
        s.amount.sig_amount.connect(self.amount_chosen)
        s.method.sig_pay_by_code.connect(self.pay_by_code_chosen)
        s.method.sig_pay_by_qr.connect(self.pay_by_qr_chosen)
        s.qr.sig_cancel.connect(self.cancel_qr)
        s.result.sig_done.connect(self.result_read)
        s.result.sig_try_again.connect(self.try_again)
        self.rating = RatingStep(
            services, tasks, s.rating, payment_id=lambda: self._last_payment_id, parent=self
        )
        self.rating.sig_finished.connect(self.sig_finished)

    # -- state -----------------------------------------------------------------------------

    def _reset_payment(self) -> None:
        self._payment_id: str | None = None
        self._method: Method | None = None
        self._starting: int | None = None  # token of pay_by_code / pay_by_qr
        self._result_shown = False
        self._left_qr = False
        self._closing = False
        self._qr_deadline: float | None = None
        self._watch.restart()
        self._code_wanted = False

    @property
    def services(self) -> UseCases:
        if self._services is None:
            raise RuntimeError("this window only displays (screenshots): it has no services")
        return self._services

    def _limits(self) -> PaymentLimits:
        return self._services.payment_limits if self._services else PaymentLimits()

    @property
    def payment_id(self) -> str | None:
        return self._payment_id

    @property
    def settling(self) -> bool:
        """A payment has started and its outcome is not on screen yet."""
        return (self._starting is not None or self._payment_id is not None) and not (
            self._result_shown or self._left_qr
        )

    def takes_code(self, screen: str) -> bool:
        """Whether a scanned code belongs to paying, not to looking up an account."""
        s = self.screens
        return screen in (s.code.name, s.qr.name, s.result.name, s.rating.name) or self.settling

    def _guard(self, hold: bool, lock: bool) -> None:
        if hold != self._held:
            self._held = hold
            self.sig_hold_timeout.emit(hold)
        if lock != self._locked:
            self._locked = lock
            self.sig_lock_navigation.emit(lock)

    def _follow(self) -> None:
        self._watch.subscribe()
        if not self._ticker.isActive():
            self._ticker.start()

    def teardown(self) -> None:
        self._ticker.stop()
        self._watch.unsubscribe()

    # -- from the bill ---------------------------------------------------------------------

    def bill_shown(self, bill: AccountBill) -> None:
        """Offer the ways to pay for this bill (then its receipts are looked for)."""
        self._bill = bill
        services = self._services
        if services is None or not services.payments_enabled:
            self.screens.bill.set_actions(None, prepay=False, reprint=False)
        else:
            try:
                total: Decimal | None = services.order_for_arrears(bill).amount
            except PaymentRefused:
                total = None
            prepay = services.payment_limits.allows_prepay
            self.screens.bill.set_actions(total, prepay=prepay, reprint=False)
        self.sig_bill_offered.emit(bill)

    def pay_arrears(self) -> None:
        if self._bill is None:
            return
        try:
            order = self.services.order_for_arrears(self._bill)
        except PaymentRefused:
            return  # the button is only shown when something is owed
        self._confirm(order)

    def prepay(self) -> None:
        limits = self.services.payment_limits
        self.screens.amount.start(limits.prepay_min, limits.prepay_max)
        self.sig_show_screen.emit(self.screens.amount.name)

    def amount_chosen(self, amount: Decimal) -> None:
        if self._bill is None:
            return
        try:
            order = self.services.order_for_prepay(self._bill, amount)
        except PaymentRefused as refused:
            self.screens.amount.show_message(self._refusal_words(refused))
            return
        self._confirm(order)

    def _confirm(self, order: PayOrder) -> None:
        assert self._bill is not None
        self._order = order
        self._reset_payment()
        # Asked each time the choice is shown: paper may have run out, or been loaded, since.
        problem = self._printer_problem()
        self.screens.method.show_order(order, self._bill, problem)
        self.screens.method.watch_printer(self._printer_problem)
        self.sig_show_screen.emit(self.screens.method.name)

    def _printer_problem(self) -> PrintProblem | None:
        return self._services.printer_problem if self._services is not None else None

    # -- paying by code --------------------------------------------------------------------

    def pay_by_code_chosen(self) -> None:
        if self._order is None:
            return
        self._reset_payment()
        self._code_wanted = True
        self.screens.code.start(self._order.amount)
        self.sig_show_screen.emit(self.screens.code.name)

    def code_scanned(self, text: str) -> None:
        code = self.screens.code
        if self._order is None or not self._code_wanted or self.settling:
            log.info("a code scanned while no payment code is wanted was ignored")
            return
        self._reset_payment()
        self._code_wanted = True
        self._method = Method.CODE
        self._follow()
        code.show_paying()
        self._guard(hold=True, lock=True)
        self._starting = self._tasks.run(
            self.services.pay_by_code,
            self._order,
            text,
            # Only the local journal is written before it returns; the long bound covers a
            # kiosk still starting (StartingServices waits for the back end).
            timeout_s=max(self._timeout_s, 60.0),
            on_result=self._started,
            on_error=self._code_refused,
        )

    def _code_refused(self, error: BaseException) -> None:
        self._starting = None
        self._guard(hold=False, lock=False)
        self.screens.code.show_message(self._refusal_words(error))

    # -- paying by QR ----------------------------------------------------------------------

    def pay_by_qr_chosen(self, wallet: str) -> None:
        if self._order is None:
            return
        self._reset_payment()
        self._method = Method.NATIVE
        self._follow()
        self.screens.qr.start(self._order.amount, wallet)
        self.sig_show_screen.emit(self.screens.qr.name)
        self._guard(hold=True, lock=False)
        self._starting = self._tasks.run(
            self.services.pay_by_qr,
            self._order,
            wallet,
            timeout_s=max(self._timeout_s, 60.0),
            on_result=self._started,
            on_error=self._qr_refused,
        )

    def _qr_refused(self, error: BaseException) -> None:
        self._starting = None
        self._guard(hold=False, lock=False)
        if not self._left_qr:
            self.screens.qr.show_message(self._refusal_words(error))

    def cancel_qr(self) -> None:
        """Cancel: the QR goes at once; the result says whether anything was taken."""
        self.screens.qr.show_closing()
        self._closing = True
        self._abandon()

    def screen_left(self, old: str, new: str) -> None:
        """The window moved from `old` to `new` (any way: Back, Home, Help, the session end)."""
        s = self.screens
        if old == s.code.name and not self.settling:
            self._code_wanted = False
        if old == s.qr.name and new != s.result.name and self.settling:
            self._left_qr = True
            self._guard(hold=False, lock=False)
            self._abandon()
        if new == s.bill.name and self._bill is not None and old == s.result.name:
            self.bill_shown(self._bill)

    def _abandon(self) -> None:
        payment_id = self._payment_id
        if payment_id is None:
            return  # not started yet: abandoned as soon as it is (see _started)
        self._tasks.run(
            self.services.abandon_payment,
            payment_id,
            timeout_s=max(self._timeout_s, 60.0),
            on_result=lambda _: None,
            on_error=lambda error: log.warning(
                "abandoning a payment failed: %s", type(error).__name__
            ),
        )

    # -- following the payment -------------------------------------------------------------

    def _started(self, progress: PaymentProgress) -> None:
        self._starting = None
        self._payment_id = self._last_payment_id = progress.payment_id
        self._watch.started(self._monotonic())
        if self._left_qr or self._closing:
            self._abandon()
        self._on_progress(progress)
        later = self._watch.latest(progress.payment_id)
        if later is not None and later is not progress:
            self._on_progress(later)

    def center_reachable(self, online: bool) -> None:
        """The link to the center came or went: a payment waiting on it is told so at once."""
        self._reachable = online
        latest = self._watch.latest(self._payment_id or "")
        if not online and latest is not None:
            self._on_progress(latest)

    def _on_progress(self, progress: PaymentProgress) -> None:
        told = outcome_told(progress.outcome, progress.method, center_reachable=self._reachable)
        if told is not progress.outcome:
            progress = dataclasses.replace(progress, outcome=told)
        if not self._watch.keep(progress) or progress.payment_id != self._payment_id:
            return
        if self._left_qr:
            # They walked away from the QR; only money actually taken brings them a result.
            if progress.outcome is Outcome.PAID:
                self._show_result(progress)
            return
        if progress.outcome is Outcome.IN_PROGRESS:
            if not self._result_shown:
                self._show_in_progress(progress)
            return
        self._show_result(progress)

    def _show_in_progress(self, progress: PaymentProgress) -> None:
        if progress.method is Method.CODE:
            if progress.waiting_for_resident:
                self.screens.code.show_confirm_on_phone()
            else:
                self.screens.code.show_paying()
            return
        qr = self.screens.qr
        if self._closing or progress.state is PaymentState.REVERSING:
            qr.show_closing()
            return
        if progress.code_url:
            qr.show_code(progress.code_url)
            if self._qr_deadline is None:
                self._qr_deadline = self._monotonic() + self._qr_seconds(progress)
                qr.show_seconds_left(int(self._qr_deadline - self._monotonic()))

    def _qr_seconds(self, progress: PaymentProgress) -> float:
        seconds = self._qr_window_s
        if progress.expires_at is not None:
            left = (progress.expires_at - dt.datetime.now(dt.UTC)).total_seconds()
            seconds = min(seconds, max(0.0, left))
        return seconds

    def _show_result(self, progress: PaymentProgress) -> None:
        result = self.screens.result
        first = not self._result_shown
        self._result_shown = True
        self._left_qr = False
        self._guard(hold=False, lock=False)
        result.show_progress(progress)
        self._slip.shown(progress)
        if first:
            self.sig_show_screen.emit(result.name)
            self.sig_outcome_shown.emit(progress)

    def _tick(self) -> None:
        now = self._monotonic()
        if self._qr_deadline is not None and not self._result_shown and not self._closing:
            left = self._qr_deadline - now
            self.screens.qr.show_seconds_left(int(left))
            if left <= 0 and not self._left_qr:
                # Its time is up: close it, so the QR cannot be paid any more.
                self.cancel_qr()
        self._watch.poll(self._payment_id, now, self._on_progress)

    # -- after the result ------------------------------------------------------------------

    def result_read(self) -> None:
        self.screens.rating.set_enabled(True)
        self.sig_show_screen.emit(self.screens.rating.name)

    def try_again(self) -> None:
        if self._order is None or self._bill is None:
            return
        self._confirm(self._order)

    # -- the session ends ------------------------------------------------------------------

    def session_ended(self) -> None:
        """Wipe what this session paid and saw; a QR still open is closed."""
        s = self.screens
        if self._method is Method.NATIVE and self.settling:
            self._left_qr = True
            self._abandon()
        self._tasks.forget_all()
        self._guard(hold=False, lock=False)
        self._ticker.stop()
        self._bill = None
        self._order = None
        self._watch.forget()
        self._slip.forget()
        self._reset_payment()
        self._last_payment_id = None
        for screen in (s.amount, s.method, s.code, s.qr, s.result, s.rating):
            screen.clear()

    # -- words -----------------------------------------------------------------------------

    def _refusal_words(self, error: BaseException) -> Words:
        """The refusal, said again in the new language after a switch."""
        return lambda: self.refusal_text(error)

    def refusal_text(self, error: BaseException) -> str:
        return self._refusals.text(error)
