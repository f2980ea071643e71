"""The bill as a resident reads it: what is owed and the ways to pay above the fold, the late
fee month by month, chart labels that never run into each other, no text under the floor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import combinations
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.ui.formats import money
from kiosk.ui.local_text import CHINESE, ENGLISH
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.theme import LARGE, MM_PER_PX, NORMAL, SMALLEST_TEXT_MM, Theme, cap_height_px
from kiosk.ui.widgets import UsageChart
from sync.protocol.schemas import UsageMonth
from tests.support.ui import DEMO_ACCOUNT, open_bill

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
LATE = {CHINESE: ("违约金明细", "天"), ENGLISH: ("Late fee by month", "days late")}


def shown_bill(qtbot: Any, make_window: Any, url: str, orientation: str, large: bool) -> Any:
    window = make_window(url, size=SIZES[orientation], language=CHINESE)
    window.display.set_large_text(large)
    open_bill(qtbot, window, DEMO_ACCOUNT)
    qtbot.waitUntil(lambda: window.bill.pay_button.isVisible(), timeout=5000)
    qtbot.wait(50)  # the layout settles on the next turn of the event loop
    return window


def in_view(window: KioskWindow, widget: QWidget) -> bool:
    """The whole widget lies in the bill page's visible part, without scrolling."""
    viewport = window.bill.page.viewport()
    seen = QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size())
    if not window.bill.page.isAncestorOf(widget):  # the action bar, outside the scrolling page
        seen = QRect(window.bill.mapToGlobal(QPoint(0, 0)), window.bill.size())
    box = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
    return widget.isVisible() and seen.contains(box)


def total_label(window: KioskWindow) -> QLabel:
    bill = window.bill.bill
    assert bill is not None
    total = money(bill.total_due)
    return next(
        label
        for label in window.bill.owed_facts.findChildren(QLabel)
        if label.text() == total and label.isVisible()
    )


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_what_is_owed_and_the_pay_button_are_above_the_fold(
    qtbot: Any, make_window: Any, running_center: Any, orientation: str, large: bool
) -> None:
    window = shown_bill(qtbot, make_window, running_center.url, orientation, large)
    assert window.bill.page.verticalScrollBar().value() == 0
    assert in_view(window, total_label(window))
    assert in_view(window, window.bill.pay_button)
    assert in_view(window, window.bill.period_title)  # this period's bill starts on screen too
    if orientation == "landscape":  # this period's whole bill, tiers included
        assert in_view(window, window.bill.tiers)
    if not large:  # normal text: the whole chart, labels included, as well
        assert in_view(window, window.bill.chart)


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_the_late_fee_is_broken_down_by_month(
    qtbot: Any, make_window: Any, running_center: Any, language: str
) -> None:
    window = make_window(running_center.url, language=language)
    open_bill(qtbot, window, DEMO_ACCOUNT)
    bill = window.bill.bill
    assert bill is not None and bill.unpaid and bill.late_fee > 0
    texts = window.bill.late_fees.texts()
    heading, days = LATE[language]
    assert window.bill.late_fee_title.text() == heading
    late = [unpaid for unpaid in bill.unpaid if unpaid.days_overdue]
    assert late
    for unpaid in late:
        row = next(text for text in texts if text.startswith(unpaid.period))
        assert money(unpaid.amount) in row and f"{unpaid.days_overdue} {days}" in row
        assert texts[texts.index(row) + 1] == money(unpaid.late_fee)
    assert sum((u.late_fee for u in bill.unpaid), Decimal(0)) == bill.late_fee
    window.display.toggle_language()  # the breakdown follows a switch
    other = ENGLISH if language == CHINESE else CHINESE
    qtbot.waitUntil(lambda: window.bill.late_fee_title.text() == LATE[other][0], timeout=2000)
    assert LATE[other][1] in "".join(window.bill.late_fees.texts())


def months(count: int, first: dt.date) -> list[UsageMonth]:
    shown = []
    year, month = first.year, first.month
    for index in range(count):
        shown.append(
            UsageMonth(
                period=f"{year}-{month:02d}",
                quantity=Decimal(100 + 37 * index % 200),
                amount=Decimal("50.00"),
            )
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return shown


@pytest.mark.parametrize("theme", [NORMAL, LARGE], ids=lambda t: t.name)
@pytest.mark.parametrize("width", [240, 420, 560, 700, 900, 1800])
def test_chart_labels_never_overlap(qtbot: Any, theme: Theme, width: int) -> None:
    chart = UsageChart()
    qtbot.addWidget(chart)
    chart.set_theme(theme)
    chart.resize(width, 320)
    for count in (1, 2, 3, 11, 12, 13, 14, 24):
        for first in (dt.date(2024, 11, 1), dt.date(2025, 12, 1), dt.date(2025, 1, 1)):
            chart.set_usage(months(count, first), "kWh", set())
            labels = chart.axis_labels()
            assert labels, (count, first)
            for (a, box_a), (b, box_b) in combinations(labels, 2):
                assert not box_a.intersects(box_b), (width, count, first, a, b)
            for _text, box in labels:
                assert box.left() >= 0 and box.right() <= width
            years = [text for text, box in labels if len(text) == 4]
            assert years and years == sorted(set(years))  # each year once, in order
            # Every year the chart reaches into from January on is named, at the widths the
            # bill gives the chart (a third of a landscape screen at least).
            januaries = {m.period[:4] for m in chart.months if m.period.endswith("-01")}
            assert januaries <= set(years) or width < 420


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_no_text_on_the_bill_is_under_the_floor(
    qtbot: Any, make_window: Any, running_center: Any, large: bool
) -> None:
    window = shown_bill(qtbot, make_window, running_center.url, "landscape", large)
    sizes = {
        label.text(): label.fontInfo().pixelSize()
        for label in window.bill.findChildren(QLabel)
        if label.isVisible() and label.text()
    }
    sizes["chart axis"] = window.bill.chart.axis_font().pixelSize()
    floor_px = SMALLEST_TEXT_MM / MM_PER_PX
    under = {text: px for text, px in sizes.items() if cap_height_px(px) < floor_px}
    assert not under


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_no_label_anywhere_in_the_window_is_under_the_floor(
    qtbot: Any, make_window: Any, running_center: Any, large: bool
) -> None:
    window = shown_bill(qtbot, make_window, running_center.url, "landscape", large)
    floor_px = SMALLEST_TEXT_MM / MM_PER_PX
    under = {}
    for found in window.findChildren(QLabel):
        found.ensurePolished()
        if cap_height_px(found.fontInfo().pixelSize()) < floor_px:
            under[found.objectName() or found.text()[:30]] = found.fontInfo().pixelSize()
    assert not under


def test_every_theme_keeps_its_smallest_text_at_the_floor() -> None:
    for theme in (NORMAL, LARGE):
        assert theme.smallest_text_mm >= SMALLEST_TEXT_MM
