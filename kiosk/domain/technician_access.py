"""Getting into maintenance mode: the hidden knock that opens the technician's door, and the
lock that closes it after too many wrong PINs. Plain rules: times are passed in.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum


class Corner(StrEnum):
    LEFT = "left"  # the window's bottom left corner
    RIGHT = "right"


# Three touches in the bottom left corner, then three in the bottom right, on the idle or the
# out-of-service screen, whose bottom corners hold nothing: nobody taps two bare corners six
# times in that order by accident. (The top corners hold the station's name and a button.)
KNOCK = (Corner.LEFT,) * 3 + (Corner.RIGHT,) * 3
KNOCK_WITHIN_S = 6.0
CORNER_SHARE = 0.09  # a corner is this share of the screen's shorter side, square


def corner_at(x: float, y: float, width: float, height: float) -> Corner | None:
    size = CORNER_SHARE * min(width, height)
    if y < height - size:
        return None
    if x <= size:
        return Corner.LEFT
    if x >= width - size:
        return Corner.RIGHT
    return None


class SecretKnock:
    """Feed it every touch (`touch`); it answers True once the whole knock is done."""

    def __init__(self, knock: tuple[Corner, ...] = KNOCK, within_s: float = KNOCK_WITHIN_S) -> None:
        self._knock = knock
        self._within_s = within_s
        self._started_at = 0.0
        self._done = 0  # how many touches of the knock are done

    def touch(self, x: float, y: float, width: float, height: float, at_s: float) -> bool:
        corner = corner_at(x, y, width, height)
        if self._done and at_s - self._started_at > self._within_s:
            self._done = 0
        if corner is None or corner != self._knock[self._done]:
            # A wrong touch starts again; it may be the first of a new knock.
            self._done = 0
            if corner != self._knock[0]:
                return False
        if self._done == 0:
            self._started_at = at_s
        self._done += 1
        if self._done == len(self._knock):
            self._done = 0
            return True
        return False


@dataclass(frozen=True)
class EntryRules:
    failures_to_lock: int = 5
    lock_for: dt.timedelta = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class EntryLock:
    """Wrong attempts in a row, and until when entry is refused (kept across restarts)."""

    failures: int = 0
    locked_until: dt.datetime | None = None

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def tries_left(self, rules: EntryRules, now: dt.datetime) -> int:
        if self.locked(now):
            return 0
        return rules.failures_to_lock - self.current(now).failures

    def current(self, now: dt.datetime) -> EntryLock:
        """As it stands at `now`: a lock that has run out starts a fresh count."""
        if self.locked_until is not None and now >= self.locked_until:
            return EntryLock()
        return self

    def after_failure(self, rules: EntryRules, now: dt.datetime) -> EntryLock:
        failures = self.current(now).failures + 1
        if failures >= rules.failures_to_lock:
            return EntryLock(failures, now + rules.lock_for)
        return EntryLock(failures)

    def to_text(self) -> str:
        until = self.locked_until.isoformat() if self.locked_until else None
        return json.dumps({"failures": self.failures, "locked_until": until})

    @classmethod
    def from_text(cls, text: str | None) -> EntryLock:
        if not text:
            return cls()
        data = json.loads(text)
        until = data.get("locked_until")
        return cls(
            int(data.get("failures", 0)), dt.datetime.fromisoformat(until) if until else None
        )
