"""The audit trail's chain: intact as written; an edited, a missing, a moved entry found where
it happened, whatever the tamperer did to hide it."""

from __future__ import annotations

import dataclasses
import datetime as dt

from rules.audit_chain import GENESIS, AuditEntry, Problem, next_entry, verify_chain

START = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)


def trail(length: int = 8) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for n in range(length):
        previous = entries[-1] if entries else None
        at = START + dt.timedelta(minutes=n)
        entries.append(next_entry(previous, at, "technician", "maintenance.step", f"step {n + 1}"))
    return entries


def problems(entries: list[AuditEntry]) -> list[tuple[int, Problem]]:
    return [(found.seq, found.problem) for found in verify_chain(entries)]


def test_a_trail_as_written_is_intact() -> None:
    entries = trail()
    assert entries[0].prev_hash == GENESIS
    assert [entry.seq for entry in entries] == list(range(1, 9))
    assert verify_chain(entries) == []
    assert verify_chain([]) == []


def test_an_edited_entry_is_found() -> None:
    entries = trail()
    entries[3] = dataclasses.replace(entries[3], detail="nothing happened")
    assert problems(entries) == [(4, Problem.EDITED)]


def test_an_edited_time_or_actor_is_found() -> None:
    entries = trail()
    entries[2] = dataclasses.replace(entries[2], at=entries[2].at + dt.timedelta(hours=1))
    entries[5] = dataclasses.replace(entries[5], actor="center")
    assert problems(entries) == [(3, Problem.EDITED), (6, Problem.EDITED)]


def test_an_edited_entry_with_its_hash_made_again_breaks_the_next_link() -> None:
    entries = trail()
    forged = next_entry(entries[2], entries[3].at, "technician", "maintenance.step", "forged")
    entries[3] = forged
    assert problems(entries) == [(4, Problem.BROKEN)]


def test_a_deleted_entry_is_found() -> None:
    entries = trail()
    del entries[4]
    assert problems(entries) == [(5, Problem.MISSING)]


def test_deleted_and_renumbered_entries_are_still_found() -> None:
    entries = trail()
    del entries[4]
    entries = [dataclasses.replace(entry, seq=n + 1) for n, entry in enumerate(entries)]
    assert problems(entries) == [(4, Problem.BROKEN)]


def test_a_deleted_first_entry_is_found() -> None:
    entries = trail()[1:]
    entries = [dataclasses.replace(entry, seq=n + 1) for n, entry in enumerate(entries)]
    assert problems(entries) == [(1, Problem.MISSING)]


def test_a_trail_archived_up_to_an_entry_is_checked_from_there() -> None:
    entries = trail()[3:]
    assert verify_chain(entries, first_seq=4) == []


def test_two_swapped_entries_are_found_as_reordered() -> None:
    entries = trail()
    entries[4], entries[5] = (
        dataclasses.replace(entries[5], seq=5),
        dataclasses.replace(entries[4], seq=6),
    )
    found = problems(entries)
    assert found and {problem for _, problem in found} == {Problem.REORDERED}
    assert {seq for seq, _ in found} <= {5, 6, 7}


def test_an_entry_moved_to_the_end_is_found() -> None:
    entries = trail()
    moved = entries.pop(2)
    entries.append(moved)
    entries = [dataclasses.replace(entry, seq=n + 1) for n, entry in enumerate(entries)]
    assert Problem.REORDERED in {problem for _, problem in problems(entries)}


def test_a_number_used_twice_is_found() -> None:
    entries = trail()
    entries.insert(3, entries[3])
    assert (4, Problem.REORDERED) in problems(entries)
