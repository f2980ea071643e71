"""The language and the text size of the resident's screen.

Chinese by default, English one touch away; large text with high contrast for elderly residents.
A session may change both; the next one starts with the kiosk's defaults again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.ui.local_text import CHINESE, ENGLISH
from kiosk.ui.theme import Theme, theme_for
from kiosk.ui.translations import Translations


class DisplaySettings(QObject):
    sig_language_changed = Signal(str)
    """(language): the translation is switched; screens with their own texts follow."""

    sig_theme_changed = Signal(object)
    """(Theme): large text on or off; the window's style and themed screens follow."""

    def __init__(
        self,
        translations_dir: Path,
        *,
        language: str,
        large_text: bool,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.translations = Translations(translations_dir, parent=self)
        self._default_language = language
        self._default_large_text = large_text
        self._large_text = large_text

    @property
    def language(self) -> str:
        return self.translations.language

    @property
    def large_text(self) -> bool:
        return self._large_text

    @property
    def theme(self) -> Theme:
        return theme_for(self._large_text)

    def set_language(self, language: str) -> None:
        self.translations.switch(language)
        self.sig_language_changed.emit(language)

    def toggle_language(self) -> None:
        self.set_language(ENGLISH if self.language == CHINESE else CHINESE)

    def set_large_text(self, on: bool) -> None:
        self._large_text = on
        self.sig_theme_changed.emit(self.theme)

    def reset(self) -> None:
        """Back to the kiosk's defaults, for the next resident."""
        if self._large_text != self._default_large_text:
            self.set_large_text(self._default_large_text)
        if self.language != self._default_language:
            self.set_language(self._default_language)
