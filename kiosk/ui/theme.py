"""The two looks of the resident's screen, from one set of numbers.

Sizes follow the accessibility reference (ux-accessibility) for a 21.5" 1920x1080 panel
(about 0.25 mm per pixel, viewed at 500-600 mm): normal body text about 5 mm tall, large-text
mode with a capital "H" of at least 30 px (a 42 px font), touch targets of at least 15 mm
(60 px), contrast of at least 4.5:1 for every text colour on its background.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK",
    "WenQuanYi Micro Hei",
    "Noto Sans",
    "sans-serif",
)
MM_PER_PX = 0.25
CAP_HEIGHT_PER_PX = 0.73  # Noto Sans CJK: a capital is 0.73 of the font's pixel size
SMALLEST_TEXT_MM = 4.8  # the floor for any character on screen (ADA, normal mode)


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    body_px: int
    small_px: int
    heading_px: int
    title_px: int
    display_px: int  # the typed account number, the total due
    target_px: int  # smallest side of anything touchable
    key_px: int  # on-screen keypad keys
    background: str
    surface: str
    text: str
    muted: str
    bar: str
    bar_text: str
    primary: str
    primary_text: str
    button: str
    button_text: str
    border: str
    border_px: int
    warning: str
    warning_text: str
    chart_bar: str
    chart_unpaid: str

    @property
    def min_target_mm(self) -> float:
        return self.target_px * MM_PER_PX

    @property
    def smallest_text_mm(self) -> float:
        """Height of a capital in the smallest text of this look (hints, chart axes)."""
        smallest = min(self.small_px, self.body_px, self.heading_px, self.title_px)
        return cap_height_px(smallest) * MM_PER_PX

    def text_pairs(self) -> list[tuple[str, str]]:
        """Every (text colour, background) pair the stylesheet uses, for the contrast check."""
        return [
            (self.text, self.background),
            (self.text, self.surface),
            (self.muted, self.surface),
            (self.muted, self.background),
            (self.bar_text, self.bar),
            (self.primary_text, self.primary),
            (self.button_text, self.button),
            (self.warning_text, self.warning),
        ]


NORMAL = Theme(
    name="normal",
    body_px=30,
    small_px=27,
    heading_px=38,
    title_px=48,
    display_px=76,
    target_px=88,
    key_px=120,
    background="#EEF2F6",
    surface="#FFFFFF",
    text="#15202B",
    muted="#44505C",
    bar="#0B3D6B",
    bar_text="#FFFFFF",
    primary="#0B5CAD",
    primary_text="#FFFFFF",
    button="#DCE6F0",
    button_text="#0B2540",
    border="#738394",  # >= 3:1 against background, surface and keys (WCAG 1.4.11)
    border_px=2,
    warning="#FFE08A",
    warning_text="#1A1300",
    chart_bar="#2F6FB3",
    chart_unpaid="#B3261E",
)

LARGE = Theme(
    name="large",
    body_px=44,
    small_px=38,
    heading_px=54,
    title_px=64,
    display_px=96,
    target_px=100,
    key_px=120,
    background="#000000",
    surface="#111111",
    text="#FFFFFF",
    muted="#E6E6E6",
    bar="#000000",
    bar_text="#FFFF00",
    primary="#FFE14D",
    primary_text="#000000",
    button="#222222",
    button_text="#FFFFFF",
    border="#FFFFFF",
    border_px=3,
    warning="#FFE14D",
    warning_text="#000000",
    chart_bar="#7FC8FF",
    chart_unpaid="#FF9E80",
)


def theme_for(large_text: bool) -> Theme:
    return LARGE if large_text else NORMAL


def cap_height_px(font_px: int) -> float:
    return font_px * CAP_HEIGHT_PER_PX


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two "#RRGGBB" colours."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def stylesheet(theme: Theme) -> str:
    """The one stylesheet of the resident's window. Widgets pick a look with a `role` property."""
    t = theme
    family = ", ".join(f'"{f}"' if " " in f else f for f in FONT_FAMILIES)
    return f"""
* {{ font-family: {family}; font-size: {t.body_px}px; color: {t.text}; }}
QWidget#kioskRoot, QWidget#maintenance, QStackedWidget, QScrollArea,
QScrollArea > QWidget > QWidget {{
    background: {t.background};
}}
QLabel {{ background: transparent; }}
QLabel[role="barTitle"] {{ font-weight: bold; }}
QLabel[role="heading"] {{ font-size: {t.heading_px}px; font-weight: bold; }}
QLabel[role="title"] {{ font-size: {t.title_px}px; font-weight: bold; }}
QLabel[role="display"] {{ font-size: {t.display_px}px; font-weight: bold; }}
QLabel[role="small"] {{ font-size: {t.small_px}px; color: {t.muted}; }}
QLabel[role="message"] {{
    background: {t.warning}; color: {t.warning_text}; padding: 12px 20px;
    border: {t.border_px}px solid {t.warning_text}; border-radius: 8px;
}}
QLabel[role="busy"] {{
    background: {t.surface}; padding: 12px 20px;
    border: {t.border_px}px dashed {t.border}; border-radius: 8px;
}}
QFrame[role="card"] {{
    background: {t.surface}; border: {t.border_px}px solid {t.border}; border-radius: 12px;
}}
QFrame[role="card"] QLabel {{ background: transparent; }}
QFrame[role="card"] QLabel[role="message"], QFrame#countdown QLabel[role="message"] {{
    background: {t.warning};
}}
QFrame[role="bar"] {{ background: {t.bar}; }}
QFrame[role="bar"] QLabel {{ color: {t.bar_text}; }}
QPushButton {{
    background: {t.button}; color: {t.button_text};
    border: {t.border_px}px solid {t.border}; border-radius: 10px;
    min-height: {t.target_px}px; min-width: {t.target_px}px; padding: 4px 24px;
}}
QPushButton:pressed {{ background: {t.border}; }}
QPushButton:disabled {{ color: {t.muted}; border-style: dashed; }}
QPushButton[role="primary"] {{
    background: {t.primary}; color: {t.primary_text}; font-weight: bold;
    border-color: {t.primary_text};
}}
QPushButton[role="hangUp"] {{
    background: #b3261e; color: #ffffff; font-weight: bold; border-color: #5c0f0a;
}}
QPushButton[role="tile"] {{
    background: {t.surface}; min-height: {t.key_px * 2}px; padding: 24px;
}}
QPushButton[role="key"] {{
    font-size: {t.display_px * 2 // 3}px; font-weight: bold;
    min-height: {t.key_px}px; min-width: {int(t.key_px * 1.4)}px;
}}
QPushButton[role="letter"] {{ padding: 4px; }}
QPushButton[role="choice"] {{
    background: {t.surface}; text-align: left; padding: 20px 32px; font-size: {t.heading_px}px;
}}
QPushButton[role="choice"]:checked {{
    border: {t.border_px * 2}px solid {t.primary}; font-weight: bold;
}}
QPushButton[role="menu"] {{ background: {t.surface}; text-align: left; padding: 16px 24px; }}
QPushButton[role="menu"]:checked {{
    border: {t.border_px * 2}px solid {t.primary}; font-weight: bold;
}}
QPushButton[role="bar"] {{
    background: transparent; color: {t.bar_text}; border-color: {t.bar_text};
}}
QLineEdit {{
    background: {t.surface}; font-size: {t.heading_px}px; min-height: {t.target_px}px;
    border: {t.border_px}px solid {t.border}; border-radius: 8px; padding: 4px 12px;
}}
QLineEdit[role="chosen"] {{ border: {t.border_px * 2}px solid {t.primary}; }}
QTableWidget {{
    background: {t.surface}; gridline-color: {t.border}; border: {t.border_px}px solid {t.border};
}}
QHeaderView::section {{
    background: {t.button}; color: {t.button_text}; font-weight: bold; padding: 6px;
    border: 1px solid {t.border};
}}
QScrollBar:vertical {{ width: {t.target_px // 2}px; background: {t.background}; }}
QScrollBar::handle:vertical {{
    background: {t.border}; min-height: {t.target_px}px; border-radius: 6px;
}}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
"""
