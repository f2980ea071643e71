"""The technician's PIN, typed on large keys and shown as dots, or a technician's card."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.services.technician_access import AccessAnswer, Refusal
from kiosk.ui.widgets import Keypad, Retranslated, StatusLine, across, button, label

PIN_LENGTH = (4, 12)


class PinPage(Retranslated, QWidget):
    sig_pin = Signal(str)
    """(pin): the technician confirmed a PIN."""

    sig_cancel = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._digits = ""
        self._locked_until: dt.datetime | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(60, 30, 60, 30)
        outer.setSpacing(18)
        self.title = label("title")
        self.hint = label()
        self.dots = label("display", wrap=False)
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = StatusLine()
        self.keypad = Keypad()
        self.keypad.sig_digit.connect(self._typed)
        self.keypad.sig_delete.connect(lambda: self._set(self._digits[:-1]))
        self.keypad.sig_clear.connect(lambda: self._set(""))
        self.keypad.sig_confirm.connect(self._confirm)
        self.cancel_button = button()
        self.cancel_button.clicked.connect(self.sig_cancel)
        # The words on one side, the keys on the other: the keys keep their full height.
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._row = row
        row.setSpacing(40)
        words = QVBoxLayout()
        words.setSpacing(18)
        for widget in (self.title, self.hint, self.dots, self.status):
            words.addWidget(widget)
        words.addStretch(1)
        words.addWidget(self.cancel_button)
        row.addLayout(words, 1)
        row.addWidget(self.keypad, 1)
        outer.addLayout(row, 1)
        self.retranslate()
        self._set("")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._row.setDirection(across(event.size().height() > event.size().width()))

    @property
    def typed(self) -> str:
        return self._digits

    def reset(self) -> None:
        self._set("")
        self.status.hide_status()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.keypad.setEnabled(not busy and self._locked_until is None)

    def show_checking(self) -> None:
        self.status.show_busy(lambda: self.tr("Checking…"))
        self.set_busy(True)

    def show_refusal(self, answer: AccessAnswer, local_until: str = "") -> None:
        """Why entry was refused, and how many tries are left before the lock."""
        self._set("")
        left = answer.tries_left
        words = {
            Refusal.WRONG_PIN: lambda: self.tr(
                "Wrong PIN. Tries left before entry is locked: %1"
            ).replace("%1", str(left)),
            Refusal.UNKNOWN_CARD: lambda: self.tr(
                "This is not a technician's card. Tries left before entry is locked: %1"
            ).replace("%1", str(left)),
            Refusal.LOCKED: lambda: self.tr(
                "Too many wrong attempts: entry is locked until %1."
            ).replace("%1", local_until),
            Refusal.NO_PIN: lambda: self.tr(
                "No technician PIN is set on this kiosk: place a technician's card."
            ),
        }
        assert answer.refusal is not None
        self._locked_until = answer.locked_until if answer.refusal is Refusal.LOCKED else None
        self.status.show_message(words[answer.refusal])
        self.set_busy(False)

    def lock_over(self) -> None:
        self._locked_until = None
        self.status.hide_status()
        self.set_busy(False)

    @property
    def locked_until(self) -> dt.datetime | None:
        return self._locked_until

    def retranslate(self) -> None:
        self.title.setText(self.tr("Maintenance"))
        self.hint.setText(
            self.tr("Type the technician PIN, or place a technician's ID card on the reader.")
        )
        self.cancel_button.setText(self.tr("Back to the kiosk"))

    def _typed(self, digit: str) -> None:
        if len(self._digits) < PIN_LENGTH[1]:
            self._set(self._digits + digit)

    def _set(self, digits: str) -> None:
        self._digits = digits
        self.dots.setText(" ".join("●" * len(digits)) or "–")
        self.keypad.confirm_key.setEnabled(len(digits) >= PIN_LENGTH[0])

    def _confirm(self) -> None:
        if len(self._digits) >= PIN_LENGTH[0]:
            pin, self._digits = self._digits, ""
            self.sig_pin.emit(pin)
