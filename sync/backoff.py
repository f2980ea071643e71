"""How long to wait before calling the center again after failures: doubling, with jitter."""

from __future__ import annotations


def backoff_delay(failures: int, *, initial: float, maximum: float, jitter: float) -> float:
    """Seconds to wait after `failures` failures in a row; `jitter` is uniform in [0, 1).

    Doubles from `initial` up to `maximum`, then takes a random point in its upper half so
    that kiosks cut off together do not all call back at the same instant.
    """
    ceiling = min(maximum, initial * 2.0 ** max(0, failures - 1))
    return max(initial, min(maximum, ceiling * (0.5 + jitter / 2)))
