"""The technician's door as plain rules: the hidden knock, and the lock on entry after wrong
attempts, which runs out and starts a fresh count."""

from __future__ import annotations

import datetime as dt

from kiosk.domain.technician_access import (
    Corner,
    EntryLock,
    EntryRules,
    SecretKnock,
    corner_at,
)

W, H = 1920, 1080
LEFT, RIGHT, MIDDLE = (10, H - 10), (W - 10, H - 10), (W // 2, H // 2)
NOW = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)


def knock(knocker: SecretKnock, touches: list[tuple[int, int]], start: float = 0.0) -> bool:
    done = False
    for n, (x, y) in enumerate(touches):
        done = knocker.touch(x, y, W, H, start + n * 0.3)
    return done


def test_the_corners_are_the_bottom_ones_and_small() -> None:
    assert corner_at(*LEFT, W, H) is Corner.LEFT
    assert corner_at(*RIGHT, W, H) is Corner.RIGHT
    assert corner_at(10, 10, W, H) is None  # the top corners hold the station name, a button
    assert corner_at(*MIDDLE, W, H) is None
    assert corner_at(200, H - 10, W, H) is None  # 9 % of 1080 is 97 px
    assert corner_at(10, 1910, 1080, 1920) is Corner.LEFT  # portrait too


def test_the_whole_knock_opens_and_only_it() -> None:
    assert knock(SecretKnock(), [LEFT] * 3 + [RIGHT] * 3)
    assert not knock(SecretKnock(), [LEFT] * 3 + [RIGHT] * 2)
    assert not knock(SecretKnock(), [LEFT, RIGHT] * 3)
    assert not knock(SecretKnock(), [RIGHT] * 3 + [LEFT] * 3)
    assert not knock(SecretKnock(), [LEFT] * 3 + [MIDDLE] + [RIGHT] * 3)


def test_a_wrong_touch_starts_again_and_may_begin_a_new_knock() -> None:
    knocker = SecretKnock()
    assert knock(knocker, [LEFT, LEFT, RIGHT] + [LEFT] * 3 + [RIGHT] * 3)
    # A fourth left touch is wrong where a right one was due, and the first of a new knock.
    assert knock(SecretKnock(), [LEFT] * 4 + [LEFT] * 2 + [RIGHT] * 3)


def test_a_slow_knock_does_not_open() -> None:
    knocker = SecretKnock()
    for n in range(3):
        assert not knocker.touch(*LEFT, W, H, n * 0.3)
    for n in range(3):
        assert not knocker.touch(*RIGHT, W, H, 7.0 + n * 0.3)
    # Once opened, the next knock starts from nothing.
    assert knock(knocker, [LEFT] * 3 + [RIGHT] * 3, start=20.0)
    assert not knocker.touch(*RIGHT, W, H, 22.0)


def test_five_wrong_attempts_lock_for_fifteen_minutes() -> None:
    rules = EntryRules()
    lock = EntryLock()
    for n in range(4):
        lock = lock.after_failure(rules, NOW)
        assert not lock.locked(NOW)
        assert lock.tries_left(rules, NOW) == 4 - n
    lock = lock.after_failure(rules, NOW)
    assert lock.locked(NOW) and lock.tries_left(rules, NOW) == 0
    assert lock.locked_until == NOW + dt.timedelta(minutes=15)
    assert lock.locked(NOW + dt.timedelta(minutes=14, seconds=59))
    later = NOW + dt.timedelta(minutes=15)
    assert not lock.locked(later)
    assert lock.tries_left(rules, later) == 5  # a fresh count once it has run out
    assert lock.after_failure(rules, later).failures == 1


def test_the_lock_survives_being_written_and_read() -> None:
    lock = EntryLock(3, NOW)
    assert EntryLock.from_text(lock.to_text()) == lock
    assert EntryLock.from_text(EntryLock(2).to_text()) == EntryLock(2)
    assert EntryLock.from_text(None) == EntryLock() == EntryLock.from_text("")
