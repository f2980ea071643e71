"""Reference-data text in the screen's language."""

from __future__ import annotations

from kiosk.services.screen_types import Text
from kiosk.ui.local_text import ENGLISH


def said(text: Text, language: str) -> str:
    return text.en if language == ENGLISH else text.zh
