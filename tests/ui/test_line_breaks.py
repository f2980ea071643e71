"""Large text must not leave one Chinese character alone on the last line of a wrapped text."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont, QTextLayout, QTextOption

from kiosk.ui.formats import WORD_JOINER, no_lone_last_character
from kiosk.ui.theme import LARGE
from kiosk.ui.widgets import StatusLine, label

SENTENCE = "本次服务已结束，请取走您的身份证"


def lines(text: str, font: QFont, width: int) -> list[str]:
    """The lines Qt breaks `text` into at `width`, as a word-wrapped label does."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    shown = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        shown.append(text[line.textStart() : line.textStart() + line.textLength()])
    layout.endLayout()
    return [part.replace(WORD_JOINER, "") for part in shown]


def test_the_last_two_han_characters_are_joined_before_trailing_punctuation() -> None:
    assert no_lone_last_character("请取走身份证。") == f"请取走身份{WORD_JOINER}证。"
    assert no_lone_last_character("第一行\n第二行") == f"第一{WORD_JOINER}行\n第二{WORD_JOINER}行"
    assert no_lone_last_character("Take your card") == "Take your card"
    assert no_lone_last_character("付款码 (payment code)") == "付款码 (payment code)"
    assert no_lone_last_character("<b>身份证</b>") == "<b>身份证</b>"  # rich text left be


def test_a_wrapped_label_never_leaves_one_character_alone(qtbot: Any) -> None:
    font = QFont("Noto Sans CJK SC")
    font.setPixelSize(LARGE.body_px)
    # Widths where plain wrapping leaves the last character alone: the test can fail.
    lone = [
        width
        for width in range(200, 1200, 4)
        if len(broken := lines(SENTENCE, font, width)) > 1 and len(broken[-1].strip()) == 1
    ]
    assert lone
    for width in lone:
        joined = lines(no_lone_last_character(SENTENCE), font, width)
        assert "".join(joined) == SENTENCE
        assert len(joined[-1].strip()) >= 2, (width, joined)


def test_labels_give_back_the_text_they_were_given(qtbot: Any) -> None:
    shown = label("", SENTENCE)
    qtbot.addWidget(shown)
    assert shown.text() == SENTENCE  # tests and callers read what was set, no joiner
    status = StatusLine()
    qtbot.addWidget(status)
    status.show_message(SENTENCE)
    assert status.shown_text == SENTENCE
    status.hide_status()
    assert status.text() == ""
