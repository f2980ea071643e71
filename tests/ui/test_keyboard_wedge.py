"""The keyboard-wedge filter with qtbot key clicks, on a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.domain.keyboard_burst import KeyboardBurstDetector
from kiosk.ui.keyboard_wedge import KeyboardWedge

PAY = "134567890123456789"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def form(qtbot) -> tuple[QWidget, QLineEdit]:
    window = QWidget()
    field = QLineEdit(window)
    QVBoxLayout(window).addWidget(field)
    qtbot.addWidget(window)
    window.show()
    return window, field


@pytest.fixture
def wedge(clock: Clock) -> Iterator[KeyboardWedge]:
    filter_ = KeyboardWedge(detector=KeyboardBurstDetector(max_gap_s=0.05), clock=clock)
    filter_.install()
    yield filter_
    filter_.uninstall()


def _type(qtbot, field: QLineEdit, clock: Clock, text: str, gap: float) -> None:
    for char in text:
        if char == "\r":
            qtbot.keyClick(field, Qt.Key.Key_Return)
        elif char == "\t":
            qtbot.keyClick(field, Qt.Key.Key_Tab)
        else:
            qtbot.keyClick(field, char)
        clock.now += gap


@pytest.mark.parametrize("end", ["\r", "\t"])
def test_a_scanner_burst_is_a_signal_and_types_nothing(qtbot, form, wedge, clock, end) -> None:
    _, field = form
    with qtbot.waitSignal(wedge.sig_code_scanned, timeout=1000) as blocker:
        _type(qtbot, field, clock, PAY + end, 0.004)
    assert blocker.args == [PAY]
    assert field.text() == ""


def test_a_person_typing_reaches_the_field_in_order(qtbot, form, wedge, clock) -> None:
    _, field = form
    scanned: list[str] = []
    wedge.sig_code_scanned.connect(scanned.append)
    returns: list[bool] = []
    field.returnPressed.connect(lambda: returns.append(True))
    _type(qtbot, field, clock, "3201000001", 0.2)
    clock.now += 1  # the last key's deadline has passed: the timer lets it through
    qtbot.waitUntil(lambda: field.text() == "3201000001", timeout=1000)
    _type(qtbot, field, clock, "\r", 0.2)
    assert returns == [True] and scanned == []
    wedge.sig_code_scanned.disconnect(scanned.append)


def test_typing_then_a_scan_keeps_both_apart(qtbot, form, wedge, clock) -> None:
    _, field = form
    _type(qtbot, field, clock, "ab", 0.3)
    with qtbot.waitSignal(wedge.sig_code_scanned, timeout=1000) as blocker:
        _type(qtbot, field, clock, PAY + "\r", 0.003)
    assert blocker.args == [PAY]
    assert field.text() == "ab"


def test_uninstalled_it_lets_every_key_through(qtbot, form, wedge, clock) -> None:
    _, field = form
    wedge.uninstall()
    _type(qtbot, field, clock, "123", 0.001)
    assert field.text() == "123"
