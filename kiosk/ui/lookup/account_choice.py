"""When one ID card owns several accounts: one big button per account."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout

from kiosk.ui.formats import grouped_digits
from kiosk.ui.translations import in_language
from kiosk.ui.widgets import Screen, StatusLine, Words, button, label
from rules.utility_words import utility_words

if TYPE_CHECKING:
    from kiosk.services.screen_types import AccountSummary, Utility


def utility_name(utility: Utility) -> str:
    """The service's name from the one table of each utility's words (screen and paper)."""
    return in_language(utility_words(utility).name)


class AccountChoiceScreen(Screen):
    name = "account_choice"

    sig_chosen = Signal(str)
    """(number): the account the resident picked."""

    def __init__(self) -> None:
        super().__init__()
        self._accounts: list[AccountSummary] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(60, 40, 60, 40)
        self._layout.setSpacing(24)
        self.title = label("title")
        self.message = label("message")
        self.message.setVisible(False)
        self.status = StatusLine()
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.message)
        self._layout.addWidget(self.status)
        self._buttons: list[QPushButton] = []
        self._layout.addStretch(1)
        self.retranslate()

    @property
    def choice_buttons(self) -> list[QPushButton]:
        return list(self._buttons)

    def set_accounts(self, accounts: Sequence[AccountSummary]) -> None:
        self._accounts = list(accounts)
        self._rebuild()

    def _rebuild(self) -> None:
        for old in self._buttons:
            self._layout.removeWidget(old)
            old.deleteLater()
        self._buttons = []
        for index, account in enumerate(self._accounts):
            choice = button("choice")
            choice.setText(
                f"{grouped_digits(account.number)}   {utility_name(account.utility)}\n"
                f"{account.address_masked}"
            )
            choice.clicked.connect(lambda _=False, n=account.number: self.sig_chosen.emit(n))
            self._layout.insertWidget(3 + index, choice)
            self._buttons.append(choice)
        self.message.setVisible(not self._accounts)

    def show_busy(self, text: str | Words) -> None:
        for choice in self._buttons:
            choice.setEnabled(False)
        self.status.show_busy(text)

    def show_message(self, text: str | Words) -> None:
        self.end_busy()
        self.status.show_message(text)

    def end_busy(self) -> None:
        for choice in self._buttons:
            choice.setEnabled(True)
        self.status.hide_status()

    def clear(self) -> None:
        self.set_accounts([])
        self.message.setVisible(False)
        self.status.hide_status()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Your ID card has these accounts. Touch the one you want."))
        self.message.setText(
            self.tr(
                "No account was found for this ID card. Please type your account number instead."
            )
        )
        if self._accounts:
            self._rebuild()
