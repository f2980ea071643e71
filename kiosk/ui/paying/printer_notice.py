"""Before paying, when the printer cannot print: say so, and let the resident go on or stop.

Shown on the pay-method screen in place of the ways to pay, so nobody pays expecting paper that
will not come. Going on pays as usual (the receipt is kept: the e-invoice QR after paying, a
reprint here later); stopping pays nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout

from kiosk.services.receipt_printing import PrintProblem
from kiosk.ui.widgets import Retranslated, button, label


class PrinterNotice(Retranslated, QFrame):
    sig_go_on = Signal()
    """(): the resident will pay without a paper receipt."""

    sig_stop = Signal()
    """(): the resident does not pay now."""

    def __init__(self) -> None:
        super().__init__()
        # Not a card: inside one the message would lose its warning colour.
        self._problem: PrintProblem | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.message = label("message")
        self.explanation = label()
        self.question = label("heading")
        # Two plain buttons of equal weight: neither way is pushed on the resident.
        self.go_on_button = button()
        self.go_on_button.clicked.connect(self.sig_go_on)
        self.stop_button = button()
        self.stop_button.clicked.connect(self.sig_stop)
        layout.addWidget(self.message)
        layout.addWidget(self.explanation)
        layout.addWidget(self.question)
        # One above the other: side by side, large text would not fit in half a column.
        layout.addWidget(self.go_on_button)
        layout.addWidget(self.stop_button)
        self.retranslate()

    @property
    def problem(self) -> PrintProblem | None:
        return self._problem

    def ask(self, problem: PrintProblem) -> None:
        """Say why no receipt can print, and ask whether to pay anyway."""
        self._problem = problem
        self._show_choices(True)
        self.retranslate()

    def accepted(self) -> None:
        """They go on: what it means stays in view, the question goes."""
        self._show_choices(False)

    def _show_choices(self, shown: bool) -> None:
        for widget in (self.question, self.go_on_button, self.stop_button):
            widget.setVisible(shown)

    def retranslate(self) -> None:
        self.message.setText(self._problem_text())
        self.explanation.setText(
            self.tr(
                "If you pay now, no paper receipt comes out. Your payment is still recorded: "
                "after paying you can photograph the e-invoice QR code on the screen, and "
                "reprint the receipt at this kiosk later."
            )
        )
        self.question.setText(self.tr("Pay without a paper receipt?"))
        self.go_on_button.setText(self.tr("Yes, pay without a receipt"))
        self.stop_button.setText(self.tr("No, do not pay now"))

    def _problem_text(self) -> str:
        if self._problem is PrintProblem.PAPER_OUT:
            return self.tr("The receipt printer is out of paper.")
        if self._problem is PrintProblem.COVER_OPEN:
            return self.tr("The receipt printer's cover is open.")
        return self.tr("The receipt printer is not working.")
