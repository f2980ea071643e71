"""Repeated reads of one code within the window are one read."""

from __future__ import annotations

import pytest

from drivers.scanner.dedup import RepeatFilter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_same_code_within_the_window_is_one_read() -> None:
    clock = Clock()
    repeats = RepeatFilter(1.5, clock)
    assert repeats.is_new("A")
    clock.now += 1.0
    assert not repeats.is_new("A")
    clock.now += 1.0  # held still: each sighting restarts the window
    assert not repeats.is_new("A")
    clock.now += 1.6
    assert repeats.is_new("A")


def test_another_code_reads_at_once_and_reset_forgets() -> None:
    clock = Clock()
    repeats = RepeatFilter(1.5, clock)
    assert repeats.is_new("A") and repeats.is_new("B") and repeats.is_new("A")
    repeats.reset()
    assert repeats.is_new("A")


def test_a_zero_window_reads_every_time_and_bad_windows_are_refused() -> None:
    repeats = RepeatFilter(0, Clock())
    assert repeats.is_new("A") and repeats.is_new("A")
    for bad in (-1, 61, "1"):
        with pytest.raises(ValueError):
            RepeatFilter(bad)  # type: ignore[arg-type]
