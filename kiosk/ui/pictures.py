"""Pictures painted by hand: a QR code a phone can read, where to hold the phone, a face for
each rating, and a mark for each payment outcome. Painted, not emoji: a kiosk has no emoji font.

A QR is drawn dark on white whatever the theme (wallet apps read nothing else), with the quiet
zone of four modules the standard asks for, and modules of whole pixels so no edge blurs.
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_MODULES = 4


def qr_modules(text: str) -> list[list[bool]]:
    """The QR's dark modules, row by row, without the quiet zone."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


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


# Rating 5 (very satisfied) to 1 (very dissatisfied): the mouth's curve, from a broad smile to a
# deep frown, and a fill from green to red. The mouth and brows tell the faces apart without
# colour; the colour only helps.
_FACES = {
    5: (1.0, "#43A047"),
    4: (0.5, "#9CCC65"),
    3: (0.0, "#FDD835"),
    2: (-0.5, "#FB8C00"),
    1: (-1.0, "#E53935"),
}
_FEATURES = QColor("#15202B")  # eyes and mouth, dark on every fill


class FacePicture(QWidget):
    """A round face for one rating, as large as its place allows; outlined in the text colour."""

    def __init__(self, score: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if score not in _FACES:
            raise ValueError(f"no face for rating {score}")
        self.score = score
        self.setMinimumSize(96, 96)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def smile(self) -> float:
        """How far the mouth curves up (1.0) or down (-1.0)."""
        return _FACES[self.score][0]

    def paintEvent(self, event: object) -> None:
        smile, fill = _FACES[self.score]
        side = min(self.width(), self.height()) - 8.0
        if side <= 0:
            return
        r = side / 2
        cx, cy = self.width() / 2, self.height() / 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The outline in the text colour, so the face stands out on a dark theme too.
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.WindowText), max(3.0, r / 14)))
        painter.setBrush(QColor(fill))
        painter.drawEllipse(QPointF(cx, cy), r, r)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_FEATURES)
        eye_y, eye_dx, eye_r = cy - r * 0.25, r * 0.36, r * 0.12
        painter.drawEllipse(QPointF(cx - eye_dx, eye_y), eye_r, eye_r * 1.25)
        painter.drawEllipse(QPointF(cx + eye_dx, eye_y), eye_r, eye_r * 1.25)
        features = QPen(_FEATURES, max(3.0, r / 9))
        features.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(features)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if smile < 0:
            # Brows drawn together: the unhappy faces read as unhappy at a glance.
            lift = r * 0.12 * -smile
            for side_x in (-1, 1):
                inner = QPointF(cx + side_x * eye_dx * 0.45, eye_y - r * 0.22)
                outer = QPointF(cx + side_x * eye_dx * 1.45, eye_y - r * 0.22 - lift)
                painter.drawLine(inner, outer)
        # The mouth: a curve whose middle dips (smile) or rises (frown).
        mouth_y = cy + r * 0.38 - smile * r * 0.08
        half = r * 0.48
        mouth = QPainterPath(QPointF(cx - half, mouth_y))
        mouth.quadTo(QPointF(cx, mouth_y + smile * r * 0.5), QPointF(cx + half, mouth_y))
        painter.drawPath(mouth)
        painter.end()


# Each outcome's mark: a different shape inside the circle, so colour is never the only cue.
_MARKS = {
    "paid": "#2E7D32",  # a tick
    "declined": "#C62828",  # a cross
    "cancelled": "#546E7A",  # a bar: nothing happened
    "unconfirmed": "#EF8F00",  # an exclamation mark
    "waiting": "#1565C0",  # three dots
}


class OutcomeMark(QWidget):
    """A round mark beside a result's title: tick, cross, bar, "!" or dots on colour."""

    def __init__(self, side_px: int = 96, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind: str | None = None
        self.setFixedSize(side_px, side_px)

    @property
    def kind(self) -> str | None:
        return self._kind

    def set_kind(self, kind: str | None) -> None:
        if kind is not None and kind not in _MARKS:
            raise ValueError(f"no mark for {kind!r}")
        self._kind = kind
        self.setVisible(kind is not None)
        self.update()

    def paintEvent(self, event: object) -> None:
        if self._kind is None:
            return
        r = min(self.width(), self.height()) / 2 - 3
        cx, cy = self.width() / 2, self.height() / 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.WindowText), 3))
        painter.setBrush(QColor(_MARKS[self._kind]))
        painter.drawEllipse(QPointF(cx, cy), r, r)
        white = QColor("#FFFFFF")
        pen = QPen(white, r / 4.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        u = r / 10
        if self._kind == "paid":
            tick = QPainterPath(QPointF(cx - 5 * u, cy))
            tick.lineTo(QPointF(cx - 1.5 * u, cy + 4 * u))
            tick.lineTo(QPointF(cx + 5.5 * u, cy - 4 * u))
            painter.drawPath(tick)
        elif self._kind == "declined":
            painter.drawLine(QPointF(cx - 4 * u, cy - 4 * u), QPointF(cx + 4 * u, cy + 4 * u))
            painter.drawLine(QPointF(cx + 4 * u, cy - 4 * u), QPointF(cx - 4 * u, cy + 4 * u))
        elif self._kind == "cancelled":
            painter.drawLine(QPointF(cx - 5 * u, cy), QPointF(cx + 5 * u, cy))
        elif self._kind == "unconfirmed":
            painter.drawLine(QPointF(cx, cy - 5.5 * u), QPointF(cx, cy + 1.5 * u))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(white)
            painter.drawEllipse(QPointF(cx, cy + 5 * u), 1.3 * u, 1.3 * u)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(white)
            for dx in (-4.5, 0.0, 4.5):
                painter.drawEllipse(QPointF(cx + dx * u, cy), 1.4 * u, 1.4 * u)
        painter.end()
