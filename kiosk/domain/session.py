"""A resident's session: the inactivity clock and what the center learns when it ends.

Pure: every method takes the current time (monotonic seconds) from the caller.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum


class EndReason(StrEnum):
    TIMEOUT = "timeout"
    FINISHED = "finished"
    HOME = "home"
    LOCKED = "locked"  # the center locked the kiosk


# How long a result screen stays without a touch, the one rule for every outcome: long enough
# to read it and touch Done; five minutes when it holds a reference the resident must copy down
# or a slip to take (the payment settles behind it, and the hotline needs that number).
RESULT_STAYS_S = 120.0
REFERENCE_STAYS_S = 300.0


def result_stays_s(*, holds_reference: bool) -> float:
    """Seconds a result screen stays up without a touch (the countdown's warning included)."""
    return REFERENCE_STAYS_S if holds_reference else RESULT_STAYS_S


class Phase(StrEnum):
    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class ClockState:
    phase: Phase
    seconds_left: int  # whole seconds until the session ends, rounded up; 0 when expired


class InactivityClock:
    """Ends a session after `timeout_s` without a touch, warning `warning_s` before the end.

    `hold()` suspends it (a payment being settled governs its own time); `release()` restarts the
    full timeout, so a resident who just paid is never cut off at once.
    """

    def __init__(self, timeout_s: float, warning_s: float, now: float) -> None:
        if timeout_s <= 0 or warning_s <= 0:
            raise ValueError("timeout and warning must be positive")
        if warning_s >= timeout_s:
            raise ValueError("the warning must come before the timeout")
        self.timeout_s = timeout_s
        self.warning_s = warning_s
        self._last_touch = now
        self._holds = 0
        self._stay_until: float | None = None

    def touch(self, now: float) -> None:
        self._last_touch = now

    def stay(self, seconds: float | None, now: float) -> None:
        """The screen now shown stays at least `seconds` without a touch (None: no longer)."""
        self._stay_until = None if seconds is None else now + seconds

    def hold(self) -> None:
        self._holds += 1

    def release(self, now: float) -> None:
        if self._holds == 0:
            raise RuntimeError("release() without hold()")
        self._holds -= 1
        self._last_touch = now

    @property
    def held(self) -> bool:
        return self._holds > 0

    def state(self, now: float) -> ClockState:
        if self.held:
            return ClockState(Phase.ACTIVE, math.ceil(self.timeout_s))
        left = self.timeout_s - (now - self._last_touch)
        if self._stay_until is not None:
            left = max(left, self._stay_until - now)
        if left <= 0:
            return ClockState(Phase.EXPIRED, 0)
        phase = Phase.WARNING if left <= self.warning_s else Phase.ACTIVE
        return ClockState(phase, math.ceil(left))


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """How one session went, for the center's statistics. No personal data: screen names only."""

    started_at: dt.datetime
    ended_at: dt.datetime
    reason: EndReason
    screens: tuple[str, ...]
    language: str
    large_text: bool

    @property
    def duration_s(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()
