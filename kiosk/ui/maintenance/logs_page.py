"""The kiosk's log, newest first and masked, filtered by level; and its export, with the audit
trail, to a USB stick."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.services.maintenance import LogLine, UsbExport
from kiosk.ui.widgets import Retranslated, StatusLine, button, label

SHOWN_LINES = 100


class LogsPage(Retranslated, QWidget):
    sig_level = Signal(str)
    """("all" | "warning" | "error"): show the log at this level or worse."""

    sig_export = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.level = "warning"
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(12)
        self.heading = label("heading")
        levels = QHBoxLayout()
        self.level_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        for level in ("all", "warning", "error"):
            choice = button("menu")
            choice.setCheckable(True)
            choice.setChecked(level == self.level)
            choice.clicked.connect(lambda _=False, chosen=level: self._choose(chosen))
            group.addButton(choice)
            levels.addWidget(choice)
            self.level_buttons[level] = choice
        self.export_button = button("primary")
        self.export_button.clicked.connect(self.sig_export)
        self.status = StatusLine()
        self.lines = label("small")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.lines.setFont(font)
        outer.addWidget(self.heading)
        outer.addLayout(levels)
        outer.addWidget(self.export_button)
        outer.addWidget(self.status)
        outer.addWidget(self.lines, 1)
        self.retranslate()

    def show_lines(self, lines: Sequence[LogLine]) -> None:
        shown = [
            f"{line.time[5:19].replace('T', ' ')} {line.level[:4]} {line.logger}: {line.message}"
            for line in lines[:SHOWN_LINES]
        ]
        self.lines.setText("\n".join(shown) or self.tr("Nothing at this level."))

    def exporting(self) -> None:
        self.status.show_busy(self.tr("Copying the log and the audit trail to the USB stick…"))

    def exported(self, done: UsbExport) -> None:
        if done.folder is None:
            self.status.show_message(
                self.tr("Not exported: %1. Plug in a USB stick and try again.").replace(
                    "%1", done.problem or ""
                )
            )
        else:
            self.status.show_message(
                self.tr("Exported %1 files to %2. The stick may be taken out.")
                .replace("%1", str(done.files))
                .replace("%2", done.folder)
            )

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Log"))
        self.level_buttons["all"].setText(self.tr("Everything"))
        self.level_buttons["warning"].setText(self.tr("Warnings and errors"))
        self.level_buttons["error"].setText(self.tr("Errors"))
        self.export_button.setText(self.tr("Export the log to a USB stick"))

    def _choose(self, level: str) -> None:
        self.level = level
        self.sig_level.emit(level)
