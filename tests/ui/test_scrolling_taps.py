"""A page that scrolls by dragging a finger must still answer a quick tap on its buttons: the
drag detector once held the press back and a tap's press was lost (the help page, with its
hotline box, scrolls on a landscape screen)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton, QScrollArea

from tests.support.ui import click


def scrolling_help_page(qtbot: Any, window: Any) -> tuple[QScrollArea, QPushButton]:
    area = window.help.findChild(QScrollArea)
    tap_me = QPushButton("tap me")  # a button on the real page, as any of its own would be
    tap_me.setMinimumHeight(100)
    area.widget().layout().insertWidget(0, tap_me)
    click(qtbot, window.idle)
    click(qtbot, window.home.help_tile)
    assert area.verticalScrollBar().maximum() > 0  # the page does scroll
    return area, tap_me


def test_a_quick_tap_on_a_scrolling_page_clicks_its_button(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    window = make_window(running_center.url)
    _area, tap_me = scrolling_help_page(qtbot, window)
    with qtbot.waitSignal(tap_me.clicked, timeout=1000):
        click(qtbot, tap_me)
