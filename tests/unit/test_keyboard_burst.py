"""The keyboard-wedge detector, fed characters with the times they were pressed."""

from __future__ import annotations

import random

import pytest

from kiosk.domain.keyboard_burst import KeyboardBurstDetector

PAY = "134567890123456789"


def _type(detector: KeyboardBurstDetector, text: str, start: float, gap: float):
    """Feed ``text``; returns (codes, passed-through text) as the UI would see them."""
    codes, passed = [], []
    for i, char in enumerate(text):
        verdict = detector.feed(char, start + i * gap)
        passed.append(verdict.release)
        if verdict.code is not None:
            codes.append(verdict.code)
        elif not verdict.hold:
            passed.append(char)
    passed.append(detector.flush(start + len(text) * gap + 1))
    return codes, "".join(passed)


@pytest.mark.parametrize("end", ["\r", "\t"])
def test_a_scanner_burst_is_one_code_and_nothing_is_typed(end: str) -> None:
    codes, typed = _type(KeyboardBurstDetector(), PAY + end, 10.0, 0.004)
    assert codes == [PAY] and typed == ""


def test_a_person_typing_passes_through_in_order() -> None:
    codes, typed = _type(KeyboardBurstDetector(), "3201000001\r", 10.0, 0.18)
    assert codes == [] and typed == "3201000001\r"


def test_a_short_fast_burst_is_not_a_code() -> None:
    codes, typed = _type(KeyboardBurstDetector(min_length=3), "ab\r", 10.0, 0.01)
    assert codes == [] and typed == "ab\r"


def test_a_person_then_a_scan_then_a_person() -> None:
    detector = KeyboardBurstDetector()
    codes1, typed1 = _type(detector, "12", 0.0, 0.2)
    codes2, typed2 = _type(detector, PAY + "\r", 5.0, 0.005)
    codes3, typed3 = _type(detector, "x\r", 9.0, 0.3)
    assert (codes1, typed1) == ([], "12")
    assert (codes2, typed2) == ([PAY], "")
    assert (codes3, typed3) == ([], "x\r")


def test_a_lone_keystroke_is_released_after_the_deadline_only() -> None:
    detector = KeyboardBurstDetector(max_gap_s=0.05)
    assert detector.feed("7", 1.0).hold
    assert detector.deadline == pytest.approx(1.05)
    assert detector.flush(1.04) == ""
    assert detector.flush(1.06) == "7"
    assert detector.deadline is None


def test_a_slow_key_after_a_fast_start_releases_the_held_keys_first() -> None:
    detector = KeyboardBurstDetector(max_gap_s=0.05)
    detector.feed("a", 0.0)
    detector.feed("b", 0.01)
    verdict = detector.feed("c", 0.5)
    assert verdict.release == "ab" and verdict.hold  # "c" may start a burst of its own


def test_a_code_never_appears_in_the_verdicts_repr() -> None:
    detector = KeyboardBurstDetector()
    verdict = None
    for i, char in enumerate(PAY + "\r"):
        verdict = detector.feed(char, i * 0.001)
    assert verdict is not None and verdict.code == PAY and PAY not in repr(verdict)


def test_random_key_streams_lose_and_invent_nothing() -> None:
    rng = random.Random(7)
    alphabet = "0123456789abcXYZ-:/\r\t\x08"
    for _ in range(2000):
        detector = KeyboardBurstDetector(max_length=20)
        now, fed, out = 0.0, [], []
        for _ in range(rng.randint(0, 40)):
            now += rng.choice([0.001, 0.01, 0.04, 0.06, 0.2])
            char = rng.choice(alphabet)
            fed.append(char)
            verdict = detector.feed(char, now)
            out.append(verdict.release)
            if verdict.code is not None:
                assert len(verdict.code) >= 3
                out.append(verdict.code + char)  # the code and its swallowed terminator
            elif not verdict.hold:
                out.append(char)
        out.append(detector.flush(now + 1))
        assert "".join(out) == "".join(fed)  # every key accounted for, in order
