"""Video help as the screens see it: place a call, follow it, hang up. No Qt, no I/O here; the
link that does the work (kiosk.video.link) runs its own asyncio loop in a thread and tells a
`CallListener` on that thread. The protocol's words the screens need are named from here, as
the other use cases' types are (kiosk.services.screen_types)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from sync.protocol.calls import PUSHABLE_SCREENS, CallContext, EndReason, Push, PushKind

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "PUSHABLE_SCREENS",
    "CallContext",
    "CallListener",
    "CallRecord",
    "CallState",
    "CallUpdate",
    "EndReason",
    "OwnPicture",
    "Push",
    "PushKind",
    "VideoHelp",
]


class CallState(StrEnum):
    CONNECTING = "connecting"  # opening the socket to the center
    WAITING = "waiting"  # in the queue: `place`, `estimate_s`
    CLOSED = "closed"  # outside service hours: `hours`
    UNREACHABLE = "unreachable"  # the center cannot be reached (or refused us)
    ANSWERED = "answered"  # staff took the call: `agent`; media is being set up
    TALKING = "talking"  # audio and video flow
    RECONNECTING = "reconnecting"  # the link dropped: negotiating it again
    ENDED = "ended"  # `reason`


@dataclass(frozen=True)
class CallUpdate:
    state: CallState
    call_id: str
    place: int = 0
    estimate_s: int = 0
    agent: str = ""
    hours: str = ""
    reason: str = ""  # an EndReason when ended


@dataclass(frozen=True)
class CallRecord:
    """What is kept of a call once it ends (queued to the center as an event)."""

    call_id: str
    started_at: float  # wall clock, seconds
    outcome: str  # an EndReason, or "unreachable"
    agent: str
    waited_s: float
    talked_s: float


@dataclass(frozen=True)
class OwnPicture:
    """The resident's own picture, as the camera took it last."""

    index: int  # counts up: the same index is the same picture
    pixels: NDArray[np.uint8]  # BGR (height x width x 3), or grey (height x width)


class CallListener(Protocol):
    """Told on the link's thread: a UI must hand these over to its own thread."""

    def call_changed(self, update: CallUpdate) -> None: ...

    def staff_picture(self, picture: NDArray[np.uint8]) -> None:
        """The newest picture of the staff member (BGRA, height x width x 4)."""

    def pushed(self, push: Push) -> None:
        """Staff pushed help: the UI carries it out and answers with `VideoHelp.push_done`."""


class VideoHelp(Protocol):
    """The port the help screens use. Thread-safe; every method returns at once."""

    @property
    def in_call(self) -> bool: ...

    def place_call(self, context: CallContext, listener: CallListener) -> str:
        """Start a call (ending any other); returns its id at once, before the center answers."""

    def hang_up(self) -> None:
        """End the call now (the resident pressed Hang up or Cancel); nothing if none."""

    def push_done(self, call_id: str, push_id: str, ok: bool, detail: str = "") -> None: ...

    def own_picture(self) -> OwnPicture | None:
        """The resident's newest picture from the camera, for the call screen's small view;
        None without a camera (or before its first picture)."""

    def fit_pictures(self, width: int, height: int) -> None:
        """Staff's pictures are handed over scaled to fit this size (0, 0: as they come)."""

    def screen_picture(self, picture: NDArray[np.uint8]) -> None:
        """The kiosk's screen as the resident sees it now (RGB), for staff's second video."""

    def close(self) -> None: ...
