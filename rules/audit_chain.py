"""The tamper-evident audit trail: each entry carries the hash of the one before it.

An entry's hash covers the previous entry's hash and its own time, actor, action and detail, so
changing an entry, removing one or moving one breaks the chain where it happened. The number of
an entry (its place) is not in the hash: a row moved to another place still proves its own
contents, and the chain tells that it is out of place. The kiosk keeps the chain and sends each
entry to the center, which holds the copy the kiosk's own chain is checked against: an attacker
who rewrites the whole file or cuts its end still disagrees with the center.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

GENESIS = "0" * 64  # what the first entry is chained to


@dataclass(frozen=True)
class AuditEntry:
    seq: int  # 1, 2, 3... its place in the trail
    at: dt.datetime  # aware, UTC
    actor: str  # who: "technician", "center", "kiosk"; never a person's data in full
    action: str  # what, in a few words: "maintenance.entered", "pin.refused"
    detail: str
    prev_hash: str
    hash: str


def entry_hash(prev_hash: str, at: dt.datetime, actor: str, action: str, detail: str) -> str:
    # JSON of a list: no two different entries can make the same text.
    text = json.dumps(
        [prev_hash, at.astimezone(dt.UTC).isoformat(), actor, action, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode()).hexdigest()


def next_entry(
    previous: AuditEntry | None, at: dt.datetime, actor: str, action: str, detail: str
) -> AuditEntry:
    """The entry that follows `previous` (None: the trail's first)."""
    prev_hash = previous.hash if previous is not None else GENESIS
    seq = previous.seq + 1 if previous is not None else 1
    at = at.astimezone(dt.UTC)
    return AuditEntry(
        seq, at, actor, action, detail, prev_hash, entry_hash(prev_hash, at, actor, action, detail)
    )


class Problem(StrEnum):
    EDITED = "edited"  # its contents are not those its hash was made of
    MISSING = "missing"  # entries are gone from the trail
    REORDERED = "reordered"  # it is chained to an entry found elsewhere in the trail
    BROKEN = "broken"  # the entry before it is not the one it was chained to


@dataclass(frozen=True)
class Break:
    seq: int
    problem: Problem
    explanation: str


def verify_chain(entries: Sequence[AuditEntry], *, first_seq: int = 1) -> list[Break]:
    """Every place where the trail is not as written, in order; empty when it is intact.

    `entries` in the order of their numbers. `first_seq`: where the trail is expected to begin
    (a trail whose oldest entries were archived begins later; its first entry is then taken
    on trust, and the center's copy checks it).
    """
    breaks: list[Break] = []
    place = {entry.hash: index for index, entry in enumerate(entries)}
    expected_seq = first_seq
    for index, entry in enumerate(entries):
        if entry.seq > expected_seq:
            gone = (
                f"entry {expected_seq} is"
                if entry.seq == expected_seq + 1
                else f"entries {expected_seq} to {entry.seq - 1} are"
            )
            breaks.append(Break(expected_seq, Problem.MISSING, f"{gone} missing"))
        elif entry.seq < expected_seq:
            breaks.append(Break(entry.seq, Problem.REORDERED, "its number appears twice"))
        if entry_hash(entry.prev_hash, entry.at, entry.actor, entry.action, entry.detail) != (
            entry.hash
        ):
            breaks.append(Break(entry.seq, Problem.EDITED, "its contents do not match its hash"))
        elif index == 0:
            if entry.seq == 1 and entry.prev_hash != GENESIS:
                breaks.append(
                    Break(entry.seq, Problem.MISSING, "the entries before it are missing")
                )
        elif entry.prev_hash != entries[index - 1].hash:
            found = place.get(entry.prev_hash)
            if found is not None:
                breaks.append(
                    Break(
                        entry.seq,
                        Problem.REORDERED,
                        f"it belongs after entry {entries[found].seq}, "
                        f"not after entry {entries[index - 1].seq}",
                    )
                )
            elif entry.seq == expected_seq:  # a gap is reported already
                breaks.append(
                    Break(
                        entries[index - 1].seq,
                        Problem.BROKEN,
                        f"entry {entry.seq} is not chained to it: it was changed, "
                        "or entries after it were removed",
                    )
                )
        expected_seq = max(expected_seq, entry.seq + 1)
    return breaks
