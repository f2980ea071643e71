import datetime as dt
import math

import pytest

from kiosk.domain.session import (
    ClockState,
    EndReason,
    InactivityClock,
    Phase,
    SessionSummary,
    result_stays_s,
)


def test_active_then_warning_then_expired() -> None:
    clock = InactivityClock(timeout_s=90, warning_s=30, now=0)
    assert clock.state(10).phase is Phase.ACTIVE
    warned = clock.state(61)
    assert warned.phase is Phase.WARNING
    assert warned.seconds_left == 29
    assert clock.state(90).phase is Phase.EXPIRED
    assert clock.state(200).seconds_left == 0


def test_seconds_left_rounds_up_so_the_countdown_never_shows_zero_early() -> None:
    clock = InactivityClock(timeout_s=90, warning_s=30, now=0)
    assert clock.state(89.5).seconds_left == 1


def test_touch_restarts_the_full_timeout() -> None:
    clock = InactivityClock(timeout_s=90, warning_s=30, now=0)
    clock.touch(80)
    assert clock.state(100).phase is Phase.ACTIVE
    assert clock.state(169).phase is Phase.WARNING
    assert clock.state(170).phase is Phase.EXPIRED


def test_hold_suspends_and_release_restarts() -> None:
    clock = InactivityClock(timeout_s=90, warning_s=30, now=0)
    clock.hold()
    clock.hold()
    assert clock.state(1000).phase is Phase.ACTIVE
    clock.release(1000)
    assert clock.held
    assert clock.state(5000).phase is Phase.ACTIVE
    clock.release(5000)
    assert not clock.held
    assert clock.state(5070).phase is Phase.WARNING
    assert clock.state(5090).phase is Phase.EXPIRED


def test_release_without_hold_is_an_error() -> None:
    clock = InactivityClock(timeout_s=90, warning_s=30, now=0)
    with pytest.raises(RuntimeError):
        clock.release(1)


@pytest.mark.parametrize(("timeout", "warning"), [(0, 1), (30, 0), (30, 30), (30, 40)])
def test_bad_limits_are_refused(timeout: float, warning: float) -> None:
    with pytest.raises(ValueError):
        InactivityClock(timeout_s=timeout, warning_s=warning, now=0)


def test_summary_carries_no_personal_fields() -> None:
    start = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)
    summary = SessionSummary(
        started_at=start,
        ended_at=start + dt.timedelta(seconds=75),
        reason=EndReason.TIMEOUT,
        screens=("idle", "home", "bill"),
        language="zh_CN",
        large_text=True,
    )
    assert summary.duration_s == 75
    assert set(SessionSummary.__dataclass_fields__) == {
        "started_at",
        "ended_at",
        "reason",
        "screens",
        "language",
        "large_text",
    }


def test_a_result_that_must_stay_outlasts_the_usual_timeout_then_warns_and_ends() -> None:
    clock = InactivityClock(timeout_s=60, warning_s=30, now=0)
    stays = result_stays_s(holds_reference=True)
    assert stays > result_stays_s(holds_reference=False) >= 60
    clock.stay(stays, now=0)
    assert clock.state(100) == ClockState(Phase.ACTIVE, math.ceil(stays - 100))
    assert clock.state(stays - 10).phase is Phase.WARNING
    assert clock.state(stays).phase is Phase.EXPIRED
    clock.stay(None, now=stays - 1)  # left the result: the usual clock again
    assert clock.state(stays - 1).phase is Phase.EXPIRED
