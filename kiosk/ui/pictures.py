"""Pictures painted by hand: a QR code a phone can read, and where to hold the phone.

A QR is drawn dark on white whatever the theme (wallet apps read nothing else), with the quiet
zone of four modules the standard asks for, and modules of whole pixels so no edge blurs.
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_MODULES = 4


def qr_modules(text: str) -> list[list[bool]]:
    """The QR's dark modules, row by row, without the quiet zone."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


class QrPicture(QWidget):
    """A square QR code, as large as its place allows; blank until it has a text."""

    def __init__(self, minimum_px: int = 300, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text: str | None = None
        self._modules: list[list[bool]] = []
        self.setMinimumSize(minimum_px, minimum_px)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def text(self) -> str | None:
        return self._text

    def set_text(self, text: str | None) -> None:
        self._text = text or None
        self._modules = qr_modules(text) if text else []
        self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def module_px(self) -> int:
        """Whole pixels per module at the current size (0: nothing to draw)."""
        if not self._modules:
            return 0
        count = len(self._modules) + 2 * QUIET_MODULES
        return min(self.width(), self.height()) // count

    def paintEvent(self, event: object) -> None:
        if not self._modules:
            return
        size = self.module_px()
        if size <= 0:
            return
        count = len(self._modules)
        side = (count + 2 * QUIET_MODULES) * size
        left = (self.width() - side) // 2
        top = (self.height() - side) // 2
        painter = QPainter(self)
        painter.fillRect(left, top, side, side, QColor("#FFFFFF"))
        dark = QColor("#000000")
        origin_x = left + QUIET_MODULES * size
        origin_y = top + QUIET_MODULES * size
        for row, line in enumerate(self._modules):
            for column, on in enumerate(line):
                if on:
                    painter.fillRect(
                        origin_x + column * size, origin_y + row * size, size, size, dark
                    )
        painter.end()


class HoldPhonePicture(QWidget):
    """The kiosk's front: the screen, and below it the scanner window with a phone held over it.

    The words stay outside the picture (in labels), so they are translated and sized like the
    rest of the screen.
    """

    def __init__(self, ink: str = "#15202B", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ink = ink
        self.setMinimumSize(260, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_ink(self, ink: str) -> None:
        self._ink = ink
        self.update()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = QColor(self._ink)
        w, h = float(self.width()), float(self.height())
        unit = min(w / 10, h / 12)
        cx = w / 2
        pen = QPen(ink, max(3.0, unit / 6))
        painter.setPen(pen)
        # The kiosk: its screen at the top, the scanner window below it.
        body = QRectF(cx - 3 * unit, unit * 0.5, 6 * unit, 11 * unit)
        painter.drawRoundedRect(body, unit / 3, unit / 3)
        screen = QRectF(body.left() + unit / 2, body.top() + unit / 2, 5 * unit, 3.5 * unit)
        painter.drawRect(screen)
        window = QRectF(cx - 1.8 * unit, body.top() + 8.6 * unit, 3.6 * unit, 0.9 * unit)
        painter.fillRect(window, QColor("#C62828"))
        painter.drawRect(window)
        # The phone, screen down, a hand's breadth above the window.
        phone = QRectF(cx - 1.3 * unit, body.top() + 5.0 * unit, 2.6 * unit, 2.4 * unit)
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRoundedRect(phone, unit / 4, unit / 4)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        bars = QPen(QColor("#000000"), max(2.0, unit / 8))
        painter.setPen(bars)
        for index in range(6):
            x = phone.left() + unit * (0.45 + index * 0.34)
            painter.drawLine(QPointF(x, phone.top() + unit * 0.5), QPointF(x, phone.top() + unit))
        painter.setPen(pen)
        # An arrow from the phone down to the window.
        top = phone.bottom() + unit * 0.15
        tip = window.top() - unit * 0.15
        painter.drawLine(QPointF(cx, top), QPointF(cx, tip))
        head = QPolygonF(
            [
                QPointF(cx - unit * 0.4, tip - unit * 0.45),
                QPointF(cx + unit * 0.4, tip - unit * 0.45),
                QPointF(cx, tip),
            ]
        )
        path = QPainterPath()
        path.addPolygon(head)
        painter.fillPath(path, ink)
        painter.end()
