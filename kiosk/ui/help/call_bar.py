"""The call, kept in view while the resident is on another screen (one staff opened for them,
or one they went to while talking): staff's picture small, Back to the call, Hang up. It floats
over the window's top right corner, under the top bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.help.video_call import VideoPicture
from kiosk.ui.widgets import Retranslated, button, label

MARGIN = 16


class CallBar(Retranslated, QFrame):
    sig_back_to_call = Signal()
    sig_hang_up = Signal()

    def __init__(self, window: QWidget, below: QWidget) -> None:
        super().__init__(window)
        self._window, self._below = window, below
        self.setProperty("role", "card")
        self.setObjectName("callBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(12)
        self.staff_view = VideoPicture(QSize(200, 150))
        self.staff_view.setMaximumSize(QSize(200, 150))
        side = QVBoxLayout()
        self.caption = label("small")
        self.back_button = button("primary")
        self.back_button.clicked.connect(self.sig_back_to_call)
        self.hang_up_button = button("hangUp")
        self.hang_up_button.clicked.connect(self.sig_hang_up)
        side.addWidget(self.caption)
        side.addWidget(self.back_button)
        side.addWidget(self.hang_up_button)
        layout.addWidget(self.staff_view)
        layout.addLayout(side)
        self.setVisible(False)
        window.installEventFilter(self)
        self.retranslate()

    def show_staff(self, picture: QImage) -> None:
        if self.isVisible():
            self.staff_view.show_picture(picture)

    def set_shown(self, shown: bool) -> None:
        if shown:
            self.adjustSize()
            self._place()
            self.raise_()
        else:
            self.staff_view.clear_picture()
        self.setVisible(shown)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        top = self._below.geometry().bottom() + MARGIN
        self.move(self._window.width() - self.width() - MARGIN, top)

    def retranslate(self) -> None:
        self.caption.setText(self.tr("On a video call"))
        self.back_button.setText(self.tr("Back to the call"))
        self.hang_up_button.setText(self.tr("Hang up"))
