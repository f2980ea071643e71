"""The call, kept in view while the resident is on another screen (one staff opened for them,
or one they went to while talking): staff's picture small, Back to the call and Hang up, in
the top bar where the station's name was. Not a panel over the screen (it covered keys), nor
a band of its own (it took the room of a landscape keypad's last row)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QHBoxLayout

from kiosk.ui.help.video_call import VideoPicture
from kiosk.ui.widgets import Retranslated, button, label


class CallBar(Retranslated, QFrame):
    sig_back_to_call = Signal()
    sig_hang_up = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("callBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self.staff_view = VideoPicture(QSize(80, 60))
        self.staff_view.setMaximumSize(QSize(80, 60))
        self.caption = label("barTitle", wrap=False)  # shown on a wide screen only
        self.back_button = button("bar")
        self.back_button.clicked.connect(self.sig_back_to_call)
        self.hang_up_button = button("hangUp")
        self.hang_up_button.clicked.connect(self.sig_hang_up)
        layout.addWidget(self.staff_view)
        layout.addWidget(self.caption, 1)
        layout.addWidget(self.back_button)
        layout.addWidget(self.hang_up_button)
        self.setVisible(False)
        self.retranslate()

    def show_staff(self, picture: QImage) -> None:
        if self.isVisible():
            self.staff_view.show_picture(picture)

    def set_shown(self, shown: bool, *, wide: bool = True) -> None:
        self.caption.setVisible(wide)  # a tall screen's top bar has room for the buttons only
        if not shown:
            self.staff_view.clear_picture()
        self.setVisible(shown)

    def retranslate(self) -> None:
        self.caption.setText(self.tr("On a video call"))
        self.back_button.setText(self.tr("Back to the call"))
        self.hang_up_button.setText(self.tr("Hang up"))
