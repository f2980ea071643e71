"""Out of service with a message, back in service, restart the app, leave to the desktop.

Restarting and leaving ask for a second touch: a slip of the finger must not stop the kiosk.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QButtonGroup, QPushButton, QVBoxLayout, QWidget

from kiosk.services.remote_commands import LockState
from kiosk.ui.widgets import Retranslated, button, card, label

# What residents read on the out-of-service screen, in both languages at once.
MESSAGES = (
    ("设备维护中，请稍后再来", "Under maintenance: please come back later"),
    ("打印机故障，暂停服务", "The printer is out of order"),
    ("网络故障，暂停服务", "No connection to the service center"),
)
CONFIRM_WITHIN_MS = 5000


class ServicePage(Retranslated, QWidget):
    sig_out_of_service = Signal(str, str)
    """(message in Chinese, in English)."""

    sig_back_in_service = Signal()
    sig_restart = Signal()
    sig_leave_to_desktop = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock: LockState | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(16)
        self.heading = label("heading")
        self.state = label("title")
        box = card()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(24, 16, 24, 16)
        self.choose = label()
        inner.addWidget(self.choose)
        self.messages = QButtonGroup(self)
        self.message_buttons: list[QPushButton] = []
        for index, (zh, en) in enumerate(MESSAGES):
            choice = button("choice", f"{zh}\n{en}")
            choice.setCheckable(True)
            choice.setChecked(index == 0)
            self.messages.addButton(choice, index)
            self.message_buttons.append(choice)
            inner.addWidget(choice)
        self.out_button = button("primary")
        self.out_button.clicked.connect(self._out)
        self.back_button = button("primary")
        self.back_button.clicked.connect(self.sig_back_in_service)
        inner.addWidget(self.out_button)
        inner.addWidget(self.back_button)
        self.restart_button = button()
        self.restart_button.clicked.connect(
            lambda: self._twice(self.restart_button, self.sig_restart)
        )
        self.desktop_button = button()
        self.desktop_button.clicked.connect(
            lambda: self._twice(self.desktop_button, self.sig_leave_to_desktop)
        )
        self._armed: QPushButton | None = None
        self._disarm = QTimer(self)
        self._disarm.setSingleShot(True)
        self._disarm.timeout.connect(self._calm)
        for widget in (self.heading, self.state, box, self.restart_button, self.desktop_button):
            outer.addWidget(widget)
        outer.addStretch(1)
        self.retranslate()

    def show_lock(self, lock: LockState | None) -> None:
        self._lock = lock
        self._show()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Service"))
        self.choose.setText(self.tr("What residents read while the kiosk is out of service:"))
        self.out_button.setText(self.tr("Put out of service"))
        self.back_button.setText(self.tr("Back in service"))
        self._calm()
        self._show()

    def _show(self) -> None:
        lock = self._lock
        if lock is None:
            self.state.setText(self.tr("In service"))
        else:
            self.state.setText(
                self.tr("Out of service: %1").replace(
                    "%1", f"{lock.message_zh} / {lock.message_en}"
                )
            )
        self.out_button.setVisible(lock is None)
        self.back_button.setVisible(lock is not None)
        for choice in self.message_buttons:
            choice.setVisible(lock is None)
        self.choose.setVisible(lock is None)

    def _out(self) -> None:
        zh, en = MESSAGES[max(self.messages.checkedId(), 0)]
        self.sig_out_of_service.emit(zh, en)

    def _twice(self, pressed: QPushButton, then: SignalInstance) -> None:
        if self._armed is pressed:
            self._calm()
            then.emit()
            return
        self._calm()
        self._armed = pressed
        pressed.setText(self.tr("Touch again to confirm"))
        self._disarm.start(CONFIRM_WITHIN_MS)

    def _calm(self) -> None:
        self._armed = None
        self.restart_button.setText(self.tr("Restart the kiosk app"))
        self.desktop_button.setText(self.tr("Leave to the desktop"))
