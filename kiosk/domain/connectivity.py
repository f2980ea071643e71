"""Whether the center can be reached, decided from the outcomes of calls to it.

Pure: the caller says what happened and when (monotonic seconds); nothing here reads a clock.
Hysteresis both ways, so one lost request does not flash the offline banner at a resident and
one lucky answer through a failing link does not bring wallet payments back.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkRules:
    failures_to_go_offline: int = 2  # failures in a row before the kiosk says it is offline
    successes_to_come_back: int = 2  # answers in a row before it says it is online again
    idle_probe_s: float = 5.0  # online and no call for this long: probe once
    quick_probe_s: float = 2.0  # offline, or a failure just seen: probe this often

    def __post_init__(self) -> None:
        if self.failures_to_go_offline < 1 or self.successes_to_come_back < 1:
            raise ValueError("the thresholds are at least 1")
        if self.idle_probe_s <= 0 or self.quick_probe_s <= 0:
            raise ValueError("probe intervals are positive")


class LinkJudge:
    """Follows the link to the center. Not thread-safe: its owner holds a lock around it."""

    def __init__(self, rules: LinkRules, *, online: bool = True, now: float = 0.0) -> None:
        self.rules = rules
        self.online = online
        self._failures = 0
        self._successes = 0
        self._last_outcome = now
        self._last_probe = now

    def record(self, reachable: bool, now: float) -> bool | None:
        """One call's outcome; the new `online` when this outcome changes it, else None."""
        self._last_outcome = now
        if reachable:
            self._failures = 0
            self._successes += 1
            if not self.online and self._successes >= self.rules.successes_to_come_back:
                self.online = True
                return True
        else:
            self._successes = 0
            self._failures += 1
            if self.online and self._failures >= self.rules.failures_to_go_offline:
                self.online = False
                return False
        return None

    def probed(self, now: float) -> None:
        """A probe went out at `now` (its outcome comes through `record`)."""
        self._last_probe = now

    def seconds_to_next_probe(self, now: float) -> float:
        """0 when a light probe should go out now."""
        if not self.online or self._failures > 0:
            # In doubt: look again soon, but not on top of a call that just told us.
            due = max(self._last_probe, self._last_outcome) + self.rules.quick_probe_s
        else:
            due = self._last_outcome + self.rules.idle_probe_s
        return max(0.0, due - now)
