"""Electricity prices: the tiers explained, and a calculator (annual kWh in, the bill by tier out).

The calculator prices with the same rule the bills are computed with (rules.tariff),
from the tariff kept on the kiosk.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.formats import money, quantity, unit_price
from kiosk.ui.information.text import said
from kiosk.ui.local_text import CHINESE
from kiosk.ui.widgets import Facts, Keypad, Screen, across, card, label, scrolling
from rules.tariff import Tariff, TierCharge, amount_of, split_into_tiers

if TYPE_CHECKING:
    from kiosk.services.screen_types import TariffInfo, Text

MAX_DIGITS = 6  # up to 999 999 kWh a year


class PricesScreen(Screen):
    name = "info_prices"

    def __init__(self) -> None:
        super().__init__()
        self._info: TariffInfo | None = None
        self._tariff: Tariff | None = None
        self._explanation: Text | None = None
        self._language = CHINESE
        self._typed = ""
        self._charges: list[TierCharge] = []
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(50, 16, 50, 16)
        self._outer.setSpacing(40)

        # Left: the policy and the calculator's answer; right: what is typed and the keypad.
        policy = QVBoxLayout()
        policy.setContentsMargins(0, 0, 0, 0)
        policy.setSpacing(14)
        self.title = label("title")
        self.explanation = label()
        tiers_card = card()
        tiers_layout = QVBoxLayout(tiers_card)
        tiers_layout.setContentsMargins(30, 12, 30, 12)
        self.tiers_title = label("heading")
        self.tier_facts = Facts()
        tiers_layout.addWidget(self.tiers_title)
        tiers_layout.addWidget(self.tier_facts)
        self.no_tariff = label("message")
        self.result_card = card()
        result_layout = QVBoxLayout(self.result_card)
        result_layout.setContentsMargins(30, 12, 30, 12)
        self.calculator_title = label("heading")
        self.result_facts = Facts()
        result_layout.addWidget(self.calculator_title)
        result_layout.addWidget(self.result_facts)
        # What is typed sits beside the keypad, not above it: in large text a landscape screen
        # has the height for the keypad alone.
        self.entry_card = card()
        entry_layout = QVBoxLayout(self.entry_card)
        entry_layout.setContentsMargins(24, 4, 24, 4)
        self.typed = label("title", wrap=False)
        self.typed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        entry_layout.addWidget(self.typed)
        for widget in (
            self.title,
            self.explanation,
            tiers_card,
            self.no_tariff,
            self.entry_card,
            self.result_card,
        ):
            policy.addWidget(widget)
        policy.addStretch(1)

        calculator = QVBoxLayout()
        calculator.setContentsMargins(0, 0, 0, 0)
        calculator.setSpacing(14)
        self.keypad = Keypad()
        self.keypad.sig_digit.connect(self.type_digit)
        self.keypad.sig_delete.connect(self.delete_digit)
        self.keypad.sig_clear.connect(self.clear_digits)
        self.keypad.sig_confirm.connect(self.calculate)
        calculator.addWidget(self.keypad)
        calculator.addStretch(1)

        self._policy = QWidget()
        self._policy.setLayout(policy)
        self._calculator = QWidget()
        self._calculator.setLayout(calculator)
        self._scroll = scrolling(self._policy)
        self._outer.addWidget(self._scroll, 1)
        self._outer.addWidget(self._calculator, 1)
        self.retranslate()

    # -- data ------------------------------------------------------------------------------

    def set_tariff(
        self, tariff: tuple[TariffInfo, Tariff] | None, explanation: Text | None
    ) -> None:
        self._info, self._tariff = tariff if tariff is not None else (None, None)
        self._explanation = explanation
        self._charges = []
        self._fill()

    def set_language(self, language: str) -> None:
        self._language = language
        self._fill()

    def set_portrait(self, portrait: bool) -> None:
        self._outer.setDirection(across(portrait))
        # A tall screen gives the keypad only what it needs: the answer stays in sight.
        self._outer.setStretch(1, 0 if portrait else 1)

    # -- the calculator ---------------------------------------------------------------------

    @property
    def annual_kwh(self) -> Decimal | None:
        return Decimal(self._typed) if self._typed else None

    @property
    def charges(self) -> list[TierCharge]:
        return list(self._charges)

    def type_digit(self, digit: str) -> None:
        if len(self._typed) < MAX_DIGITS and not (digit == "0" and not self._typed):
            self._typed += digit
            self._charges = []
            self._fill()
            self._scroll.ensureWidgetVisible(self.entry_card)

    def delete_digit(self) -> None:
        self._typed = self._typed[:-1]
        self._charges = []
        self._fill()

    def clear_digits(self) -> None:
        self._typed = ""
        self._charges = []
        self._fill()

    def calculate(self) -> None:
        """The year's bill by tier, for the typed kWh counted from 1 January."""
        kwh = self.annual_kwh
        if kwh is None or self._tariff is None:
            return
        self._charges = split_into_tiers(kwh, Decimal(0), self._tariff)
        self._fill()
        # On a tall screen in large text the answer may be below the fold: bring it up.
        QTimer.singleShot(0, self, lambda: self._scroll.ensureWidgetVisible(self.result_card))

    def clear(self) -> None:
        self.clear_digits()

    # -- drawing ---------------------------------------------------------------------------

    def _fill(self) -> None:
        unit = self._info.unit if self._info else "kWh"
        self.typed.setText(f"{quantity(self.annual_kwh or Decimal(0))} {unit}")
        explanation = said(self._explanation, self._language) if self._explanation else ""
        self.explanation.setText(explanation)
        self.explanation.setVisible(bool(explanation))
        self.no_tariff.setVisible(self._tariff is None)
        for part in (self._calculator, self.entry_card, self.result_card):
            part.setVisible(self._tariff is not None)
        self.tier_facts.set_rows(self._tier_rows(unit))
        rows = [
            (
                self.tr("Tier {0}: {1} {2} × {3}").format(
                    c.tier, quantity(c.quantity), unit, unit_price(c.unit_price)
                ),
                money(c.amount),
                "",
            )
            for c in self._charges
        ]
        if self._charges:
            total = amount_of(self._charges)
            rows.append((self.tr("Total for the year"), money(total), "heading"))
            rows.append((self.tr("About a month"), money(total / 12), ""))
        self.result_facts.set_rows(rows)
        self.calculator_title.setText(
            self.tr("{0} {1} a year costs:").format(quantity(self.annual_kwh), unit)
            if self._charges and self.annual_kwh is not None
            else self.tr("What does a year cost? Type your yearly kWh, then Confirm.")
        )

    def _tier_rows(self, unit: str) -> list[tuple[str, str, str]]:
        info = self._info
        if info is None:
            return []
        rows = []
        low = Decimal(0)
        for tier, price in enumerate(info.prices, 1):
            if tier <= len(info.limits):
                high = info.limits[tier - 1]
                span = self.tr("{0} to {1} {2} a year").format(quantity(low), quantity(high), unit)
                low = high
            else:
                span = self.tr("over {0} {1} a year").format(quantity(low), unit)
            rows.append((self.tr("Tier {0}").format(tier) + f"  {span}", unit_price(price), ""))
        return rows

    def retranslate(self) -> None:
        self.title.setText(self.tr("Electricity prices"))
        self.tiers_title.setText(self.tr("Price per kWh"))
        self.no_tariff.setText(self.tr("Prices are not available on this kiosk right now."))
        self._fill()
