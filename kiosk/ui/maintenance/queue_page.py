"""The queue to the center: how many events wait, the oldest, the last delivery, sync now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.services.maintenance import QueueFacts
from kiosk.ui.widgets import Facts, Retranslated, StatusLine, button, card, label


class QueuePage(Retranslated, QWidget):
    sig_sync_now = Signal()

    def __init__(self, local_time: Callable[[dt.datetime], str]) -> None:
        super().__init__()
        self._local_time = local_time
        self._status: QueueFacts | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(16)
        self.heading = label("heading")
        box = card()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(24, 16, 24, 16)
        self.facts = Facts()
        inner.addWidget(self.facts)
        self.sync_button = button("primary")
        self.sync_button.clicked.connect(self.sig_sync_now)
        self.status = StatusLine()
        for widget in (self.heading, box, self.status, self.sync_button):
            outer.addWidget(widget)
        outer.addStretch(1)
        self.retranslate()

    def show_queue(self, status: QueueFacts) -> None:
        self._status = status
        self._show()

    def asked(self) -> None:
        self.status.show_busy(
            lambda: self.tr("Asked: the queue, the heartbeat and the reference data are sent now.")
        )

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Queue and sync"))
        self.sync_button.setText(self.tr("Sync now"))
        self._show()

    def _show(self) -> None:
        status = self._status
        if status is None:
            self.facts.set_rows([])
            return
        unknown = self.tr("not known")

        def when(moment: dt.datetime | None, none: str) -> str:
            return self._local_time(moment) if moment is not None else none

        def number(value: int | None) -> str:
            return unknown if value is None else str(value)

        self.facts.set_rows(
            [
                (self.tr("Events waiting to be sent"), number(status.depth), "heading"),
                (self.tr("Set aside (refused too often)"), number(status.parked), ""),
                (self.tr("Oldest unsent"), when(status.oldest_unsent, self.tr("none")), ""),
                (self.tr("Last delivery"), when(status.last_success, self.tr("not yet")), ""),
                (self.tr("Failures in a row"), str(status.failures_in_a_row), ""),
                (self.tr("Last error"), (status.last_error or self.tr("none"))[:80], ""),
            ]
        )
