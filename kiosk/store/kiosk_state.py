"""Small durable facts about this kiosk (when it first started, the lock the center set, how far
its reference data is synced), kept as key/value rows."""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert

from kiosk.store.tables import kiosk_state

FIRST_STARTED_AT = "first_started_at"


def read_state(executor: Connection, key: str) -> str | None:
    return executor.execute(
        select(kiosk_state.c.value).where(kiosk_state.c.key == key)
    ).scalar_one_or_none()


def write_state(executor: Connection, key: str, value: str) -> None:
    statement = insert(kiosk_state).values(key=key, value=value)
    executor.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def keep_first(executor: Connection, key: str, value: str) -> str:
    """Write `value` unless the key already has one; return the value that is kept."""
    executor.execute(insert(kiosk_state).values(key=key, value=value).on_conflict_do_nothing())
    kept = read_state(executor, key)
    assert kept is not None  # just written or already there, inside the same transaction
    return kept
