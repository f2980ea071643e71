"""The real-name check's screen: the camera's picture as a mirror, an oval to put the face in,
the face's box when one is found, and one instruction at a time, large ("look at the camera",
"close your eyes", "open them again"); then the center's answer.

It only shows; `FaceCheck` (face_check.py) watches the camera and asks the center.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap

from kiosk.ui.business.screens import column, titled
from kiosk.ui.camera_picture import CameraPicture, camera_image
from kiosk.ui.widgets import Screen, StatusLine, button, label

# What each step of the check asks (kiosk.domain.liveness.Step), in the resident's words.
STEP_WORDS: dict[str, str] = {
    "look": "Look at the camera.",
    "close": "Now close your eyes for a moment…",
    "open": "…and open them again.",
    "passed": "Thank you.",
}
_STEP_WORDS = (  # the same, for lupdate to find
    QT_TRANSLATE_NOOP("FaceCheckScreen", "Look at the camera."),
    QT_TRANSLATE_NOOP("FaceCheckScreen", "Now close your eyes for a moment…"),
    QT_TRANSLATE_NOOP("FaceCheckScreen", "…and open them again."),
)
# The face finder's problems (kiosk.vision.faces.FaceProblem), for lupdate to find.
_FACE_PROBLEMS = (
    QT_TRANSLATE_NOOP("FaceCheckScreen", "Look at the camera, with your face inside the oval."),
    QT_TRANSLATE_NOOP("FaceCheckScreen", "Only one person in front of the camera, please."),
    QT_TRANSLATE_NOOP("FaceCheckScreen", "Move so that your face is in the middle of the oval."),
    QT_TRANSLATE_NOOP("FaceCheckScreen", "Come a little closer to the camera."),
    QT_TRANSLATE_NOOP("FaceCheckScreen", "Move back a little from the camera."),
)


class FaceCheckScreen(Screen):
    name = "business_face"

    sig_try_again = Signal()
    sig_left = Signal()
    """(): the screen was left (back, home, the session's end): the check stops watching."""

    def __init__(self) -> None:
        super().__init__()
        outer = column(self, side=60, top=20, spacing=12)
        self.title, self.hint = titled(outer)
        self.picture = CameraPicture()
        outer.addWidget(self.picture, 1)
        self.instruction = label("display")
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.instruction)
        self.status = StatusLine()
        outer.addWidget(self.status)
        self.try_again_button = button("primary")
        self.try_again_button.clicked.connect(self.sig_try_again)
        outer.addWidget(self.try_again_button)
        self.step = "look"
        self.retranslate()
        self.show_live(None, None, "look", None)

    def show_live(
        self,
        picture: object | None,
        box: tuple[int, int, int, int] | None,
        step: str,
        problem: str | None,
    ) -> None:
        """The camera's picture mirrored (as residents expect of a camera facing them), the
        oval, the face's box; what to do now, or why the picture will not do yet."""
        self.step = step
        self.try_again_button.setVisible(False)
        if picture is None:
            self.picture.clear()
            self.instruction.setText("")
            self.status.show_busy(self.tr("Starting the camera…"))
            return
        self.picture.show_pixmap(_mirrored_with_guides(picture, box, found=problem is None))
        self.instruction.setText(self.tr(STEP_WORDS.get(step, STEP_WORDS["look"])))
        if problem is not None:
            self.status.show_message(self.tr(problem))
        else:
            self.status.hide_status()

    def show_checking(self) -> None:
        self.instruction.setText(self.tr("Thank you."))
        self.status.show_busy(self.tr("Checking your photo with your ID card…"))
        self.try_again_button.setVisible(False)

    def show_not_done(self, why: str, *, may_try_again: bool) -> None:
        """The check did not pass, or could not be made: why, and whether to try again."""
        self.instruction.setText("")
        self.status.show_message(why)
        self.try_again_button.setVisible(may_try_again)

    def hideEvent(self, event: Any) -> None:
        self.sig_left.emit()
        super().hideEvent(event)

    def clear(self) -> None:
        self.picture.clear()
        self.instruction.setText("")
        self.status.hide_status()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Check that it is you"))
        self.hint.setText(
            self.tr(
                "The camera takes a photo of your face, and the identity service compares it "
                "with your ID card. The photo is deleted once the check is decided."
            )
        )
        self.try_again_button.setText(self.tr("Try again"))
        if self.instruction.text():
            self.instruction.setText(self.tr(STEP_WORDS.get(self.step, STEP_WORDS["look"])))


def _mirrored_with_guides(
    picture: object, box: tuple[int, int, int, int] | None, *, found: bool
) -> QPixmap:
    import numpy as np

    flipped = np.ascontiguousarray(np.asarray(picture)[:, ::-1])  # a mirror, left for left
    pixmap = QPixmap.fromImage(camera_image(flipped))
    width, height = pixmap.width(), pixmap.height()
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    # The oval the face belongs in: the middle of the picture, a face's proportions.
    oval = QRectF(width * 0.32, height * 0.12, width * 0.36, height * 0.72)
    painter.setPen(QPen(QColor("#FFFFFF"), max(3, width // 160), Qt.PenStyle.DashLine))
    painter.drawEllipse(oval)
    if box is not None:
        x, y, w, h = box
        painter.setPen(QPen(QColor("#2E7D32" if found else "#F9A825"), max(3, width // 120)))
        painter.drawRect(QRectF(width - x - w, y, w, h))  # mirrored like the picture
    painter.end()
    return pixmap
