"""The simulated printer's picture of a receipt: whole letters, and double size as a printer has it.

The reference for what a whole line of text looks like is Qt's own drawing of the same font with
its full metrics (ascent and descent), independent of the picture's drawing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QImage, QPainter

from drivers.printer.escpos_bytes import MODELS
from drivers.printer.escpos_reader import EscPosReader
from drivers.printer.fonts import cjk_font_file
from drivers.printer.receipt_picture import ReceiptPaper

ESC, GS, LF = b"\x1b", b"\x1d", b"\n"
DESCENDERS = "xgjpqy"  # x first: its foot stands on the baseline
TITLE = "缴费凭证缴费凭证缴费凭证"  # full-width characters: two columns each at normal size

needs_cjk_font = pytest.mark.skipif(cjk_font_file() is None, reason="no CJK font installed")


def _printed(data: bytes, paper: str = "58mm") -> Image.Image:
    sheet = ReceiptPaper(MODELS[paper])
    for command in EscPosReader().feed(data):
        sheet.apply(command)
    return sheet.tear_off().picture


def _ink(picture: Image.Image) -> np.ndarray:
    return np.asarray(picture.convert("L")) < 128


def _bands(ink: np.ndarray) -> list[tuple[int, int]]:
    """The runs of rows with ink in them (the printed text rows), as (first, last + 1)."""
    bands: list[tuple[int, int]] = []
    for y in np.flatnonzero(ink.any(axis=1)).tolist():
        if bands and bands[-1][1] == y:
            bands[-1] = (bands[-1][0], y + 1)
        else:
            bands.append((y, y + 1))
    return bands


def _ink_width(ink: np.ndarray) -> int:
    columns = np.flatnonzero(ink.any(axis=0))
    return int(columns[-1] - columns[0] + 1)


def _qt_depth_below_baseline(text: str, pixel_size: int) -> int:
    """Rows of ink under the baseline when Qt draws ``text`` in the CJK font, on an image as high
    as the font's full height (ascent + descent), so nothing of the letters is cut."""
    found = cjk_font_file()
    assert found is not None
    families = QFontDatabase.applicationFontFamilies(
        QFontDatabase.addApplicationFont(str(found[0]))
    )
    font = QFont(next((f for f in families if f.endswith(" SC")), families[0]))
    font.setPixelSize(pixel_size)
    metrics = QFontMetrics(font)
    image = QImage(
        metrics.horizontalAdvance(text) + 4, metrics.height() + 2, QImage.Format.Format_RGB32
    )
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor(Qt.GlobalColor.black))
    baseline = 1 + metrics.ascent()
    painter.drawText(2, baseline, text)
    painter.end()
    assert metrics.descent() > 0
    inked = [
        y
        for y in range(image.height())
        if any(QColor(image.pixel(x, y)).value() < 128 for x in range(image.width()))
    ]
    assert inked[-1] < image.height() - 1  # the reference itself is whole
    return inked[-1] - baseline + 1


@needs_cjk_font
@pytest.mark.parametrize(("width", "height"), [(1, 1), (1, 2), (2, 2)])
def test_descenders_are_whole_at_normal_and_double_height(
    qapp: Any, width: int, height: int
) -> None:
    """ "Payment" read "Pavment": each line must be as high as the font's ascent and descent."""
    size = bytes([(width - 1) << 4 | (height - 1)])
    picture = _printed(GS + b"!" + size + DESCENDERS.encode() + LF)
    ink = _ink(picture)
    rows = np.flatnonzero(ink.any(axis=1))
    # The lowest ink lies inside the line, with white under it: nothing ran off its bottom.
    assert rows[-1] < picture.height - 1
    # The baseline is where the x stands (its cell: the first 12 dots, times the width).
    x_rows = np.flatnonzero(ink[:, width : 9 * width].any(axis=1))
    depth = int(rows[-1] - x_rows[-1])
    expected = _qt_depth_below_baseline(DESCENDERS, MODELS["58mm"].font_dots * height)
    assert abs(depth - expected) <= height, (depth, expected)


@needs_cjk_font
@pytest.mark.parametrize("mode", [GS + b"!\x11", ESC + b"!\x30"], ids=["GS !", "ESC !"])
@pytest.mark.parametrize("paper", ["58mm", "80mm"])
def test_a_double_size_title_is_twice_as_wide_and_wraps_within_the_paper(
    mode: bytes, paper: str
) -> None:
    model = MODELS[paper]
    fits = model.width_chars // 2 // 2  # full-width characters on a line at double width
    assert fits == {"58mm": 8, "80mm": 12}[paper]
    title = TITLE[:fits]
    normal = _ink(_printed(title.encode("gb18030") + LF, paper))
    double = _ink(_printed(mode + title.encode("gb18030") + LF, paper))
    assert len(_bands(double)) == 1
    assert 1.9 * _ink_width(normal) <= _ink_width(double) <= 2.1 * _ink_width(normal)
    ((top, end),) = _bands(normal)
    ((double_top, double_end),) = _bands(double)
    assert 1.9 * (end - top) <= double_end - double_top <= 2.1 * (end - top)
    # Two characters more than fit go on a second line, as large as the first, none cut off.
    longer = _ink(_printed(mode + (title + "凭证").encode("gb18030") + LF, paper))
    (first, first_end), (second, second_end) = _bands(longer)
    assert 1.9 * _ink_width(normal) <= _ink_width(longer[first:first_end]) <= model.width_dots
    two = _ink_width(_ink(_printed("凭证".encode("gb18030") + LF, paper)))
    assert 1.9 * two <= _ink_width(longer[second:second_end]) <= 2.1 * two
    assert 1.9 * (end - top) <= second_end - second <= 2.1 * (end - top)


def test_esc_bang_sets_size_and_emphasis_and_normal_resets_them() -> None:
    bold_double = _printed(ESC + b"!\x38" + "凭证".encode("gb18030") + LF)
    again = _printed(ESC + b"!\x38" + ESC + b"!\x00" + "凭证".encode("gb18030") + LF)
    plain = _printed("凭证".encode("gb18030") + LF)
    assert bold_double.height > plain.height and again.tobytes() == plain.tobytes()


@needs_cjk_font
def test_wide_latin_letters_stay_in_their_cells() -> None:
    # "m", "W" and "M" are wider than a half-width cell in the CJK font: each must stay in its
    # own cell, not run into the next (a blank column between any two letters' ink).
    text = "mWmMmW"
    ink = _ink(_printed(text.encode("ascii") + LF))
    cell = MODELS["58mm"].font_dots // 2
    columns = ink.any(axis=0)
    for index in range(1, len(text)):
        edge = index * cell
        assert not columns[edge - 1 : edge + 1].all(), (index, text[index - 1 : index + 1])
    assert int(np.flatnonzero(columns)[-1]) < len(text) * cell  # the last stays in its cell
