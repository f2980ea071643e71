"""The queue's chaos test, small enough for every run of the suite (the full run is
`python -m tests.chaos.sync --events 5000`)."""

from __future__ import annotations

import pytest

from tests.chaos.sync import run_sync_chaos

pytestmark = pytest.mark.slow


@pytest.mark.timeout(180)
def test_faulty_network_and_killed_kiosk_deliver_every_event_once_in_order() -> None:
    run = run_sync_chaos(800, aggregates=30, kills=3, seed=5)
    print(run.verdict.summary())
    faults = sum(
        n
        for kind, n in run.faults.items()
        if kind not in ("connections", "requests", "forwarded", "passed")
    )
    assert run.kills == 3
    assert faults > 0
    assert run.verdict.problems == []
    assert (run.verdict.delivered, run.verdict.duplicates) == (800, 0)
    assert (run.verdict.out_of_order, run.verdict.lost) == (0, 0)
