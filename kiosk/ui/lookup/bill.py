"""One account's bill: what is owed, the current period with its tiers, 24 months of usage."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.formats import grouped_digits, money, quantity, unit_price
from kiosk.ui.lookup.account_choice import utility_name
from kiosk.ui.theme import Theme
from kiosk.ui.translations import in_language
from kiosk.ui.widgets import Facts, Screen, UsageChart, button, card, label, scrolling
from rules.utility_words import unit_shown, utility_words

if TYPE_CHECKING:
    from kiosk.services.screen_types import AccountBill


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


def _section(title: QLabel, *content: QWidget) -> QFrame:
    frame = card()
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(24, 12, 24, 16)
    layout.setSpacing(8)
    layout.addWidget(title)
    for widget in content:
        layout.addWidget(widget)
    layout.addStretch(1)  # a card taller than its content keeps the content at the top
    return frame


class BillScreen(Screen):
    name = "bill"

    sig_pay = Signal()
    """(): pay everything owed, late fee included."""

    sig_prepay = Signal()
    """(): pay an amount of the resident's choosing into the balance (无卡购电)."""

    sig_history = Signal()
    """(): the account's receipts and invoices: payments made anywhere, VAT invoice, statement."""

    sig_reprint = Signal()
    """(): print a past receipt again."""

    def __init__(self) -> None:
        super().__init__()
        self._bill: AccountBill | None = None
        self._portrait = False
        self._large = False
        self._pay_total: Decimal | None = None
        self._prepay = False
        self._wallets = True  # offline, or switched off by the center: no wallet payments
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        self._grid = QGridLayout(body)
        self._grid.setContentsMargins(24, 16, 24, 16)
        self._grid.setSpacing(16)
        self.page = scrolling(body)
        outer.addWidget(self.page, 1)
        # Outside the scrolling page: paying is always in reach, however long the bill.
        self.action_bar = QWidget()
        actions = QHBoxLayout(self.action_bar)
        actions.setContentsMargins(24, 4, 24, 12)
        actions.setSpacing(24)
        self.pay_button = button("primary")
        self.pay_button.clicked.connect(self.sig_pay)
        self.prepay_button = button("")
        self.prepay_button.clicked.connect(self.sig_prepay)
        self.reprint_button = button("")
        self.reprint_button.clicked.connect(self.sig_reprint)
        self.history_button = button("")
        self.history_button.clicked.connect(self.sig_history)
        for action in (
            self.pay_button,
            self.prepay_button,
            self.reprint_button,
            self.history_button,
        ):
            actions.addWidget(action)
            action.setVisible(False)
        self.action_bar.setVisible(False)
        outer.addWidget(self.action_bar)

        self.account_title = label("heading")
        self.account_facts = Facts()
        self.owed_title = label("heading")
        self.owed_facts = Facts()
        self.late_fee_title = label("small")
        self.late_fees = Facts()  # its own grid: the big total must not narrow these captions
        self.period_title = label("heading")
        self.period_facts = Facts()
        self.tiers = QTableWidget(0, 4)
        self.tiers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tiers.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tiers.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tiers.verticalHeader().setVisible(False)
        self.tiers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.tiers.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tiers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.no_period = label("small")
        self.chart_title = label("heading")
        self.chart_legend = label("small")
        self.chart = UsageChart()

        self.account_card = _section(self.account_title, self.account_facts)
        self.owed_card = _section(
            self.owed_title, self.owed_facts, self.late_fee_title, self.late_fees
        )
        self.period_card = _section(
            self.period_title, self.period_facts, self.tiers, self.no_period
        )
        self.chart_card = _section(self.chart_title, self.chart, self.chart_legend)
        chart_layout = self.chart_card.layout()
        assert isinstance(chart_layout, QVBoxLayout)
        chart_layout.setStretchFactor(self.chart, 10)  # a tall screen: a tall chart
        self._place()
        self.retranslate()

    @property
    def bill(self) -> AccountBill | None:
        return self._bill

    def set_theme(self, theme: Theme) -> None:
        self.chart.set_theme(theme)
        self._large = theme.name == "large"
        self._place()
        self._fit_table()

    def set_portrait(self, portrait: bool) -> None:
        self._portrait = portrait
        self._place()

    def _place(self) -> None:
        """What is owed first, then this period's bill, the usage, and the account's details.

        Landscape in normal text: the account as a strip, then three columns, so the tiers and
        the chart's labels are above the fold with the actions shown. Large text: two columns
        (three would wrap every row), what is owed and this period's bill on top. Portrait: one
        column, in that order."""
        cards = (self.account_card, self.owed_card, self.period_card, self.chart_card)
        for widget in cards:
            self._grid.removeWidget(widget)
        for index in range(4):
            self._grid.setColumnStretch(index, 0)
            self._grid.setRowStretch(index, 0)
        if self._portrait:
            for row, widget in enumerate(
                (self.owed_card, self.period_card, self.chart_card, self.account_card)
            ):
                self._grid.addWidget(widget, row, 0)
            self._grid.setColumnStretch(0, 1)
            self._grid.setRowStretch(2, 1)  # spare height goes to the chart
        elif self._large:
            self._grid.addWidget(self.owed_card, 0, 0)
            self._grid.addWidget(self.period_card, 0, 1)
            self._grid.addWidget(self.chart_card, 1, 0)
            self._grid.addWidget(self.account_card, 1, 1)
            self._grid.setColumnStretch(0, 1)
            self._grid.setColumnStretch(1, 1)
        else:
            self._grid.addWidget(self.account_card, 0, 0, 1, 3)
            self._grid.addWidget(self.owed_card, 1, 0)
            self._grid.addWidget(self.period_card, 1, 1)
            self._grid.addWidget(self.chart_card, 1, 2)
            for column, stretch in enumerate((5, 5, 4)):
                self._grid.setColumnStretch(column, stretch)
            self._grid.setRowStretch(1, 1)
        # The account's details as one strip across the top in landscape with normal text.
        strip = not self._portrait and not self._large
        self.account_title.setVisible(not strip)
        self.account_facts.set_pairs_per_row(4 if strip else 1)

    def show_bill(self, bill: AccountBill) -> None:
        self._bill = bill
        self._fill()
        self.page.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        self._bill = None
        self.set_actions(None, prepay=False, reprint=False)
        self._fill()

    def set_actions(self, pay_total: Decimal | None, *, prepay: bool, reprint: bool) -> None:
        """Which ways to pay are offered: `pay_total` None when nothing is owed."""
        self._pay_total = pay_total
        self._prepay = prepay
        self.reprint_button.setVisible(reprint)
        self._show_wallet_actions()
        self._label_actions()

    def set_wallets_available(self, available: bool) -> None:
        """Hide (or show again) the ways to pay while wallet payments cannot work."""
        self._wallets = available
        self._show_wallet_actions()

    def _show_wallet_actions(self) -> None:
        self.pay_button.setVisible(self._wallets and self._pay_total is not None)
        self.prepay_button.setVisible(self._wallets and self._prepay)
        self.show_reprint(self.reprint_button.isVisibleTo(self.action_bar))

    def show_reprint(self, on: bool) -> None:
        self.reprint_button.setVisible(on)
        self.action_bar.setVisible(
            on
            or self.pay_button.isVisibleTo(self.action_bar)
            or self.prepay_button.isVisibleTo(self.action_bar)
        )

    def _label_actions(self) -> None:
        total = self._pay_total
        self.pay_button.setText(self.tr("Pay {0}").format(money(total)) if total else "")
        self.prepay_button.setText(
            in_language(utility_words(self._bill.account.utility).prepay)
            if self._bill is not None
            else self.tr("Prepay")
        )
        self.reprint_button.setText(self.tr("Reprint a receipt"))
        self.history_button.setText(self.tr("Receipts and invoices"))

    def _fill(self) -> None:
        bill = self._bill
        if bill is None:
            for facts in (self.account_facts, self.owed_facts, self.late_fees, self.period_facts):
                facts.set_rows([])
            self.late_fee_title.setVisible(False)
            self.tiers.setRowCount(0)
            self.chart.clear()
            return
        account = bill.account
        words = utility_words(account.utility)
        self.account_facts.set_rows(
            [
                (self.tr("Account number"), grouped_digits(account.number), "heading"),
                (self.tr("Service"), utility_name(account.utility), ""),
                (self.tr("Account holder"), account.holder_name_masked, ""),
                (in_language(words.address), account.address_masked, ""),
            ]
        )
        owed = [
            (self.tr("Unpaid bills"), money(bill.arrears), ""),
            (self.tr("Late fee"), money(bill.late_fee), ""),
            (self.tr("Total to pay"), money(bill.total_due), "display"),
            (self.tr("Prepaid balance"), money(bill.balance), ""),
        ]
        if not bill.unpaid:
            owed.append((self.tr("All bills are paid. Thank you."), "", ""))
        self.late_fee_title.setText(self.tr("Late fee by month"))
        self.late_fee_title.setVisible(bool(bill.unpaid))
        self.late_fees.set_rows(self._late_fee_rows(bill))
        self.owed_facts.set_rows(owed)
        self.owed_title.setText(self.tr("What you owe (as of {0})").format(bill.as_of.isoformat()))
        self._fill_period(bill)
        unpaid_periods = {u.period for u in bill.unpaid}
        unit = unit_shown(bill.unit)
        self.chart.set_usage(bill.usage, unit, unpaid_periods)
        self.chart_title.setText(
            self.tr("Usage in the last {0} months ({1})").format(len(bill.usage), unit)
        )
        # "Used", not the utility's long word: four columns share a third of the screen.
        self.tiers.setHorizontalHeaderLabels(
            [self.tr("Tier"), self.tr("Used"), self.tr("Unit price"), self.tr("Amount")]
        )

    def _late_fee_rows(self, bill: AccountBill) -> list[tuple[str, str, str]]:
        """Each unpaid month: its bill, how late it is, and the late fee it has drawn."""
        return [
            (
                self.tr("{0}: {1}, {2} days late").format(
                    unpaid.period, money(unpaid.amount), unpaid.days_overdue
                )
                if unpaid.days_overdue
                else self.tr("{0}: {1}, not yet late").format(unpaid.period, money(unpaid.amount)),
                money(unpaid.late_fee),
                "",
            )
            for unpaid in bill.unpaid
        ]

    def _fill_period(self, bill: AccountBill) -> None:
        line = bill.current
        self.tiers.setVisible(line is not None)
        self.no_period.setVisible(line is None)
        if line is None:
            self.period_facts.set_rows([])
            self.tiers.setRowCount(0)
            return
        self.period_title.setText(self.tr("This period: {0}").format(line.period))
        multiplier = f" ×{line.multiplier}" if line.multiplier != 1 else ""
        unit = unit_shown(bill.unit)
        paid = self.tr("Paid") if line.paid else self.tr("Not paid yet")
        self.period_facts.set_rows(
            [
                (
                    self.tr("Meter readings"),
                    f"{quantity(line.previous_reading)} → "
                    f"{quantity(line.current_reading)}{multiplier}",
                    "",
                ),
                (
                    in_language(utility_words(bill.account.utility).usage),
                    f"{quantity(line.quantity)} {unit}",
                    "",
                ),
                (self.tr("Amount"), money(line.amount), ""),
                (
                    self.tr("Due date"),
                    f"{line.due_date.isoformat()}  ({paid})",
                    "",
                ),
            ]
        )
        self.tiers.setRowCount(len(line.tiers))
        for row, tier in enumerate(line.tiers):
            cells = (
                self.tr("Tier {0}").format(tier.tier),
                f"{quantity(tier.quantity)} {unit}",
                unit_price(tier.unit_price),
                money(tier.amount),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                alignment = (
                    Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignRight
                )
                item.setTextAlignment(alignment | Qt.AlignmentFlag.AlignVCenter)
                self.tiers.setItem(row, column, item)
        self._fit_table()

    def _fit_table(self) -> None:
        """The table shows every row: no scrolling inside a scrolling page."""
        self.tiers.ensurePolished()
        row_height = self.tiers.fontMetrics().height() + 14
        for row in range(self.tiers.rowCount()):
            self.tiers.setRowHeight(row, row_height)
        header = self.tiers.horizontalHeader()
        header.setMinimumHeight(row_height)
        self.tiers.setFixedHeight(row_height * (self.tiers.rowCount() + 1) + 8)

    def tier_rows(self) -> list[list[str]]:
        return [
            [_text(self.tiers.item(r, c)) for c in range(self.tiers.columnCount())]
            for r in range(self.tiers.rowCount())
        ]

    def retranslate(self) -> None:
        self.account_title.setText(self.tr("Your account"))
        self.owed_title.setText(self.tr("What you owe"))
        self.period_title.setText(self.tr("This period"))
        self.chart_title.setText(self.tr("Monthly usage"))
        self.chart_legend.setText(
            self.tr("Each bar is one month. Striped bars marked ! are months not paid yet.")
        )
        self.no_period.setText(self.tr("No bill has been issued for this period yet."))
        self.tiers.setHorizontalHeaderLabels(
            [self.tr("Tier"), self.tr("Used"), self.tr("Unit price"), self.tr("Amount")]
        )
        self._label_actions()
        self._fill()
