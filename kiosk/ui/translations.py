"""Qt's translation system: English source strings, Simplified Chinese the default language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTranslator

from kiosk.ui.local_text import CHINESE, ENGLISH, LANGUAGES
from rules.utility_words import Said

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "assets" / "translations"


class UnknownLanguage(ValueError):
    """A language the kiosk has no translation for."""


_TRANSLATOR_NAME = "kioskTranslator"


class Translations(QObject):
    """Installs the translator for one language; Qt then sends LanguageChange to every widget.

    A translator is global to the application, so the one installed is found on the application
    object itself (by name), whoever installed it: two windows can never stack two languages.
    """

    def __init__(self, directory: Path = TRANSLATIONS_DIR, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self.language = ENGLISH

    def switch(self, language: str) -> None:
        if language not in LANGUAGES:
            raise UnknownLanguage(language)
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("translations need the application to be created first")
        for old in app.findChildren(QTranslator, _TRANSLATOR_NAME):
            app.removeTranslator(old)
            old.setParent(None)
            old.deleteLater()
        if language != ENGLISH:  # English is the source language: no translator
            translator = QTranslator(app)
            translator.setObjectName(_TRANSLATOR_NAME)
            path = self._directory / f"kiosk_{language}.qm"
            if not translator.load(str(path)):
                translator.deleteLater()
                raise FileNotFoundError(f"translation missing: {path}")
            app.installTranslator(translator)
        self.language = language
        # Retranslate every widget now, not at the next turn of the event loop, so nothing is
        # ever drawn (or grabbed for a screenshot) half in one language.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)


def current_language() -> str:
    """The language the screens speak now: the installed translator's, else English."""
    app = QCoreApplication.instance()
    if app is not None:
        for translator in app.findChildren(QTranslator, _TRANSLATOR_NAME):
            return translator.language() or CHINESE
    return ENGLISH


def in_language(words: Said) -> str:
    """Words from a pure table (a utility's) in the language the screens speak now."""
    return words.en if current_language() == ENGLISH else words.zh
