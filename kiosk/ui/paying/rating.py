"""One touch to say how it went: five big painted faces with their words, or skip."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QPushButton, QSizePolicy, QVBoxLayout

from kiosk.ui.pictures import FacePicture
from kiosk.ui.widgets import Screen, across, button, label, set_role

# Best first, as residents read them left to right (or top to bottom on a tall screen).
SCORES = (5, 4, 3, 2, 1)


class FaceButton(QPushButton):
    """A face as large as the button allows, its words beside (tall screen) or under it."""

    def __init__(self, score: int) -> None:
        super().__init__()
        # "choice": the surface colour, and no tile's minimum height (five must fit a tall screen).
        self.setProperty("role", "choice")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.face = FacePicture(score)
        self.words = label("heading")
        self._inner = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._inner.setContentsMargins(16, 16, 16, 16)
        self._inner.setSpacing(12)
        self._inner.addWidget(self.face, 1)
        self._inner.addWidget(self.words)
        for part in (self.face, self.words):
            # The button takes the touch, wherever on it the finger lands.
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_portrait(self, portrait: bool) -> None:
        self._inner.setDirection(
            QBoxLayout.Direction.LeftToRight if portrait else QBoxLayout.Direction.TopToBottom
        )
        self._inner.setStretch(0, 2 if portrait else 1)
        self._inner.setStretch(1, 3 if portrait else 0)
        left, centre = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignHCenter
        self.words.setAlignment((left if portrait else centre) | Qt.AlignmentFlag.AlignVCenter)
        # A tall screen gives the words a whole row: the largest type fits there.
        set_role(self.words, "title" if portrait else "heading")

    def set_words(self, words: str) -> None:
        self.words.setText(words)
        self.setAccessibleName(words)


class RatingScreen(Screen):
    name = "rating"

    sig_rated = Signal(int)
    """(score): 5 very satisfied ... 1 very dissatisfied."""

    sig_skip = Signal()
    """(): no rating; the session ends."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 30, 60, 30)
        layout.setSpacing(24)
        self.title = label("title")
        self._faces = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._faces.setSpacing(24)
        self.face_buttons: dict[int, FaceButton] = {}
        for score in SCORES:
            face = FaceButton(score)
            face.clicked.connect(lambda _=False, s=score: self.sig_rated.emit(s))
            self._faces.addWidget(face)
            self.face_buttons[score] = face
        self.skip_button = button("")
        self.skip_button.clicked.connect(self.sig_skip)
        layout.addWidget(self.title)
        layout.addLayout(self._faces, 1)
        layout.addWidget(self.skip_button)
        self.set_portrait(False)
        self.retranslate()

    def set_portrait(self, portrait: bool) -> None:
        self._faces.setDirection(across(portrait))
        for face in self.face_buttons.values():
            face.set_portrait(portrait)

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
        for score, face in self.face_buttons.items():
            face.set_words(words[score])
        self.skip_button.setText(self.tr("Skip"))
