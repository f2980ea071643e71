"""Check what is paid, then choose how: nothing is paid before the resident picks a way.

When the printer cannot print, the resident is told first and chooses to go on or stop; the
ways to pay come only once they go on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.payment import Purpose
from kiosk.ui.formats import money
from kiosk.ui.paying.printer_notice import PrinterNotice
from kiosk.ui.translations import in_language
from kiosk.ui.widgets import Facts, Screen, across, button, card, label, scrolling
from rules.masking import mask_digits
from rules.utility_words import utility_words

if TYPE_CHECKING:
    from kiosk.services.payment_types import PayOrder
    from kiosk.services.receipt_printing import PrintProblem
    from kiosk.services.screen_types import AccountBill


def masked_account(number: str) -> str:
    """3201000005 -> 3201**0005: enough to recognise one's own account, not to read it off."""
    return mask_digits(number, head=4, tail=4)


class PayMethodScreen(Screen):
    name = "pay_method"

    sig_pay_by_code = Signal()
    """(): the resident will show a payment code to the scanner."""

    sig_pay_by_qr = Signal(str)
    """(wallet): "wechat" or "alipay": the kiosk shows a QR for that app."""

    sig_stop = Signal()
    """(): told the printer cannot print, the resident chose not to pay now."""

    def __init__(self) -> None:
        super().__init__()
        self._order: PayOrder | None = None
        self._bill: AccountBill | None = None
        self._problem_now: Callable[[], PrintProblem | None] | None = None
        self._printer_watch = QTimer(self)
        self._printer_watch.setInterval(1000)  # the driver reads the status about as often
        self._printer_watch.timeout.connect(self._printer_changed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        outer.addWidget(scrolling(body))
        layout = QVBoxLayout(body)
        layout.setContentsMargins(60, 30, 60, 30)
        layout.setSpacing(24)
        self.title = label("title")
        summary = card()
        summary_layout = QVBoxLayout(summary)
        summary_layout.setContentsMargins(30, 16, 30, 16)
        self.facts = Facts()
        summary_layout.addWidget(self.facts)
        self.note = label("small")
        ways = QVBoxLayout()
        ways.setSpacing(24)
        self.printer_notice = PrinterNotice()
        self.printer_notice.sig_go_on.connect(self._go_on)
        self.printer_notice.sig_stop.connect(self.sig_stop)
        self.printer_notice.hide()
        code_card = card()
        code_layout = QVBoxLayout(code_card)
        code_layout.setContentsMargins(24, 16, 24, 20)
        self.code_title = label("heading")
        self.code_hint = label("small")
        self.code_button = button("primary")
        self.code_button.clicked.connect(self.sig_pay_by_code)
        code_layout.addWidget(self.code_title)
        code_layout.addWidget(self.code_hint)
        code_layout.addStretch(1)
        code_layout.addWidget(self.code_button)
        qr_card = card()
        qr_layout = QVBoxLayout(qr_card)
        qr_layout.setContentsMargins(24, 16, 24, 20)
        self.qr_title = label("heading")
        self.qr_hint = label("small")
        apps = QHBoxLayout()
        apps.setSpacing(20)
        self.wechat_button = button("")
        self.wechat_button.clicked.connect(lambda: self.sig_pay_by_qr.emit("wechat"))
        self.alipay_button = button("")
        self.alipay_button.clicked.connect(lambda: self.sig_pay_by_qr.emit("alipay"))
        apps.addWidget(self.wechat_button)
        apps.addWidget(self.alipay_button)
        qr_layout.addWidget(self.qr_title)
        qr_layout.addWidget(self.qr_hint)
        qr_layout.addStretch(1)
        qr_layout.addLayout(apps)
        self._way_cards = (code_card, qr_card)
        self._code_scanning = True
        ways.addWidget(self.printer_notice)
        ways.addWidget(code_card)
        ways.addWidget(qr_card)
        ways.addStretch(1)
        what = QVBoxLayout()
        what.setSpacing(24)
        what.addWidget(summary)
        what.addWidget(self.note)
        what.addStretch(1)
        # Side by side on a wide screen: what is paid on the left, the ways to pay on the right.
        self._columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._columns.setSpacing(40)
        self._columns.addLayout(what, 1)
        self._columns.addLayout(ways, 1)
        layout.addWidget(self.title)
        layout.addLayout(self._columns)
        layout.addStretch(1)
        self.retranslate()

    def set_portrait(self, portrait: bool) -> None:
        self._columns.setDirection(across(portrait))

    def watch_printer(self, problem_now: Callable[[], PrintProblem | None]) -> None:
        """Look at the printer while this screen is shown (the status the driver last read, no
        I/O): paper running out, or loaded, while the resident chooses is told at once."""
        self._problem_now = problem_now

    def showEvent(self, event: QShowEvent) -> None:
        self._printer_watch.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._printer_watch.stop()
        super().hideEvent(event)

    def _printer_changed(self) -> None:
        if self._problem_now is None or self._order is None:
            return
        problem = self._problem_now()
        told = self.printer_notice.problem if not self.printer_notice.isHidden() else None
        if problem != told:  # paper out, or loaded again: the receipt will print after all
            self._tell_printer(problem)

    def _tell_printer(self, problem: PrintProblem | None) -> None:
        """With a problem, the resident is asked before the ways to pay show; without, they show."""
        self.printer_notice.setVisible(problem is not None)
        self._show_ways(problem is None)
        if problem is not None:
            self.printer_notice.ask(problem)

    @property
    def order(self) -> PayOrder | None:
        return self._order

    def show_order(
        self, order: PayOrder, bill: AccountBill, printer_problem: PrintProblem | None = None
    ) -> None:
        """What is paid; with a `printer_problem`, the resident is asked before the ways show."""
        self._order, self._bill = order, bill
        self._fill()
        self._tell_printer(printer_problem)

    @property
    def ways_shown(self) -> bool:
        return not self._way_cards[1].isHidden()

    @property
    def offers_payment_code(self) -> bool:
        return self._code_scanning

    def set_code_scanning(self, on: bool) -> None:
        """The code scanner has failed (False): a payment code cannot be read, so only the
        QR the resident scans with their phone is offered."""
        self._code_scanning = on
        self._show_ways(not self._way_cards[1].isHidden())

    def _go_on(self) -> None:
        self.printer_notice.accepted()
        self._show_ways(True)

    def _show_ways(self, shown: bool) -> None:
        code_card, qr_card = self._way_cards
        code_card.setVisible(shown and self._code_scanning)
        qr_card.setVisible(shown)

    def _fill(self) -> None:
        order, bill = self._order, self._bill
        if order is None or bill is None:
            self.facts.set_rows([])
            return
        rows = [
            (self.tr("Account number"), masked_account(order.account_number), ""),
            (self.tr("Account holder"), bill.account.holder_name_masked, ""),
        ]
        if order.purpose is Purpose.ARREARS:
            rows += [
                (self.tr("Months paid"), ", ".join(order.periods), ""),
                (self.tr("Bills"), money(bill.arrears), ""),
                (self.tr("Late fee"), money(bill.late_fee), ""),
            ]
        else:
            prepay = utility_words(bill.account.utility).prepay
            rows.append((in_language(prepay), money(order.amount), ""))
        rows.append((self.tr("You pay"), money(order.amount), "display"))
        self.facts.set_rows(rows)

    def summary_texts(self) -> list[str]:
        return self.facts.texts()

    def clear(self) -> None:
        self._order = self._bill = None
        self._fill()
        self.printer_notice.hide()
        self._show_ways(True)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Please check, then choose how to pay"))
        self.note.setText(self.tr("Nothing has been paid yet. To stop here, touch Back or Home."))
        self.code_title.setText(self.tr("Show your payment code to the scanner"))
        self.code_hint.setText(self.tr("WeChat Pay or Alipay: open the app's payment code."))
        self.code_button.setText(self.tr("Use my payment code"))
        self.qr_title.setText(self.tr("Scan a QR code with your phone"))
        self.qr_hint.setText(self.tr("The kiosk shows a QR code; scan it with this app:"))
        self.wechat_button.setText(self.tr("WeChat"))
        self.alipay_button.setText(self.tr("Alipay"))
        self._fill()
