"""On a touch panel the kiosk shows no pointer (`[screen] cursor = false`, as the package's
site file sets it): a pointer would sit in mid-screen where the last touch left it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.app import kiosk_application
from kiosk.config import load_config


@pytest.fixture
def no_override(qapp: QApplication) -> Iterator[None]:
    yield
    while QApplication.overrideCursor() is not None:
        QApplication.restoreOverrideCursor()


@pytest.mark.usefixtures("no_override")
def test_a_touch_panel_shows_no_pointer(qapp: QApplication) -> None:
    app = kiosk_application(load_config(overrides={"screen": {"cursor": False}}))
    assert app is qapp
    cursor = QApplication.overrideCursor()
    assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor


@pytest.mark.usefixtures("no_override")
def test_with_a_mouse_the_pointer_stays(qapp: QApplication) -> None:
    kiosk_application(load_config())
    assert QApplication.overrideCursor() is None
