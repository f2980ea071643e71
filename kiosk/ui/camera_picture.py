"""What a camera sees, on screen: the picture widget, and a camera frame as a Qt image."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel


class CameraPicture(QLabel):
    """What the camera sees, as large as the screen leaves room for, proportions kept."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(320, 240)

    def show_pixmap(self, pixmap: QPixmap) -> None:
        self.setPixmap(
            pixmap.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )


def camera_image(picture: object) -> QImage:
    """A camera picture (numpy, BGR or grey) as a QImage that owns its pixels."""
    import numpy as np

    array = np.ascontiguousarray(picture)
    height, width = array.shape[:2]
    if array.ndim == 2:
        return QImage(array.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    return QImage(array.data, width, height, 3 * width, QImage.Format.Format_BGR888).copy()
