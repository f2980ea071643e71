"""One touch to say how it went: five big faces, or skip."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QPushButton, QVBoxLayout

from kiosk.ui.widgets import Screen, button, label

# Best first, as residents read them left to right (or top to bottom on a tall screen).
FACES = ((5, "😄"), (4, "🙂"), (3, "😐"), (2, "🙁"), (1, "😠"))


class RatingScreen(Screen):
    name = "rating"

    sig_rated = Signal(int)
    """(score): 5 very satisfied ... 1 very dissatisfied."""

    sig_skip = Signal()
    """(): no rating; the session ends."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(30)
        self.title = label("title")
        self._faces = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._faces.setSpacing(24)
        self.face_buttons: dict[int, QPushButton] = {}
        for score, _ in FACES:
            face = button("choice")
            face.clicked.connect(lambda _=False, s=score: self.sig_rated.emit(s))
            self._faces.addWidget(face)
            self.face_buttons[score] = face
        self.skip_button = button("")
        self.skip_button.clicked.connect(self.sig_skip)
        layout.addWidget(self.title)
        layout.addLayout(self._faces, 1)
        layout.addWidget(self.skip_button)
        self.retranslate()

    def set_portrait(self, portrait: bool) -> None:
        self._faces.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )

    def set_enabled(self, enabled: bool) -> None:
        for face in (*self.face_buttons.values(), self.skip_button):
            face.setEnabled(enabled)

    def clear(self) -> None:
        self.set_enabled(True)

    def retranslate(self) -> None:
        self.title.setText(self.tr("How was our service today? One touch is enough."))
        words = {
            5: self.tr("Very satisfied"),
            4: self.tr("Satisfied"),
            3: self.tr("Neutral"),
            2: self.tr("Dissatisfied"),
            1: self.tr("Very dissatisfied"),
        }
        for score, face in FACES:
            self.face_buttons[score].setText(f"{face}\n{words[score]}")
            self.face_buttons[score].setAccessibleName(words[score])
        self.skip_button.setText(self.tr("Skip"))
