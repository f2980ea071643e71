"""The crash and fault tests, small enough for every run of the suite (the full runs are
`python -m tests.chaos.payments --runs 200` and `python -m tests.chaos.network`)."""

from __future__ import annotations

import pytest

from tests.chaos.network import run_network_faults
from tests.chaos.payments import run_crash_test

pytestmark = pytest.mark.slow


@pytest.mark.timeout(300)
def test_kiosk_killed_at_random_loses_nothing_and_takes_nothing_twice() -> None:
    run = run_crash_test(16, seed=11, kills=5)
    print(run.verdict.summary("crash-test"))
    assert run.kills == 5
    assert run.verdict.problems == []
    assert run.verdict.ok
    assert run.verdict.payments == 16
    assert run.verdict.paid > 0 and run.verdict.unpaid > 0


@pytest.mark.timeout(300)
def test_network_failing_at_random_loses_nothing_and_takes_nothing_twice() -> None:
    run = run_network_faults(14, seed=5)
    print(run.verdict.summary("network-faults"))
    assert (
        sum(
            n
            for kind, n in run.faults.items()
            if kind not in ("connections", "requests", "forwarded", "passed")
        )
        > 0
    )
    assert run.verdict.problems == []
    assert run.verdict.ok
    assert run.verdict.paid > 0
