"""Blocks shared by the screens: labels with a look, caption-value rows, keypad, usage chart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.formats import quantity
from kiosk.ui.theme import NORMAL, Theme

if TYPE_CHECKING:
    from kiosk.services.screen_types import UsageMonth


def label(role: str = "", text: str = "", *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    return widget


def button(role: str = "", text: str = "") -> QPushButton:
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touch only: no focus rectangles
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return widget


def across(portrait: bool) -> QBoxLayout.Direction:
    """Side by side on a wide screen, one above the other on a tall one."""
    return QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight


def card() -> QFrame:
    frame = QFrame()
    frame.setProperty("role", "card")
    return frame


class Retranslated:
    """For a widget with `retranslate()`: it runs again whenever the language changes.
    List it before the Qt class: `class Banner(Retranslated, QFrame)`."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]


class DisplayCard(QFrame):
    """A card with one large centred figure (an amount, a typed number), under an optional
    small caption."""

    def __init__(self, *, caption: bool = False) -> None:
        super().__init__()
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 16, 30, 16)
        self.caption = label("small") if caption else None
        if self.caption is not None:
            layout.addWidget(self.caption)
        self.value = label("display", wrap=False)
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.value)


class Facts(QWidget):
    """Caption-value rows; the value column right-aligned so amounts line up."""

    def __init__(self) -> None:
        super().__init__()
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(24)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(0, 1)

    def set_rows(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """(caption, value, role of the value label) per row."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from the screen now, not at the next event loop
                widget.deleteLater()
        for row, (caption, value, role) in enumerate(rows):
            self._grid.addWidget(label("", caption), row, 0)
            shown = label(role, value, wrap=False)
            shown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._grid.addWidget(shown, row, 1)

    def texts(self) -> list[str]:
        return [
            widget.text()
            for i in range(self._grid.count())
            if (item := self._grid.itemAt(i)) is not None
            and isinstance(widget := item.widget(), QLabel)
        ]


class Screen(Retranslated, QWidget):
    """One page of the stack: a thin widget that shows what its controller gives it.

    Subclasses set `name` (used in the session summary and screenshot file names), build their
    widgets, and implement `retranslate()`, `clear()` and optionally `set_portrait()`.
    """

    name = "screen"

    def retranslate(self) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        """Forget everything the resident entered or saw here."""

    def set_portrait(self, portrait: bool) -> None:
        """Re-arrange for a tall screen; the default layout works both ways."""


class Keypad(Retranslated, QWidget):
    """A large numeric keypad: 0-9, delete, clear and confirm."""

    sig_digit = Signal(str)
    """(digit): one of "0".."9"."""

    sig_delete = Signal()
    """(): remove the last digit."""

    sig_clear = Signal()
    """(): remove every digit."""

    sig_confirm = Signal()
    """(): the resident is done typing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(14)
        grid.setContentsMargins(0, 0, 0, 0)
        self.digit_keys: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            self._add_digit(grid, digit, index // 3, index % 3)
        self.clear_key = button("key")
        self.clear_key.clicked.connect(self.sig_clear)
        grid.addWidget(self.clear_key, 3, 0)
        self._add_digit(grid, "0", 3, 1)
        self.delete_key = button("key")
        self.delete_key.clicked.connect(self.sig_delete)
        grid.addWidget(self.delete_key, 3, 2)
        self.confirm_key = button("primary")
        self.confirm_key.clicked.connect(self.sig_confirm)
        self.confirm_key.setProperty("role", "key")
        self.confirm_key.setObjectName("confirmKey")
        grid.addWidget(self.confirm_key, 4, 0, 1, 3)
        self.retranslate()

    def _add_digit(self, grid: QGridLayout, digit: str, row: int, column: int) -> None:
        key = button("key", digit)
        key.clicked.connect(lambda: self.sig_digit.emit(digit))
        grid.addWidget(key, row, column)
        self.digit_keys[digit] = key

    def retranslate(self) -> None:
        self.clear_key.setText(self.tr("Clear"))
        self.delete_key.setText(self.tr("Delete"))
        self.confirm_key.setText(self.tr("Confirm"))


class UsageChart(QWidget):
    """Monthly usage as bars, painted by hand (QtCharts is not installed).

    Unpaid months are hatched and marked with "!" as well as coloured, so colour is never the
    only cue.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._months: list[UsageMonth] = []
        self._unpaid: set[str] = set()
        self._unit = ""
        self._theme = NORMAL
        self.setMinimumHeight(260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def months(self) -> list[UsageMonth]:
        return list(self._months)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_usage(self, months: Sequence[UsageMonth], unit: str, unpaid: set[str]) -> None:
        self._months = sorted(months, key=lambda m: m.period)
        self._unit = unit
        self._unpaid = set(unpaid)
        self.update()

    def clear(self) -> None:
        self.set_usage([], "", set())

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        t = self._theme
        text_colour = QColor(t.text)
        painter.fillRect(self.rect(), QColor(t.surface))
        if not self._months:
            return
        font = QFont(self.font())
        font.setPixelSize(max(14, t.small_px - 8))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        line = metrics.height()
        left, right, top, bottom = 12, 12, line + 8, line * 2 + 12
        area = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        highest = max((m.quantity for m in self._months), default=Decimal(0)) or Decimal(1)
        slot = area.width() / len(self._months)
        bar_width = max(4.0, slot * 0.7)
        painter.setPen(QPen(text_colour, 2))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        label_every = 1 if slot >= metrics.horizontalAdvance("12") + 6 else 3
        for index, month in enumerate(self._months):
            x = area.left() + index * slot + (slot - bar_width) / 2
            height = float(month.quantity / highest) * (area.height() - line)
            bar = QRectF(x, area.bottom() - height, bar_width, height)
            unpaid = month.period in self._unpaid
            colour = QColor(t.chart_unpaid if unpaid else t.chart_bar)
            painter.setPen(QPen(text_colour, 1))
            painter.setBrush(QBrush(colour))
            painter.drawRect(bar)
            if unpaid:
                painter.setBrush(QBrush(text_colour, Qt.BrushStyle.BDiagPattern))
                painter.drawRect(bar)
                painter.drawText(
                    QRectF(x - slot, bar.top() - line, bar_width + 2 * slot, line),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    "!",
                )
            year, month_number = month.period.split("-")
            centre = QRectF(area.left() + index * slot, area.bottom() + 4, slot, line)
            if index % label_every == 0 or month_number == "01":
                painter.drawText(centre, Qt.AlignmentFlag.AlignHCenter, str(int(month_number)))
            if month_number == "01" or index == 0:
                year_box = QRectF(
                    centre.left(), centre.bottom(), metrics.horizontalAdvance(year) + 8, line
                )
                painter.drawText(year_box, Qt.AlignmentFlag.AlignLeft, year)
        painter.setPen(QPen(text_colour))
        scale = f"{quantity(highest)} {self._unit}"
        painter.drawText(QRectF(left, 0, area.width(), line), Qt.AlignmentFlag.AlignLeft, scale)
        painter.end()


Words = Callable[[], str]
"""Text that is translated when shown, again on each language change: `lambda: self.tr(...)`."""


class StatusLine(QLabel):
    """A line that says "working on it" (dashed box) or what went wrong (yellow box, bold edge).

    Given `Words` rather than a string, it says them again in the new language after a switch:
    a message shown before the switch must not stay in the old one."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setVisible(False)
        self._words: Words | None = None

    def show_busy(self, text: str | Words) -> None:
        self._show("busy", text)

    def show_message(self, text: str | Words) -> None:
        self._show("message", text)

    @property
    def shown_text(self) -> str:
        return self.text() if not self.isHidden() else ""

    @property
    def is_busy(self) -> bool:
        return not self.isHidden() and self.property("role") == "busy"

    def hide_status(self) -> None:
        self._words = None
        self.setVisible(False)
        self.clear()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._words is not None:
            self.setText(self._words())
        super().changeEvent(event)

    def _show(self, role: str, text: str | Words) -> None:
        self._words = None if isinstance(text, str) else text
        self.setProperty("role", role)
        self.setText(text if isinstance(text, str) else text())
        # A changed dynamic property needs a re-polish for the stylesheet to notice it.
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(True)


class Tile(QPushButton):
    """A big service button: a bold name and a plain line saying what it does, both wrapped."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        inner = QVBoxLayout(self)
        inner.setContentsMargins(30, 30, 30, 30)
        inner.setSpacing(16)
        self.heading = label("title")
        self.description = label()
        for part in (self.heading, self.description):
            part.setAlignment(Qt.AlignmentFlag.AlignCenter)
            # The button takes the touch, wherever on the tile it lands.
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        inner.addStretch(1)
        inner.addWidget(self.heading)
        inner.addWidget(self.description)
        inner.addStretch(1)

    def set_texts(self, heading: str, description: str) -> None:
        self.heading.setText(heading)
        self.description.setText(description)
        self.setAccessibleName(heading)


def scrolling(body: QWidget) -> QScrollArea:
    """A page taller than the screen (large text, a tall bill) scrolls by dragging a finger."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    area.setWidget(body)
    return area
