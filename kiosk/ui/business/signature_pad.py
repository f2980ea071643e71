"""The signature pad: the resident signs with a finger (or a mouse), kept as strokes and a picture.

Each stroke is pen-down to pen-up, its points (x, y, milliseconds since the first point of the
signature), so the center keeps how it was written, not only how it looks (电子签名法 §13). The
picture is drawn again from the strokes at the pad's size, black on white, for the PDF.
A signature too small to be one (a tap, a dot) is refused: `looks_signed` says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPen, QTouchEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

Point = tuple[int, int, int]
Stroke = tuple[Point, ...]

MIN_POINTS = 12  # fewer than this over all strokes is a tap, not a signature
MIN_SPAN_PX = 60  # nor is anything smaller than this across
MAX_POINTS = 3900  # the protocol's limit per stroke is 4000


class SignaturePad(QWidget):
    sig_changed = Signal()
    """(): a stroke was added or the pad cleared."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._clock = clock
        self._strokes: list[list[Point]] = []
        self._started: float | None = None
        self._drawing = False
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(400, 180)
        self.setCursor(Qt.CursorShape.CrossCursor)

    # -- what was signed -----------------------------------------------------------------

    @property
    def strokes(self) -> tuple[Stroke, ...]:
        return tuple(tuple(stroke) for stroke in self._strokes if stroke)

    def looks_signed(self) -> bool:
        points = [point for stroke in self._strokes for point in stroke]
        if len(points) < MIN_POINTS:
            return False
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return max(max(xs) - min(xs), max(ys) - min(ys)) >= MIN_SPAN_PX

    def png(self) -> bytes:
        """The strokes drawn black on white at the pad's size, as PNG bytes."""
        image = QImage(self.width(), self.height(), QImage.Format.Format_Grayscale8)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self._paint_strokes(painter, QColor("black"))
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; Qt wants str
        return bytes(data.data())

    def clear(self) -> None:
        self._strokes = []
        self._started = None
        self._drawing = False
        self.update()
        self.sig_changed.emit()

    # -- drawing -------------------------------------------------------------------------

    def begin(self, point: QPointF | QPoint) -> None:
        self._drawing = True
        self._strokes.append([])
        self.extend(point)

    def extend(self, point: QPointF | QPoint) -> None:
        if not self._drawing or sum(len(s) for s in self._strokes) >= MAX_POINTS:
            return
        now = self._clock()
        if self._started is None:
            self._started = now
        x = min(max(int(point.x()), 0), self.width() - 1)
        y = min(max(int(point.y()), 0), self.height() - 1)
        stroke = self._strokes[-1]
        if stroke and stroke[-1][:2] == (x, y):
            return
        stroke.append((x, y, int((now - self._started) * 1000)))
        self.update()

    def end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.sig_changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.extend(event.position())
        self.end()

    def event(self, event: object) -> bool:
        # A touch panel: one finger writes; Qt would otherwise make mouse events of it late.
        if isinstance(event, QTouchEvent) and event.points():
            point = event.points()[0].position()
            kind = event.type()
            if kind == QTouchEvent.Type.TouchBegin:
                self.begin(point)
            elif kind == QTouchEvent.Type.TouchUpdate:
                self.extend(point)
            else:
                self.extend(point)
                self.end()
            event.accept()
            return True
        return super().event(event)  # type: ignore[arg-type]

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#9aa5b1"), 2, Qt.PenStyle.DashLine))
        baseline = int(self.height() * 0.75)
        painter.drawLine(24, baseline, self.width() - 24, baseline)
        self._paint_strokes(painter, QColor("#102a43"))
        painter.end()

    def _paint_strokes(self, painter: QPainter, colour: QColor) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colour, 5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self._strokes:
            if not stroke:
                continue
            if len(stroke) == 1:
                painter.drawPoint(stroke[0][0], stroke[0][1])
                continue
            path = QPainterPath(QPointF(stroke[0][0], stroke[0][1]))
            for x, y, _ms in stroke[1:]:
                path.lineTo(x, y)
            painter.drawPath(path)
