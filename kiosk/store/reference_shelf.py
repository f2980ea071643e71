"""The reference data kept in the store: what the puller writes and the screens read."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.dialects.sqlite import insert

from kiosk.store import kiosk_state
from kiosk.store.tables import reference_data
from sync.protocol.reference import ReferenceDocument, ReferenceKind

SINCE_KEY = "reference_since"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ReferenceShelf:
    """Satisfies sync.reference_pull.ReferenceShelf; `stored(kind)` for the services."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def held(self) -> dict[ReferenceKind, str]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(reference_data.c.kind, reference_data.c.etag))
            return {ReferenceKind(kind): etag for kind, etag in rows}

    def since(self) -> int:
        with self._engine.connect() as connection:
            return int(kiosk_state.read_state(connection, SINCE_KEY) or 0)

    def keep(self, documents: list[tuple[ReferenceDocument, str]], since: int) -> None:
        now = self._clock()
        with self._engine.begin() as connection:
            for document, etag in documents:
                values = {
                    "revision": document.revision,
                    "etag": etag,
                    "updated_at": document.updated_at,
                    "fetched_at": now,
                    "data": json.dumps(document.data, ensure_ascii=False),
                }
                statement = insert(reference_data).values(kind=document.kind.value, **values)
                connection.execute(
                    statement.on_conflict_do_update(index_elements=["kind"], set_=values)
                )
            kiosk_state.write_state(connection, SINCE_KEY, str(since))

    def stored(self, kind: ReferenceKind) -> dict[str, Any] | None:
        """The kept document's data, or None when this kind was never pulled."""
        with self._engine.connect() as connection:
            text = connection.execute(
                select(reference_data.c.data).where(reference_data.c.kind == kind.value)
            ).scalar_one_or_none()
        return None if text is None else json.loads(text)

    def last_pulled(self) -> dt.datetime | None:
        """When the newest document was fetched (for the heartbeat's "last sync")."""
        with self._engine.connect() as connection:
            return connection.execute(
                select(reference_data.c.fetched_at).order_by(reference_data.c.fetched_at.desc())
            ).scalar()
