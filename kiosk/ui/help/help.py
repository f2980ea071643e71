"""Where to get a person: the hotline and the nearest staffed hall, in plain words."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.local_text import CHINESE, HelpInfo, pick
from kiosk.ui.widgets import Screen, button, card, label, scrolling


class HelpScreen(Screen):
    name = "help"

    sig_call_back = Signal()
    """(): the resident asks to be called back."""

    sig_video = Signal()
    """(): the resident wants to talk to staff by video."""

    def __init__(self, info: HelpInfo) -> None:
        super().__init__()
        self._info = info
        self._language = CHINESE
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        outer.addWidget(scrolling(body))
        layout = QVBoxLayout(body)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(30)
        self.title = label("title")
        self.intro = label()
        box = card()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(40, 30, 40, 30)
        box_layout.setSpacing(24)
        self.hotline_heading = label("small")
        self.hotline = label("display", info.hotline)
        self.hall_heading = label("small")
        self.hall = label()
        self.hours_heading = label("small")
        self.hours = label()
        for widget in (
            self.hotline_heading,
            self.hotline,
            self.hall_heading,
            self.hall,
            self.hours_heading,
            self.hours,
        ):
            box_layout.addWidget(widget)
        self.video_note = label("small")
        # No one to talk to right now (night, a busy line): staff call back instead. Outside
        # the scrolling page, as the bill's ways to pay are: always in reach, a tap is a tap.
        self.video_button = button("primary")
        self.video_button.clicked.connect(self.sig_video)
        self.call_back_button = button()
        self.call_back_button.clicked.connect(self.sig_call_back)
        actions = QHBoxLayout()
        actions.setContentsMargins(60, 4, 60, 12)
        actions.setSpacing(24)
        actions.addWidget(self.video_button, 3)
        actions.addWidget(self.call_back_button, 2)
        outer.addLayout(actions)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(box)
        layout.addWidget(self.video_note)
        layout.addStretch(1)
        self.retranslate()

    def set_language(self, language: str) -> None:
        self._language = language
        self._fill_places()

    def set_video_available(self, on: bool) -> None:
        """No camera (or no center): staff call back instead of a video call."""
        self.video_button.setVisible(on)

    def _fill_places(self) -> None:
        self.hall.setText(pick(self._info.hall, self._language))
        self.hours.setText(pick(self._info.hours, self._language))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Help"))
        self.intro.setText(
            self.tr(
                "This station has no staff on site. "
                "A person can help you by phone, or at the service hall."
            )
        )
        self.hotline_heading.setText(self.tr("Call the service hotline (free, 24 hours):"))
        self.hall_heading.setText(self.tr("Nearest staffed service hall:"))
        self.hours_heading.setText(self.tr("Opening hours:"))
        self.video_note.setText(
            self.tr(
                "Or talk to staff of the service center face to face, here: they see you and "
                "this screen, and can help you through it. Nothing of the call is recorded."
            )
        )
        self.video_button.setText(self.tr("Talk to staff by video"))
        self.call_back_button.setText(self.tr("Ask to be called back"))
        self._fill_places()
