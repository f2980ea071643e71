"""Reference-data text in the screen's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.local_text import ENGLISH

if TYPE_CHECKING:
    from kiosk.services.screen_types import Text


def said(text: Text, language: str) -> str:
    return text.en if language == ENGLISH else text.zh
