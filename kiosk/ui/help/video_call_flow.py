"""A video call from the Help button to hang-up, on the UI's side.

The link (kiosk.video.link) works on its own thread and tells this object; what it tells is
handed to the UI thread as queued signals. Pictures arrive as QImages already scaled on the
link's thread, so the UI thread only puts them up. A few times a second, while staff are on the
line, the window is drawn small and handed to the link: staff see what the resident sees.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter

from kiosk.services.video_help import (
    PUSHABLE_SCREENS,
    CallContext,
    CallState,
    CallUpdate,
    Push,
    PushKind,
)
from kiosk.ui.background import BackgroundTasks
from kiosk.ui.help.video_call import VideoCallScreen, VideoPicture

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from PySide6.QtWidgets import QWidget

    from kiosk.services import UseCases
    from kiosk.services.video_help import VideoHelp

log = logging.getLogger(__name__)

SCREEN_EVERY_MS = 333  # the kiosk's screen for staff: 3 pictures a second, as the track sends
OWN_EVERY_MS = 200  # the resident's own picture: small, 5 a second is enough to see oneself
SCREEN_WIDTH = 640  # what staff get of the screen: enough to read its headings


PICTURE_FORMATS = {
    1: QImage.Format.Format_Grayscale8,
    3: QImage.Format.Format_RGB888,
    4: QImage.Format.Format_RGB32,  # BGRA in memory
}


def picture_image(picture: NDArray[np.uint8], fit: QSize, *, bgr: bool = False) -> QImage:
    """A grey (h x w), RGB (or with `bgr`, BGR: a camera's) (h x w x 3) or BGRA (h x w x 4)
    picture as a QImage that fits `fit`: made on any thread (a QImage is not tied to the UI
    thread; a QPixmap is)."""
    import numpy as np  # here, not at the top: numpy (15 MiB) comes with the first call

    picture = np.ascontiguousarray(picture)  # FFmpeg pads its rows
    height, width = picture.shape[:2]
    channels = 1 if picture.ndim == 2 else picture.shape[2]
    kind = QImage.Format.Format_BGR888 if bgr and channels == 3 else PICTURE_FORMATS[channels]
    image = QImage(picture.data, width, height, picture.strides[0], kind)
    if fit.isValid() and not fit.isEmpty():
        return image.scaled(
            fit, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return image.copy()  # the numpy buffer is not ours to keep


def window_picture(window: QWidget, width: int = SCREEN_WIDTH) -> NDArray[np.uint8]:
    """The window as the resident sees it, drawn `width` wide (RGB)."""
    scale = width / max(1, window.width())
    height = max(1, round(window.height() * scale)) // 2 * 2
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.scale(scale, scale)
    VideoPicture.for_staff = True
    try:
        window.render(painter, QPoint())
    finally:
        VideoPicture.for_staff = False
        painter.end()
    import numpy as np

    pixels = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    rows = pixels.reshape(height, image.bytesPerLine())
    # A copy, always: the pixels are the QImage's, freed when it goes out of scope here.
    return rows[:, : width * 3].reshape(height, width, 3).copy()


class VideoCallFlow(QObject):
    sig_show_screen = Signal(str)
    """(screen name): show this screen (the call's own)."""

    sig_open_service = Signal(str)
    """(screen name): staff open this service for the resident (one of PUSHABLE_SCREENS)."""

    sig_hold = Signal(bool)
    """(hold): a call is on: the session must not time out under it; False once it ended."""

    sig_finished = Signal()
    """(): the resident left the ended call."""

    sig_call_back = Signal()
    """(): no call could be made: the resident asks to be called back."""

    sig_talking = Signal(bool)
    """(talking): staff are on the line (or no longer)."""

    sig_staff_picture = Signal(QImage)
    """(picture): staff's newest picture, for whatever shows it besides the call screen."""

    # From the link's thread, delivered on the UI thread.
    _sig_update = Signal(object)
    _sig_staff = Signal(QImage)
    _sig_push = Signal(object)

    def __init__(
        self,
        link: VideoHelp | None,
        services: UseCases | None,
        tasks: BackgroundTasks,
        screen: VideoCallScreen,
        window: Callable[[], QWidget],
        context: Callable[[], CallContext],
        can_show: Callable[[str], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._link = link
        self._services = services
        self._tasks = tasks
        self.screen = screen
        self._window = window
        self._context = context
        self._can_show = can_show
        self._call_id = ""
        self._held = False
        self._sig_update.connect(self._changed)
        self._sig_staff.connect(screen.show_staff)
        self._sig_staff.connect(self.sig_staff_picture)
        self._talking = False
        self._sig_push.connect(self._carry_out)
        screen.sig_cancel.connect(self.hang_up)
        screen.sig_done.connect(self._done)
        screen.sig_call_back.connect(self.sig_call_back)
        self._screen_timer = QTimer(self)
        self._screen_timer.setInterval(SCREEN_EVERY_MS)
        self._screen_timer.timeout.connect(self._send_screen)
        self._own_timer = QTimer(self)
        self._own_timer.setInterval(OWN_EVERY_MS)
        self._own_timer.timeout.connect(self._show_own)
        self._last_own = -1

    def attach(self, link: VideoHelp | None) -> None:
        """The back end is up: calls go through `link` from now on."""
        self._link = link

    @property
    def talking(self) -> bool:
        return self._talking

    @property
    def in_call(self) -> bool:
        return self._link is not None and self._link.in_call

    # -- the resident ---------------------------------------------------------------------

    def start(self) -> None:
        """Help's video button: call the center (or say at once that no call can be made)."""
        self.screen.clear()
        self.sig_show_screen.emit(self.screen.name)
        if self._link is None:
            self._changed(CallUpdate(CallState.UNREACHABLE, ""))
            return
        context = self._context()
        self._hold(True)
        self._call_id = self._link.place_call(context, self)

    def hang_up(self) -> None:
        if self._link is not None and self._link.in_call:
            self._link.hang_up()
        else:
            self._stop_pictures()
            self._hold(False)
            self.sig_finished.emit()

    def session_ended(self) -> None:
        """The session ended under a call (Finish, a lock): the call ends with it."""
        if self._link is not None and self._link.in_call:
            self._link.hang_up()
        self._call_id = ""  # what the link still says of that call is not shown
        if self._talking:
            self._talking = False
            self.sig_talking.emit(False)
        self._stop_pictures()
        self._hold(False)
        self.screen.clear()

    def _done(self) -> None:
        self._hold(False)
        self.sig_finished.emit()

    # -- the link's thread: CallListener -------------------------------------------------------

    def call_changed(self, update: CallUpdate) -> None:
        self._sig_update.emit(update)

    def staff_picture(self, picture: NDArray[np.uint8]) -> None:
        self._sig_staff.emit(picture_image(picture, QSize()))  # already fitted by the link

    def pushed(self, push: Push) -> None:
        self._sig_push.emit(push)

    # -- the UI thread -------------------------------------------------------------------------

    def _changed(self, update: CallUpdate) -> None:
        if update.call_id and update.call_id != self._call_id:
            return  # a call already left behind
        self.screen.show_update(update)
        if self._link is not None:
            fit = self.screen.staff_view.size()
            self._link.fit_pictures(fit.width(), fit.height())
        state = update.state
        talking = state in (CallState.ANSWERED, CallState.TALKING, CallState.RECONNECTING)
        if talking != self._talking:
            self._talking = talking
            self.sig_talking.emit(talking)
        if talking:
            if not self._screen_timer.isActive():
                self._send_screen()
                self._screen_timer.start()
                self._own_timer.start()
        elif state in (CallState.ENDED, CallState.CLOSED, CallState.UNREACHABLE):
            self._stop_pictures()
            self._hold(False)
            if state != CallState.ENDED or self.screen.isHidden():
                self.sig_show_screen.emit(self.screen.name)

    def _carry_out(self, push: Push) -> None:
        link = self._link
        if link is None:
            return
        if push.kind == PushKind.OPEN_SCREEN:
            if push.screen not in PUSHABLE_SCREENS:
                link.push_done(push.call_id, push.push_id, False, "not a service screen")
            elif not self._can_show(push.screen):
                # The information screens come with the reference data, not there yet.
                link.push_done(push.call_id, push.push_id, False, "not available on this kiosk")
            else:
                self.sig_open_service.emit(push.screen)
                link.push_done(push.call_id, push.push_id, True)
        elif push.kind == PushKind.MESSAGE:
            self.screen.show_message(push.text)
            self.sig_show_screen.emit(self.screen.name)
            link.push_done(push.call_id, push.push_id, True)
        elif push.kind == PushKind.PRINT_NOTICE:
            services = self._services
            if services is None:
                link.push_done(push.call_id, push.push_id, False, "no printer")
                return
            self._tasks.run(
                services.print_notice,
                push.text,
                self.screen.hotline.text(),
                timeout_s=60,
                on_result=lambda printed: link.push_done(
                    push.call_id, push.push_id, bool(printed), "" if printed else "not printed"
                ),
                on_error=lambda error: link.push_done(
                    push.call_id, push.push_id, False, type(error).__name__
                ),
            )

    def _send_screen(self) -> None:
        link = self._link
        if link is None:
            return
        link.screen_picture(window_picture(self._window()))

    def _show_own(self) -> None:
        own = self._link.own_picture() if self._link is not None else None
        if own is None or own.index == self._last_own:
            return
        self._last_own = own.index
        self.screen.show_own(picture_image(own.pixels, self.screen.own_view.size(), bgr=True))

    def _stop_pictures(self) -> None:
        self._screen_timer.stop()
        self._own_timer.stop()

    def _hold(self, hold: bool) -> None:
        if hold != self._held:
            self._held = hold
            self.sig_hold.emit(hold)
