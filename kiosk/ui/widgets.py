"""Blocks shared by the screens: labels with a look, caption-value rows, keypad, usage chart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.formats import no_lone_last_character, quantity
from kiosk.ui.theme import NORMAL, Theme

if TYPE_CHECKING:
    from kiosk.services.screen_types import UsageMonth


class Prose(QLabel):
    """Wrapped text whose last line never holds a single Chinese character alone; `text()` gives
    back what was set, without the joiner that keeps the last two together."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._plain = ""
        self.setWordWrap(True)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._plain = text
        super().setText(no_lone_last_character(text))

    def text(self) -> str:
        return self._plain

    def clear(self) -> None:
        self._plain = ""
        super().clear()


def set_role(widget: QWidget, role: str) -> None:
    """Give `widget` another look from the stylesheet (its `role` property), now.

    Qt notices a changed dynamic property only on a re-polish, and `style().polish()` alone
    keeps the old box (no padding) once an ancestor's stylesheet has changed, as after a switch
    to large text: setting the widget's own sheet again redoes the whole look."""
    widget.setProperty("role", role)
    widget.setStyleSheet(widget.styleSheet())


def label(role: str = "", text: str = "", *, wrap: bool = True) -> QLabel:
    widget = Prose(text) if wrap else QLabel(text)
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


def empty(layout: QLayout) -> None:
    """Take every widget out of `layout` to fill it again."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()  # gone from the screen now, not at the next event loop
            widget.deleteLater()


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
    """Caption-value rows; the value column right-aligned so amounts line up.

    With more than one pair per row (a wide strip), pairs run left to right, each value just
    after its caption."""

    def __init__(self) -> None:
        super().__init__()
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(24)
        self._grid.setVerticalSpacing(4)
        self._rows: list[tuple[str, str, str]] = []
        self._pairs_per_row = 1

    def set_pairs_per_row(self, pairs: int) -> None:
        self._pairs_per_row = max(1, pairs)
        self.set_rows(self._rows)

    def set_rows(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """(caption, value, role of the value label) per row."""
        self._rows = list(rows)
        empty(self._grid)
        pairs = self._pairs_per_row
        for column in range(self._grid.columnCount()):
            self._grid.setColumnStretch(column, 0)
        if pairs == 1:
            self._grid.setColumnStretch(0, 1)
        else:
            for pair in range(pairs):
                self._grid.setColumnStretch(pair * 2 + 1, 1)
        value_side = Qt.AlignmentFlag.AlignRight if pairs == 1 else Qt.AlignmentFlag.AlignLeft
        for index, (caption, value, role) in enumerate(self._rows):
            row, pair = divmod(index, pairs)
            self._grid.addWidget(label("", caption), row, pair * 2)
            shown = label(role, value, wrap=False)
            shown.setAlignment(value_side | Qt.AlignmentFlag.AlignVCenter)
            self._grid.addWidget(shown, row, pair * 2 + 1)

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
        self.set_theme(NORMAL)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def months(self) -> list[UsageMonth]:
        return list(self._months)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        # Three lines of text (scale, months, years) and still room for bars that can be read.
        self.setMinimumHeight(QFontMetrics(self.axis_font()).height() * 3 + 180)
        self.update()

    def set_usage(self, months: Sequence[UsageMonth], unit: str, unpaid: set[str]) -> None:
        self._months = sorted(months, key=lambda m: m.period)
        self._unit = unit
        self._unpaid = set(unpaid)
        self.update()

    def clear(self) -> None:
        self.set_usage([], "", set())

    def axis_font(self) -> QFont:
        """The axis text: the theme's small text, at the floor for the smallest text on screen."""
        font = QFont(self.font())
        font.setPixelSize(self._theme.small_px)
        return font

    def _area(self, metrics: QFontMetrics) -> QRectF:
        line = metrics.height()
        left, right, top, bottom = 12, 12, line + 8, line * 2 + 8
        return QRectF(left, top, self.width() - left - right, self.height() - top - bottom)

    def axis_labels(self) -> list[tuple[str, QRectF]]:
        """Every month and year label with its box: month numbers on one row, spaced so they
        never touch; years on the row below, each under its first month, never overlapping
        (the partial first year gives way to the January after it)."""
        if not self._months:
            return []
        metrics = QFontMetrics(self.axis_font())
        line = metrics.height()
        area = self._area(metrics)
        slot = area.width() / len(self._months)
        gap = metrics.horizontalAdvance(" ")
        every = next(
            (n for n in (1, 2, 3, 4, 6, 12) if slot * n >= metrics.horizontalAdvance("12") + gap),
            12,
        )
        months: list[tuple[str, QRectF]] = []
        years: list[tuple[str, QRectF]] = []
        for index, month in enumerate(self._months):
            year, month_number = month.period.split("-")
            left = area.left() + index * slot
            if index % every == 0:
                text = str(int(month_number))
                width = metrics.horizontalAdvance(text) + 2  # the box must not clip the text
                box = QRectF(left + (slot - width) / 2, area.bottom() + 4, width, line)
                box.moveLeft(max(0.0, min(box.left(), self.width() - width)))
                months.append((text, box))
            if month_number == "01" or index == 0:
                width = metrics.horizontalAdvance(year) + 2
                box = QRectF(max(left, area.left()), area.bottom() + 4 + line, width, line)
                box.moveRight(min(box.right(), self.width()))
                if years and years[-1][1].right() + gap > box.left():
                    years.pop()  # the first, partial year has no room before the next January
                years.append((year, box))
        return months + years

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        t = self._theme
        text_colour = QColor(t.text)
        painter.fillRect(self.rect(), QColor(t.surface))
        if not self._months:
            return
        painter.setFont(self.axis_font())
        metrics = painter.fontMetrics()
        line = metrics.height()
        area = self._area(metrics)
        highest = max((m.quantity for m in self._months), default=Decimal(0)) or Decimal(1)
        slot = area.width() / len(self._months)
        bar_width = max(4.0, slot * 0.7)
        painter.setPen(QPen(text_colour, 2))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
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
        painter.setPen(QPen(text_colour))
        for text, box in self.axis_labels():
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft, text)
        scale = f"{quantity(highest)} {self._unit}"
        painter.drawText(
            QRectF(area.left(), 0, area.width(), line), Qt.AlignmentFlag.AlignLeft, scale
        )
        painter.end()


Words = Callable[[], str]
"""Text that is translated when shown, again on each language change: `lambda: self.tr(...)`."""


class StatusLine(Prose):
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
        self.setText(text if isinstance(text, str) else text())
        set_role(self, role)
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
    # A press reaches the button under the finger at once: held back for the drag detector,
    # a quick tap's press was lost and the button never clicked. A drag still scrolls.
    scroller = QScroller.scroller(area.viewport())
    properties = scroller.scrollerProperties()
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
    scroller.setScrollerProperties(properties)
    area.setWidget(body)
    return area
