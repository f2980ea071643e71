"""The real center over HTTP on loopback, for any test tier.

`running_center`: one center with demo data for the whole session (do not change its data in
ways other tests would see: post events with fresh ids). `start_center(...)`: a private center
with options (slow answers, no demo data), stopped when the test ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from center.server import RunningCenter, serve_center

DEMO_TODAY = dt.date(2026, 11, 24)

__all__ = ["DEMO_TODAY", "RunningCenter", "serve_center"]


@pytest.fixture(scope="session")
def running_center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCenter]:
    db_file = tmp_path_factory.mktemp("center") / "center.db"
    with serve_center(f"sqlite:///{db_file}", today=DEMO_TODAY) as center:
        yield center


@pytest.fixture
def start_center(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., RunningCenter]]:
    """start_center(answer_delay=2.0, demo_data=False, today=...) -> a fresh running center."""
    with ExitStack() as stack:

        def start(
            *, answer_delay: float = 0.0, demo_data: bool = True, today: dt.date = DEMO_TODAY
        ) -> RunningCenter:
            db_file = tmp_path_factory.mktemp("center") / "center.db"
            return stack.enter_context(
                serve_center(
                    f"sqlite:///{db_file}",
                    today=today,
                    answer_delay=answer_delay,
                    demo_data=demo_data,
                )
            )

        yield start
