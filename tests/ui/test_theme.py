"""The two looks meet the numbers of the accessibility reference."""

from decimal import Decimal
from typing import Any

import pytest

from kiosk.ui.formats import grouped_digits, money, quantity, unit_price
from kiosk.ui.theme import LARGE, NORMAL, Theme, cap_height_px, contrast_ratio

PX_PER_PT = 96 / 72


@pytest.mark.parametrize("theme", [NORMAL, LARGE], ids=lambda t: t.name)
def test_every_text_colour_has_enough_contrast(theme: Theme) -> None:
    for text, background in theme.text_pairs():
        assert contrast_ratio(text, background) >= 4.5, (text, background)


@pytest.mark.parametrize("theme", [NORMAL, LARGE], ids=lambda t: t.name)
def test_touch_targets_are_at_least_15_mm(theme: Theme) -> None:
    assert theme.min_target_mm >= 15
    assert theme.key_px >= theme.target_px


def test_large_text_meets_the_elderly_numbers() -> None:
    assert LARGE.small_px >= 18 * PX_PER_PT  # body text >= 18 pt, even the smallest
    assert cap_height_px(LARGE.body_px) >= 30  # a capital H of >= 7.3 mm at 600 mm
    assert LARGE.body_px > NORMAL.body_px
    assert LARGE.target_px >= NORMAL.target_px


def test_contrast_ratio_is_the_wcag_one() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)


def test_money_reads_with_yuan_sign_and_two_decimals() -> None:
    assert money(Decimal("1234.5")) == "¥1,234.50"
    assert money(Decimal("0")) == "¥0.00"
    assert money(Decimal("-3.005")) == "-¥3.01"
    assert unit_price(Decimal("0.5283")) == "¥0.5283"
    assert unit_price(Decimal("0.6000")) == "¥0.60"
    assert quantity(Decimal("215.00")) == "215"
    assert quantity(Decimal("1215.50")) == "1,215.50"
    assert grouped_digits("3201000001") == "3201 0000 01"


@pytest.mark.parametrize("theme", [NORMAL, LARGE], ids=["normal", "large"])
def test_control_borders_reach_three_to_one(theme: Theme) -> None:
    # Borders outline keys and cards; WCAG 1.4.11 asks 3:1 against what they sit on.
    for behind in (theme.background, theme.surface, theme.button):
        assert contrast_ratio(theme.border, behind) >= 3, behind


@pytest.mark.parametrize("theme", [NORMAL, LARGE], ids=["normal", "large"])
def test_a_message_inside_a_card_keeps_its_yellow_box(qtbot: Any, theme: Theme) -> None:
    # A card makes its labels transparent; a message must still be dark text on yellow, or
    # in large text it is black on near-black.
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QVBoxLayout

    from kiosk.ui.theme import stylesheet
    from kiosk.ui.widgets import StatusLine, card

    frame = card()
    frame.setStyleSheet(stylesheet(theme))
    status = StatusLine()
    QVBoxLayout(frame).addWidget(status)
    qtbot.addWidget(frame)
    frame.resize(800, 300)
    frame.show()
    status.show_message("打印机缺纸")
    qtbot.waitExposed(frame)
    picture = status.grab().toImage()
    inside = picture.pixelColor(picture.width() // 2, 6)  # in the padding, above the text
    assert inside == QColor(theme.warning)


def test_a_message_shown_after_a_switch_to_large_text_keeps_its_padding(qtbot: Any) -> None:
    # Shown after the page's stylesheet changed, a message once lost its padding: the text ran
    # to the yellow box's very edge.
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from kiosk.ui.theme import stylesheet
    from kiosk.ui.widgets import StatusLine

    page = QWidget()
    status = StatusLine()
    QVBoxLayout(page).addWidget(status)
    qtbot.addWidget(page)
    page.setStyleSheet(stylesheet(NORMAL))
    page.show()
    page.setStyleSheet(stylesheet(LARGE))  # the resident asks for large text
    status.show_message("这张身份证无法读取。")
    margins = status.contentsMargins()
    assert margins.left() >= 20 + LARGE.border_px and margins.top() >= 12 + LARGE.border_px
