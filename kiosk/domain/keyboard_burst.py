"""Tell a keyboard-wedge scanner from a person at the keyboard, by the rhythm of the keys.

A USB scanner in keyboard mode "types" a code far faster than anyone can: a few milliseconds
between keys, then Enter or Tab. A person leaves 100 ms or more between keys. The detector is
fed each character with the time it was pressed (passed in: no clock reads here) and holds
keys that may be the start of a scanner burst. It answers with what to do:

- ``code``: a complete scanned code; the keys that made it and the Enter/Tab are swallowed;
- ``release``: held characters that turned out to be a person's typing, to be passed on in
  their order, before the current key;
- ``hold``: keep the current key back for now (it may be part of a burst).

Keys held when the typing stops must be released by calling ``flush(now)`` once ``deadline``
has passed (a timer in the UI), so a person's single keystroke is never lost.
Facts: devices.md "Code scanners" (gaps at most 50-100 ms, at least 3 characters, ends on Enter
or Tab).
"""

from __future__ import annotations

from dataclasses import dataclass

TERMINATORS = frozenset({"\r", "\n", "\t"})


@dataclass(frozen=True)
class BurstVerdict:
    hold: bool = False
    code: str | None = None
    release: str = ""

    def __repr__(self) -> str:
        # A scanned code may be a payment code: never whole in a log.
        code = None if self.code is None else f"{self.code[:4]}…({len(self.code)})"
        return f"BurstVerdict(hold={self.hold}, code={code}, release={len(self.release)} chars)"


PASS = BurstVerdict()


class KeyboardBurstDetector:
    def __init__(self, max_gap_s: float = 0.05, min_length: int = 3, max_length: int = 512) -> None:
        if not 0 < max_gap_s <= 1:
            raise ValueError("max_gap_s must be within (0, 1] seconds")
        if not 1 <= min_length <= max_length:
            raise ValueError("need 1 <= min_length <= max_length")
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self.max_length = max_length
        self._held: list[str] = []
        self._last = float("-inf")

    @property
    def held(self) -> int:
        return len(self._held)

    @property
    def deadline(self) -> float | None:
        """When held keys stop being a possible burst; None when nothing is held."""
        return self._last + self.max_gap_s if self._held else None

    def feed(self, char: str, now: float) -> BurstVerdict:
        """One key with its text (one character) pressed at ``now`` (monotonic seconds)."""
        release = ""
        if self._held and now - self._last > self.max_gap_s:
            release = self._take()  # too slow for a scanner: it was a person
        if char in TERMINATORS:
            if len(self._held) >= self.min_length:
                return BurstVerdict(code=self._take(), release=release)
            return BurstVerdict(release=release + self._take())
        if len(char) != 1 or not char.isprintable():
            return BurstVerdict(release=release + self._take())
        if len(self._held) >= self.max_length:
            release += self._take()  # no code is that long: whatever it is, let it through
        self._held.append(char)
        self._last = now
        return BurstVerdict(hold=True, release=release)

    def flush(self, now: float) -> str:
        """Held keys that can no longer be a burst (the deadline passed), to pass on."""
        if self._held and now - self._last > self.max_gap_s:
            return self._take()
        return ""

    def _take(self) -> str:
        text = "".join(self._held)
        self._held.clear()
        return text
