"""The attract screen: station name, the center's notices, "touch anywhere to start"."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QVBoxLayout

from kiosk.ui.home.offline_notice import OfflineNotice
from kiosk.ui.local_text import CHINESE, HelpInfo, LocalText, local, pick
from kiosk.ui.widgets import Screen, card, label


class IdleScreen(Screen):
    name = "idle"

    sig_start = Signal()
    """(): someone touched the screen."""

    def __init__(
        self,
        station_name: str | LocalText,
        notices: Sequence[LocalText],
        notice_seconds: float = 8,
    ) -> None:
        super().__init__()
        self._station_name = local(station_name)
        self._notices = list(notices)
        self._notice_index = 0
        self._language = CHINESE
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 60, 80, 60)
        layout.setSpacing(40)
        self.station = label("display", pick(self._station_name, CHINESE))
        self.station.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome = label("title")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        notice_card = card()
        notice_layout = QVBoxLayout(notice_card)
        notice_layout.setContentsMargins(40, 30, 40, 30)
        self.notice_heading = label("small")
        self.notice = label()
        self.notice.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        notice_layout.addWidget(self.notice_heading)
        notice_layout.addWidget(self.notice, 1)
        self.notice_card = notice_card
        notice_card.setVisible(bool(self._notices))
        self.offline = OfflineNotice()
        # Nothing works here now: where residents are served instead, and the hotline.
        self.elsewhere = label("message")
        self.elsewhere.setVisible(False)
        self._help: HelpInfo | None = None
        self.start_hint = label("title")
        self.start_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.station)
        layout.addWidget(self.welcome)
        layout.addWidget(self.offline)
        layout.addWidget(self.elsewhere)
        layout.addStretch(1)
        layout.addWidget(notice_card, 2)
        layout.addStretch(1)
        layout.addWidget(self.start_hint)
        self._rotation = QTimer(self)
        self._rotation.setInterval(int(notice_seconds * 1000))
        self._rotation.timeout.connect(self.next_notice)
        self._rotation.start()
        self.retranslate()

    @property
    def current_notice(self) -> str:
        return self.notice.text()

    def set_notices(self, notices: Sequence[LocalText]) -> None:
        """New notices (synced from the center); the rotation starts again at the first. The
        same notices again leave the rotation where it is."""
        if list(notices) == self._notices:
            return
        self._notices = list(notices)
        self._notice_index = 0
        self.notice_card.setVisible(bool(self._notices))
        self.notice.setText("")
        self._show_notice()

    def set_offline(self, offline: bool) -> None:
        self.offline.setVisible(offline and not self.elsewhere.isVisibleTo(self))
        self.welcome.setVisible(not offline)  # the card takes its place: large text fits

    def set_nothing_works(self, nothing: bool, help_info: HelpInfo | None) -> None:
        """No service works at this kiosk now: send residents to the staffed hall."""
        self._help = help_info
        self.elsewhere.setVisible(nothing and help_info is not None)
        if nothing:
            self.offline.setVisible(False)
            self.welcome.setVisible(False)
        self._say_elsewhere()

    def _say_elsewhere(self) -> None:
        help_info = self._help
        if help_info is None:
            return
        self.elsewhere.setText(
            self.tr("This kiosk cannot serve you right now. Please go to %1 (%2), or call %3.")
            .replace("%1", pick(help_info.hall, self._language))
            .replace("%2", pick(help_info.hours, self._language))
            .replace("%3", help_info.hotline)
        )

    def set_language(self, language: str) -> None:
        self._language = language
        self.station.setText(pick(self._station_name, language))
        self._show_notice()
        self._say_elsewhere()

    def next_notice(self) -> None:
        if self._notices:
            self._notice_index = (self._notice_index + 1) % len(self._notices)
            self._show_notice()

    def _show_notice(self) -> None:
        if self._notices:
            self.notice.setText(pick(self._notices[self._notice_index], self._language))

    def retranslate(self) -> None:
        self.welcome.setText(self.tr("Self-service for electricity, water and gas, 24 hours a day"))
        self.notice_heading.setText(self.tr("Notices"))
        self.start_hint.setText(self.tr("Touch anywhere to start"))
        self._show_notice()
        self._say_elsewhere()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.sig_start.emit()
        event.accept()
