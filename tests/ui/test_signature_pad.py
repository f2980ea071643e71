"""The signature pad keeps strokes with their timing and a picture of them; a tap is no
signature."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import QPoint, Qt

from kiosk.ui.business.signature_pad import SignaturePad


def _pad(qtbot: Any) -> SignaturePad:
    ticks = iter(range(0, 100_000, 16))
    pad = SignaturePad(clock=lambda: next(ticks) / 1000)
    qtbot.addWidget(pad)
    pad.resize(600, 220)
    pad.show()
    return pad


def _write(qtbot: Any, pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for point in points[1:]:
        qtbot.mouseMove(pad, QPoint(*point))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def test_strokes_keep_their_points_and_timing(qtbot: Any) -> None:
    pad = _pad(qtbot)
    _write(qtbot, pad, [(40 + 20 * i, 60 + (i % 4) * 20) for i in range(15)])
    _write(qtbot, pad, [(100, 150), (200, 150), (300, 150)])
    first, second = pad.strokes
    assert len(first) == 15 and len(second) == 3
    times = [point[2] for stroke in pad.strokes for point in stroke]
    assert times[0] == 0 and times == sorted(times) and times[-1] > 0
    assert pad.looks_signed()


def test_the_picture_is_the_strokes_black_on_white(qtbot: Any) -> None:
    pad = _pad(qtbot)
    _write(qtbot, pad, [(50, 100), (300, 100), (550, 100)])
    picture = cv2.imdecode(np.frombuffer(pad.png(), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert picture.shape == (220, 600)
    assert picture[100, 60:540].max() < 80  # the line is there
    assert picture[10:40].min() == 255  # and nothing else is
    pad.clear()
    assert pad.strokes == () and not pad.looks_signed()


def test_a_tap_or_a_dot_is_not_a_signature(qtbot: Any) -> None:
    pad = _pad(qtbot)
    _write(qtbot, pad, [(100, 100)])
    assert not pad.looks_signed()
    _write(qtbot, pad, [(100 + i, 100) for i in range(20)])  # 20 px wide
    assert not pad.looks_signed()
