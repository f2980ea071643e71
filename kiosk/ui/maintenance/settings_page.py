"""The configuration: what the kiosk runs with, and the settings a technician may change here,
by touch (a choice is touched through, a number stepped), checked as a whole when saved and
applied at the next start."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.services.maintenance import Setting
from kiosk.ui.widgets import Retranslated, StatusLine, button, card, empty, label


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class SettingsPage(Retranslated, QWidget):
    sig_save = Signal(object)
    """(dict key -> value): the changes to keep for the next start."""

    sig_restart = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._settings: list[Setting] = []
        self._changes: dict[str, Any] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(14)
        self.heading = label("heading")
        self.hint = label("small")
        self.box = card()
        self.grid = QGridLayout(self.box)
        self.grid.setContentsMargins(24, 12, 24, 12)
        self.grid.setHorizontalSpacing(16)
        self.status = StatusLine()
        buttons = QHBoxLayout()
        self.save_button = button("primary")
        self.save_button.clicked.connect(lambda: self.sig_save.emit(dict(self._changes)))
        self.restart_button = button()
        self.restart_button.clicked.connect(self.sig_restart)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.restart_button)
        self.value_buttons: dict[str, QPushButton] = {}
        for widget in (self.heading, self.hint, self.box, self.status):
            outer.addWidget(widget)
        outer.addLayout(buttons)
        outer.addStretch(1)
        self.retranslate()

    def show_settings(self, settings: Sequence[Setting]) -> None:
        """Fresh from the kiosk; changes not saved yet are kept on top."""
        self._settings = list(settings)
        self._fill()

    def saved(self, refused: str | None) -> None:
        if refused:
            self.status.show_message(self.tr("Not saved: %1").replace("%1", refused))
            return
        self._changes = {}
        self.status.show_message(self.tr("Saved: the kiosk uses them from its next start."))

    def change(self, key: str, direction: int = 1) -> None:
        """Touch through a choice, or step a number up (1) or down (-1)."""
        setting = next(s for s in self._settings if s.key == key)
        now = self._changes.get(key, setting.next_value)
        if setting.choices:
            index = setting.choices.index(now) if now in setting.choices else -1
            new = setting.choices[(index + 1) % len(setting.choices)]
        else:
            new = min(max(now + direction * setting.step, setting.low), setting.high)
            new = type(setting.value)(new)
        if new == setting.next_value:
            self._changes.pop(key, None)
        else:
            self._changes[key] = new
        self._fill()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Settings"))
        self.hint.setText(
            self.tr("Changes are checked when saved, and used from the kiosk's next start.")
        )
        self.save_button.setText(self.tr("Save the changes"))
        self.restart_button.setText(self.tr("Restart to apply"))
        self._fill()

    def _fill(self) -> None:
        empty(self.grid)
        self.value_buttons = {}
        for row, setting in enumerate(self._settings):
            self.grid.addWidget(label("", setting.key, wrap=False), row, 0)
            self.grid.addWidget(label("small", shown(setting.value), wrap=False), row, 1)
            if not setting.editable:
                continue
            wanted = self._changes.get(setting.key, setting.next_value)
            value = button("menu", shown(wanted))
            value.setCheckable(True)
            value.setChecked(setting.key in self._changes or wanted != setting.value)
            self.value_buttons[setting.key] = value
            if setting.choices:
                value.clicked.connect(lambda _=False, k=setting.key: self.change(k))
                self.grid.addWidget(value, row, 2, 1, 3)
                continue
            less, more = button("", "−"), button("", "+")
            less.clicked.connect(lambda _=False, k=setting.key: self.change(k, -1))
            more.clicked.connect(lambda _=False, k=setting.key: self.change(k, 1))
            value.clicked.connect(lambda _=False, k=setting.key: self.change(k, 1))
            self.grid.addWidget(less, row, 2)
            self.grid.addWidget(value, row, 3)
            self.grid.addWidget(more, row, 4)
        self.grid.setColumnStretch(0, 1)
        self.save_button.setEnabled(bool(self._changes))
