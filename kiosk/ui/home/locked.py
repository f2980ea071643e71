"""Locked by the center: the center's message in both languages and the hotline, nothing else.

There is no way past it on the screen: the center unlocks (or a technician, in maintenance).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QVBoxLayout

from kiosk.ui.widgets import Screen, card, label


class LockedScreen(Screen):
    name = "locked"

    def __init__(self, hotline: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 30, 60, 30)
        layout.setSpacing(24)
        # Both languages at once: nobody can switch language on this screen.
        self.title = label("title", "本机暂停服务\nThis kiosk is out of service")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = card()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(40, 24, 40, 24)
        box_layout.setSpacing(16)
        self.message_zh = label("heading")
        self.message_en = label()
        for message in (self.message_zh, self.message_en):
            message.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box_layout.addWidget(message)
        self.hotline = label("heading", f"服务热线 Hotline: {hotline}")
        self.hotline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(box)
        layout.addWidget(self.hotline)
        layout.addStretch(1)

    def show_message(self, zh: str, en: str) -> None:
        self.message_zh.setText(zh)
        self.message_en.setText(en)
        self.message_zh.setVisible(bool(zh))
        self.message_en.setVisible(bool(en))

    def retranslate(self) -> None:
        """Written in both languages already."""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # a touch here starts nothing
