"""Text from configuration or the center in both languages: {"zh": ..., "en": ...}."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

CHINESE = "zh_CN"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)

LocalText = Mapping[str, str]


def local(text: str | LocalText) -> LocalText:
    """A name given once (a test's, a screenshot's) is the same in both languages."""
    return {CHINESE: text} if isinstance(text, str) else text


def pick(text: LocalText, language: str) -> str:
    """The text in `language` ("zh_CN" also finds "zh"), else Chinese, else whatever there is."""
    for key in (language, language.split("_")[0], CHINESE, "zh"):
        if text.get(key):
            return text[key]
    return next(iter(text.values()), "")


@dataclass(frozen=True)
class HelpInfo:
    """Where a resident gets a person when the kiosk is not enough."""

    hotline: str
    hall: LocalText = field(default_factory=dict)  # nearest staffed service hall, with address
    hours: LocalText = field(default_factory=dict)  # its opening hours
