"""The real-name check's active challenge: "close your eyes, then open them".

A photo held up to the camera has its eyes open in every frame; a live resident can shut them
when asked. The check passes when, with one face steady in the oval, the eyes are seen open,
then shut for a moment, then open again. Frames where the eyes are unclear count for nothing
either way, and so does a face missed for a frame or two (the finder is not perfect); more frames
without it, another person, or the face jumping elsewhere (a photo swapped in front of the
lens) start the watching again. It fails when the time runs out.

This is one signal among three: the center's identity service scores the photo against the
card, and a doubtful case goes to staff (reference: open-source liveness is weak on its own).
Plain Python: it is fed what the camera saw and a clock reading, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

OPEN_FRAMES = 2  # frames in a row with the eyes open, before and after
SHUT_FRAMES = 2  # frames in a row with the eyes shut (a deliberate close, not a flicker)
MAX_SHUT_MS = 4_000  # eyes shut longer than this is someone asleep or a covered lens
MISSED_FRAMES = 2  # frames in a row without the face that are forgiven
MAX_JUMP = 0.5  # of the face's width: a face moving further between two frames is another face
TIME_LIMIT_MS = 20_000


class Step(StrEnum):
    LOOK = "look"  # waiting for one face, eyes open, in the oval
    CLOSE = "close"  # the eyes were seen open: now they should close
    OPEN = "open"  # they were seen shut: now they should open again
    PASSED = "passed"
    FAILED = "failed"  # out of time


@dataclass(frozen=True)
class Glimpse:
    """One frame, as the face finder saw it."""

    at_ms: int
    one_face: bool  # exactly one face, in the oval, near enough
    eyes: str  # "open", "shut" or "unsure" (kiosk.vision.faces.Eyes)
    centre: tuple[float, float] | None = None  # of the picture
    width: float = 0.0  # the face's width, of the picture's


class BlinkCheck:
    """Feed it every frame looked at; read `step`. `frames` counts them (the center is told)."""

    def __init__(self, started_ms: int, *, time_limit_ms: int = TIME_LIMIT_MS) -> None:
        self._deadline = started_ms + time_limit_ms
        self.step = Step.LOOK
        self.frames = 0
        self._run = 0  # frames in a row of what the current step waits for
        self._shut_since: int | None = None
        self._last: Glimpse | None = None
        self._missed = 0

    @property
    def done(self) -> bool:
        return self.step in (Step.PASSED, Step.FAILED)

    @property
    def passed(self) -> bool:
        return self.step is Step.PASSED

    def see(self, glimpse: Glimpse) -> Step:
        if self.done:
            return self.step
        self.frames += 1
        if glimpse.at_ms > self._deadline:
            self.step = Step.FAILED
            return self.step
        if not glimpse.one_face and glimpse.centre is None:
            self._missed += 1  # nobody seen: the face missed, or gone
            if self._missed > MISSED_FRAMES:
                self._restart()
                self._last = None
            return self.step
        self._missed = 0
        if not glimpse.one_face or self._jumped(glimpse):
            self._restart()
        elif glimpse.eyes == "open":
            self._open(glimpse)
        elif glimpse.eyes == "shut":
            self._shut(glimpse)
        self._last = glimpse if glimpse.one_face else None
        return self.step

    def _open(self, glimpse: Glimpse) -> None:
        if self.step is Step.CLOSE and self._shut_since is not None:
            self._shut_since = None  # a flicker of "shut" while waiting: not a close yet
        if self.step is Step.LOOK:
            self._run += 1
            if self._run >= OPEN_FRAMES:
                self.step, self._run = Step.CLOSE, 0
        elif self.step is Step.CLOSE:
            self._run = 0
        elif self.step is Step.OPEN:
            self._run += 1
            if self._run >= OPEN_FRAMES:
                self.step = Step.PASSED

    def _shut(self, glimpse: Glimpse) -> None:
        if self.step is Step.LOOK:
            self._run = 0
        elif self.step is Step.CLOSE:
            if self._shut_since is None:
                self._shut_since, self._run = glimpse.at_ms, 0
            self._run += 1
            if self._run >= SHUT_FRAMES:
                self.step, self._run = Step.OPEN, 0
        elif self.step is Step.OPEN:
            self._run = 0  # opened for a frame, shut again: still waiting for them open
            assert self._shut_since is not None
            if glimpse.at_ms - self._shut_since > MAX_SHUT_MS:
                self._restart()

    def _jumped(self, glimpse: Glimpse) -> bool:
        last = self._last
        if last is None or last.centre is None or glimpse.centre is None:
            return False
        dx = glimpse.centre[0] - last.centre[0]
        dy = glimpse.centre[1] - last.centre[1]
        moved: float = (dx * dx + dy * dy) ** 0.5
        return moved > MAX_JUMP * max(last.width, glimpse.width)

    def _restart(self) -> None:
        self.step, self._run, self._shut_since = Step.LOOK, 0, None
