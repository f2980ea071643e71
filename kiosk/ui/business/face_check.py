"""The real-name check, step by step: watch the camera ten times a second, lead the resident
through "close your eyes, then open them" (kiosk/domain/liveness.py), keep the photo taken while
they looked at the camera, and send it with the card's fields for the center to decide.

The center's answer decides: passed, or doubtful and left to staff (the resident carries on;
the application is not approved before staff confirm the photo), or failed with a reason. A
check whose challenge was not done is sent only after a second try, marked so: the center never
passes it on the score alone, staff look at it. The photo and the card's fields are forgotten
as soon as the answer is in, or the resident leaves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.domain.liveness import TIME_LIMIT_MS, BlinkCheck, Glimpse, Step
from kiosk.services.business_types import (
    CardHolder,
    Challenge,
    FaceSeen,
    IdentityCheckAnswer,
    IdentityStatus,
    LiveFace,
)
from kiosk.ui.business.face_screen import FaceCheckScreen

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.ui.background import BackgroundTasks

LOOK_EVERY_MS = 100  # a deliberate close of the eyes lasts several tenths of a second
TRIES = 2  # a second try after the challenge ran out; then it goes to staff as not done


def _now_ms() -> int:
    return int(time.monotonic() * 1000)


class FaceCheck(QObject):
    sig_checked = Signal(str, bool)
    """(check id, for staff): the center passed the check, or (True) left it to staff."""

    def __init__(
        self,
        services: UseCases | None,
        tasks: BackgroundTasks,
        screen: FaceCheckScreen,
        *,
        center_timeout_s: float,
        clock_ms: Callable[[], int] = _now_ms,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self.screen = screen
        self._timeout_s = center_timeout_s
        self._clock_ms = clock_ms
        self._holder: CardHolder | None = None
        self._check: BlinkCheck | None = None
        self._photo: bytes | None = None
        self._tries = 0
        self.time_limit_ms = TIME_LIMIT_MS
        self._looking = False
        self._watch = QTimer(self)
        self._watch.setInterval(LOOK_EVERY_MS)
        self._watch.timeout.connect(self._look)
        screen.sig_try_again.connect(self._begin)
        screen.sig_left.connect(self.stop)

    @property
    def running(self) -> bool:
        return self._holder is not None

    def start(self, holder: CardHolder) -> None:
        self._holder, self._tries = holder, 0
        self._begin()

    def _begin(self) -> None:
        if self._holder is None:
            return
        self._tries += 1
        self._check, self._photo = (
            BlinkCheck(self._clock_ms(), time_limit_ms=self.time_limit_ms),
            None,
        )
        self.screen.show_live(None, None, Step.LOOK.value, None)
        self._watch.start()
        self._look()

    def _look(self) -> None:
        if self._looking or self._check is None or self._check.done or self._services is None:
            return
        self._looking = True
        self._tasks.run(self._services.look_for_face, timeout_s=5.0,
                        on_result=self._seen, on_error=lambda _e: self._seen(None))  # fmt: skip

    def _seen(self, seen: FaceSeen | None) -> None:
        self._looking = False
        check = self._check
        if check is None or check.done:
            return
        if seen is None:
            self.screen.show_live(None, None, check.step.value, None)
            return
        step = check.see(
            Glimpse(self._clock_ms(), seen.problem is None, seen.eyes, seen.centre, seen.width)
        )
        if seen.jpeg is not None and step in (Step.LOOK, Step.CLOSE):
            self._photo = seen.jpeg  # looking at the camera, eyes open: the photo to send
        self.screen.show_live(seen.picture, seen.box, step.value, seen.problem)
        if check.done:
            self._watch.stop()
            self._challenge_over(check)

    def _challenge_over(self, check: BlinkCheck) -> None:
        if check.passed:
            self._send(check)
        elif self._photo is not None and self._tries >= TRIES:
            self._send(check)  # not done twice: staff decide, never the score alone
        else:
            self.screen.show_not_done(
                self.tr("The check was not finished in time. Please try again."),
                may_try_again=True,
            )

    def _send(self, check: BlinkCheck) -> None:
        holder, photo = self._holder, self._photo
        if holder is None or photo is None or self._services is None:
            return
        self.screen.show_checking()
        face = LiveFace(photo, Challenge.BLINK, check.passed, check.frames)
        self._tasks.run(self._services.check_identity, holder, face,
                        timeout_s=self._timeout_s + 5, on_result=self._answered,
                        on_error=self._not_asked)  # fmt: skip

    def _answered(self, answer: IdentityCheckAnswer) -> None:
        if self._holder is None:
            return  # the resident left meanwhile
        self._photo = None  # sent: the center keeps it as long as the check needs it
        if answer.status is IdentityStatus.FAILED:
            self.screen.show_not_done(
                self._reason_words(answer.reason), may_try_again=self._tries < TRIES
            )
            return
        check_id = str(answer.check_id)
        for_staff = answer.status is IdentityStatus.REVIEW
        self.stop()
        self.sig_checked.emit(check_id, for_staff)

    def _not_asked(self, _error: BaseException) -> None:
        self.screen.show_not_done(
            self.tr(
                "The center cannot be reached now, and the check needs it. "
                "Please try again later or ask staff for help."
            ),
            may_try_again=True,
        )

    def _reason_words(self, reason: str | None) -> str:
        words: dict[str, Any] = {
            "no_face": self.tr("No face could be seen on the photo. Please face the camera."),
            "card_not_on_record": self.tr(
                "The identity service has no record of this ID card. Please ask staff."
            ),
            "card_expired": self.tr("This ID card has expired. Business needs a valid card."),
            "card_not_yet_valid": self.tr("This ID card is not valid yet."),
            "rejected_by_staff": self.tr("Staff could not confirm that the photo is you."),
        }
        return str(words.get(reason or "", self.tr("The photo did not match your ID card.")))

    def stop(self) -> None:
        """Forget the card, the photo and the check: done, given up, or the session ended."""
        self._watch.stop()
        self._holder, self._check, self._photo = None, None, None
        self.screen.clear()
