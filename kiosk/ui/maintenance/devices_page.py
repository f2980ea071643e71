"""Every device with its live status and a test: a test page, a code scanned, an ID card read
(masked), the camera's picture."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.maintenance import DeviceHealth
from kiosk.ui.camera_picture import CameraPicture, camera_image
from kiosk.ui.widgets import Retranslated, StatusLine, button, card, label, set_role


class DevicesPage(Retranslated, QWidget):
    sig_test = Signal(str)
    """(device kind): run that device's test."""

    sig_paper_replaced = Signal()
    """(): the technician fitted a new receipt roll."""

    def __init__(self, kinds: Sequence[str]) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(16)
        self.heading = label("heading")
        outer.addWidget(self.heading)
        box = card()
        grid = QGridLayout(box)
        grid.setContentsMargins(24, 16, 24, 16)
        grid.setHorizontalSpacing(24)
        self.names: dict[str, QLabel] = {}
        self.states: dict[str, QLabel] = {}
        self.test_buttons: dict[str, QPushButton] = {}
        for row, kind in enumerate(kinds):
            name = label("", wrap=False)
            state = label("", wrap=True)
            test = button()
            test.clicked.connect(lambda _=False, k=kind: self.sig_test.emit(k))
            grid.addWidget(name, row, 0)
            grid.addWidget(state, row, 1)
            grid.addWidget(test, row, 2)
            grid.setColumnStretch(1, 1)
            self.names[kind], self.states[kind], self.test_buttons[kind] = name, state, test
        outer.addWidget(box)
        paper_row = QHBoxLayout()
        self.paper = label()
        self.paper_button = button()
        self.paper_button.clicked.connect(self.sig_paper_replaced)
        paper_row.addWidget(self.paper, 2)
        paper_row.addWidget(self.paper_button, 1)
        self.paper_button.setVisible("printer" in kinds)
        outer.addLayout(paper_row)
        self._paper: tuple[int, float] | None = None
        self.result = StatusLine()
        outer.addWidget(self.result)
        self.lines = label()
        outer.addWidget(self.lines)
        self.picture = CameraPicture()
        self.picture.setMinimumSize(640, 360)
        self.picture.setVisible(False)
        outer.addWidget(self.picture, 1)
        outer.addStretch(0)
        self._health: dict[str, DeviceHealth] = {}
        self.retranslate()

    def kind_name(self, kind: str) -> str:
        return {
            "printer": self.tr("Receipt printer"),
            "scanner": self.tr("Code scanner"),
            "idcard": self.tr("ID card reader"),
            "camera": self.tr("Camera"),
        }.get(kind, kind)

    def show_health(self, health: Sequence[DeviceHealth]) -> None:
        self._health = {h.name: h for h in health}
        self._show_states()

    def show_paper(self, left: tuple[int, float]) -> None:
        """The roll's estimate: percent and metres left."""
        self._paper = left
        self._show_paper()

    def _show_paper(self) -> None:
        if self._paper is None:
            self.paper.setText("")
            return
        pct, metres = self._paper
        self.paper.setText(
            self.tr("Receipt roll: about %1 % left (%2 m), estimated from what was printed")
            .replace("%1", str(pct))
            .replace("%2", f"{metres:.1f}")
        )
        set_role(self.paper, "message" if pct <= 10 else "")

    def state_text(self, kind: str) -> str:
        return self.states[kind].text()

    def testing(self, kind: str) -> None:
        asks = {
            "printer": self.tr("Printing a test page…"),
            "scanner": self.tr("Show a code to the scanner (20 s)…"),
            "idcard": self.tr("Place an ID card on the reader (20 s)…"),
            "camera": self.tr("Looking at the camera's pictures…"),
        }
        self.result.show_busy(asks.get(kind, self.tr("Testing…")))
        self.lines.clear()
        for test in self.test_buttons.values():
            test.setEnabled(False)
        self.picture.setVisible(kind == "camera")

    def tested(self, kind: str, passed: bool, lines: Sequence[str]) -> None:
        name = self.kind_name(kind)
        self.result.show_message(
            (self.tr("%1: test passed") if passed else self.tr("%1: test failed")).replace(
                "%1", name
            )
        )
        set_role(self.result, "busy" if passed else "message")
        self.lines.setText("\n".join(lines))
        for test in self.test_buttons.values():
            test.setEnabled(True)

    def show_frame(self, image: object) -> None:
        self.picture.show_pixmap(QPixmap.fromImage(camera_image(image)))

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Devices"))
        for kind, name in self.names.items():
            name.setText(self.kind_name(kind))
        for test in self.test_buttons.values():
            test.setText(self.tr("Test"))
        self.paper_button.setText(self.tr("New roll fitted"))
        self._show_states()
        self._show_paper()

    def _show_states(self) -> None:
        words = {
            "ok": self.tr("working"),
            "warning": self.tr("needs attention"),
            "fault": self.tr("FAULT"),
            "unknown": self.tr("not known yet"),
        }
        for kind, state in self.states.items():
            health = self._health.get(kind)
            if health is None:
                state.setText(words["unknown"])
                continue
            detail = f" – {health.detail}" if health.detail else ""
            state.setText(words.get(health.status, health.status) + detail)
            set_role(state, "message" if health.status in ("fault", "warning") else "")
