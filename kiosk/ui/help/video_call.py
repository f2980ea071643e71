"""Talking to staff face to face: staff large, the resident's own picture small, one big button.

Before staff answer, the screen says where the resident is in the queue and about how long it
will take, with Cancel. When no call can be made (outside service hours, the center out of
reach) it says so at once, with the hotline and the call-back request instead.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.services.video_help import CallState, CallUpdate, EndReason
from kiosk.ui.widgets import Screen, StatusLine, button, card, label, set_role


class VideoPicture(QWidget):
    """A moving picture: the newest frame, drawn to fit, dark around it. Painted directly, not
    through a QLabel's pixmap: a new pixmap fifteen times a second would convert every frame
    and lay the screen out again each time."""

    # Set while the window is drawn for staff: they get a plain box where the pictures are
    # (they have both already; scaling them down again was a tenth of a core).
    for_staff = False

    def __init__(self, minimum: QSize) -> None:
        super().__init__()
        self.setMinimumSize(minimum)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._picture: QImage | None = None
        self.frames = 0

    @property
    def picture(self) -> QImage | None:
        return self._picture

    def show_picture(self, picture: QImage) -> None:
        self.frames += 1
        self._picture = picture
        self.update()

    def clear_picture(self) -> None:
        self.frames = 0
        self._picture = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#111111"))
        picture = self._picture
        if picture is not None and not VideoPicture.for_staff:
            size = picture.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(QPoint(0, 0), size)
            target.moveCenter(self.rect().center())
            painter.drawImage(target, picture)
        painter.end()


class VideoCallScreen(Screen):
    name = "video_call"

    sig_cancel = Signal()
    """(): Cancel while waiting, or Hang up in the call."""

    sig_call_back = Signal()
    """(): no call now: the resident asks to be called back instead."""

    sig_done = Signal()
    """(): the call is over and the resident has read why."""

    def __init__(self, hotline: str) -> None:
        super().__init__()
        self._hotline = hotline
        self._update: CallUpdate | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 24, 40, 16)
        outer.setSpacing(16)
        self.title = label("title")
        self.status = label("heading")
        self.detail = label()
        self.message = StatusLine()  # a message staff pushed, in its yellow box
        pictures = QHBoxLayout()
        pictures.setSpacing(16)
        self.staff_view = VideoPicture(QSize(480, 360))
        self.own_view = VideoPicture(QSize(240, 180))
        self.own_view.setMaximumSize(QSize(320, 240))
        side = QVBoxLayout()
        self.own_caption = label("small")
        side.addWidget(self.own_caption)
        side.addWidget(self.own_view)
        side.addStretch(1)
        pictures.addWidget(self.staff_view, 3)
        pictures.addLayout(side, 1)
        self.pictures = QWidget()
        self.pictures.setLayout(pictures)
        # No call now: the hotline and the call-back request, at once.
        self.instead = card()
        instead = QVBoxLayout(self.instead)
        instead.setContentsMargins(40, 30, 40, 30)
        instead.setSpacing(20)
        self.hotline_heading = label("small")
        self.hotline = label("display", hotline)
        self.call_back_button = button("primary")
        self.call_back_button.clicked.connect(self.sig_call_back)
        for widget in (self.hotline_heading, self.hotline, self.call_back_button):
            instead.addWidget(widget)
        self.main_button = button("hangUp")
        self.main_button.clicked.connect(self._main_pressed)
        for widget in (self.title, self.status, self.detail, self.message):
            outer.addWidget(widget)
        outer.addWidget(self.pictures, 1)
        outer.addWidget(self.instead)
        outer.addStretch(0)
        outer.addWidget(self.main_button)
        self.retranslate()
        self.show_update(CallUpdate(CallState.CONNECTING, ""))

    # -- what the call does -----------------------------------------------------------------

    @property
    def state(self) -> CallState:
        return self._update.state if self._update is not None else CallState.CONNECTING

    def show_update(self, update: CallUpdate) -> None:
        self._update = update
        state = update.state
        talking = state in (CallState.ANSWERED, CallState.TALKING, CallState.RECONNECTING)
        no_call = state in (CallState.CLOSED, CallState.UNREACHABLE)
        self.pictures.setVisible(talking)
        self.instead.setVisible(no_call)
        self.detail.setVisible(state in (CallState.WAITING, CallState.ENDED) or no_call)
        if state == CallState.ENDED:
            self.staff_view.clear_picture()
            self.message.hide_status()
        set_role(self.main_button, "hangUp" if talking else "")
        self._say()

    def show_staff(self, picture: QImage) -> None:
        self.staff_view.show_picture(picture)

    def show_own(self, picture: QImage) -> None:
        self.own_view.show_picture(picture)

    def show_message(self, text: str) -> None:
        self.message.show_message(text)

    def clear(self) -> None:
        self.staff_view.clear_picture()
        self.own_view.clear_picture()
        self.message.hide_status()
        self.show_update(CallUpdate(CallState.CONNECTING, ""))

    def _main_pressed(self) -> None:
        if self.state in (CallState.ENDED, CallState.CLOSED, CallState.UNREACHABLE):
            self.sig_done.emit()
        else:
            self.sig_cancel.emit()

    # -- words ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Talk to staff by video"))
        self.own_caption.setText(self.tr("You"))
        self.hotline_heading.setText(self.tr("Call the service hotline (free, 24 hours):"))
        self.call_back_button.setText(self.tr("Ask to be called back"))
        self._say()

    def _say(self) -> None:
        update = self._update
        if update is None:
            return
        state = update.state
        status, detail = self._words(update)
        self.status.setText(status)
        self.detail.setText(detail)
        if state in (CallState.WAITING, CallState.CONNECTING):
            self.main_button.setText(self.tr("Cancel"))
        elif state in (CallState.ENDED, CallState.CLOSED, CallState.UNREACHABLE):
            self.main_button.setText(self.tr("Back to Help"))
        else:
            self.main_button.setText(self.tr("Hang up"))

    def _words(self, update: CallUpdate) -> tuple[str, str]:
        state = update.state
        if state == CallState.CONNECTING:
            return self.tr("Calling the service center…"), ""
        if state == CallState.WAITING:
            minutes = max(1, round(update.estimate_s / 60))
            if update.place <= 1:
                place = self.tr("You are next in line.")
            else:
                place = self.tr("You are number %n in line.", "", update.place)
            return place, self.tr("Staff will answer in about %n minute(s).", "", minutes)
        if state == CallState.CLOSED:
            return self.tr("Video help is closed now."), self.tr(
                "Staff answer video calls %1. You can call the hotline, or ask to be called back."
            ).replace("%1", update.hours or self.tr("in service hours"))
        if state == CallState.UNREACHABLE:
            return self.tr("The service center cannot be reached now."), self.tr(
                "Please call the hotline, or ask to be called back."
            )
        if state == CallState.ANSWERED:
            return self.tr("Connecting you to %1…").replace("%1", update.agent), ""
        if state == CallState.TALKING:
            return self.tr("You are talking to %1.").replace("%1", update.agent), ""
        if state == CallState.RECONNECTING:
            return self.tr("The connection is weak. Reconnecting…"), ""
        return self.tr("The call has ended."), self._end_words(update.reason)

    def _end_words(self, reason: str) -> str:
        if reason == EndReason.STAFF:
            return self.tr("Staff ended the call. Thank you.")
        if reason == EndReason.LINK_LOST:
            return self.tr("The connection was lost. Please try again, or call the hotline.")
        if reason == EndReason.NO_ANSWER:
            return self.tr(
                "Nobody could answer in time. Please try again later, or ask to be called back."
            )
        return self.tr("Thank you.")
