"""The plain out-of-service screen the kiosk shows when it cannot keep itself running.

systemd starts it (`kiosk out-of-service`) after the app failed to start five times in two
minutes, instead of restarting the app in a loop (packaging/systemd). Nobody is there to choose
a language, so it speaks both at once: where residents are served instead, its hours and the
hotline. It reads the configuration only, touches no device, store or network, and takes no
touch: what failed may be any of those.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.local_text import HelpInfo, LocalText
from kiosk.ui.theme import stylesheet, theme_for
from kiosk.ui.widgets import card, label


def out_of_service_words(station_name: LocalText, help_info: HelpInfo) -> dict[str, list[str]]:
    """What the screen says, line by line, in Chinese and in English: the station, that it is
    out of service, where residents are served instead and when, the hotline."""
    return {
        "zh": [
            station_name.get("zh", ""),
            "本机暂停服务",
            f"请前往：{help_info.hall.get('zh', '')}",
            f"营业时间：{help_info.hours.get('zh', '')}",
            f"服务热线：{help_info.hotline}",
        ],
        "en": [
            station_name.get("en", ""),
            "This kiosk is out of service",
            f"Please go to: {help_info.hall.get('en', '')}",
            f"Opening hours: {help_info.hours.get('en', '')}",
            f"Hotline: {help_info.hotline}",
        ],
    }


class OutOfServiceWindow(QWidget):
    def __init__(self, station_name: LocalText, help_info: HelpInfo) -> None:
        super().__init__()
        self.setObjectName("kioskRoot")  # the resident window's background and type
        self.setWindowTitle("base-station-kiosk: out of service")
        self.setStyleSheet(stylesheet(theme_for(large_text=False)))
        self.setCursor(Qt.CursorShape.BlankCursor)
        words = out_of_service_words(station_name, help_info)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(96, 80, 96, 80)
        layout.setSpacing(32)
        self.station = label("heading", words["zh"][0] + "  " + words["en"][0])
        self.station.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline = label("display", words["zh"][1])
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline_en = label("title", words["en"][1])
        self.headline_en.setAlignment(Qt.AlignmentFlag.AlignCenter)
        where = card()
        inner = QVBoxLayout(where)
        inner.setContentsMargins(48, 36, 48, 36)
        inner.setSpacing(16)
        self.chinese = label("title", "\n".join(words["zh"][2:]))
        self.english = label("", "\n".join(words["en"][2:]))
        inner.addWidget(self.chinese)
        inner.addWidget(self.english)
        layout.addStretch(1)
        layout.addWidget(self.station)
        layout.addWidget(self.headline)
        layout.addWidget(self.headline_en)
        layout.addSpacing(24)
        layout.addWidget(where)
        layout.addStretch(1)
