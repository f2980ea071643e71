"""When the kiosk says it is offline, and when online again: the pure decisions."""

from __future__ import annotations

import pytest

from kiosk.domain.connectivity import LinkJudge, LinkRules

RULES = LinkRules(
    failures_to_go_offline=2, successes_to_come_back=2, idle_probe_s=5, quick_probe_s=1
)


def test_one_failure_is_not_yet_offline_two_in_a_row_are() -> None:
    judge = LinkJudge(RULES)
    assert judge.record(False, 1.0) is None
    assert judge.online
    assert judge.record(False, 2.0) is False
    assert not judge.online
    # Saying it once is enough: a third failure changes nothing.
    assert judge.record(False, 3.0) is None


def test_an_answer_between_failures_starts_the_count_again() -> None:
    judge = LinkJudge(RULES)
    judge.record(False, 1.0)
    judge.record(True, 2.0)
    assert judge.record(False, 3.0) is None
    assert judge.online


def test_back_online_only_after_enough_answers_in_a_row() -> None:
    judge = LinkJudge(RULES, online=False)
    assert judge.record(True, 1.0) is None
    assert not judge.online
    judge.record(False, 2.0)  # a flapping link stays offline
    assert judge.record(True, 3.0) is None
    assert judge.record(True, 4.0) is True
    assert judge.online


def test_online_and_idle_probes_after_the_idle_interval() -> None:
    judge = LinkJudge(RULES, now=0.0)
    assert judge.seconds_to_next_probe(1.0) == pytest.approx(4.0)
    judge.record(True, 3.0)  # a real call answered: no probe needed for a while
    assert judge.seconds_to_next_probe(3.0) == pytest.approx(5.0)
    assert judge.seconds_to_next_probe(9.0) == 0.0


def test_in_doubt_probes_quickly() -> None:
    judge = LinkJudge(RULES, now=0.0)
    judge.record(False, 10.0)
    assert judge.seconds_to_next_probe(10.0) == pytest.approx(1.0)
    judge.probed(11.0)
    assert judge.seconds_to_next_probe(11.5) == pytest.approx(0.5)


def test_offline_keeps_probing_quickly_until_back() -> None:
    judge = LinkJudge(RULES, online=False, now=0.0)
    assert judge.seconds_to_next_probe(1.0) == 0.0
    judge.record(True, 2.0)
    judge.record(True, 3.0)
    assert judge.online
    assert judge.seconds_to_next_probe(3.0) == pytest.approx(5.0)


@pytest.mark.parametrize(
    "rules",
    [
        {"failures_to_go_offline": 0},
        {"successes_to_come_back": 0},
        {"idle_probe_s": 0},
        {"quick_probe_s": -1},
    ],
)
def test_rules_refuse_nonsense(rules: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        LinkRules(**rules)  # type: ignore[arg-type]
