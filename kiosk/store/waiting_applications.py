"""Applications still in this kiosk's queue: made here, not yet acknowledged by the center."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from sync.protocol.business import ApplicationSubmitted
from sync.queue import Sealing, outbox


@dataclass(frozen=True)
class WaitingApplication:
    number: str
    kind: str
    submitted_at: dt.datetime


def waiting_applications(
    connection: Any, sealing: Sealing | None, id_number: str | None = None
) -> list[WaitingApplication]:
    """Those of `id_number` only when given: their sealed form is opened for that, in memory,
    and dropped; one that cannot be opened is left out (it is not this person's to see)."""
    rows = connection.execute(
        select(outbox.c.id, outbox.c.payload, outbox.c.sealed).where(
            outbox.c.type == ApplicationSubmitted.event_type,
            outbox.c.acknowledged_at.is_(None),
        )
    ).all()
    found = []
    for row in rows:
        if id_number is not None:
            try:
                opened = sealing.open(row.sealed, row.id) if sealing and row.sealed else {}
            except ValueError:
                continue
            if opened.get("form", {}).get("id_number") != id_number:
                continue
        payload = json.loads(row.payload)
        found.append(
            WaitingApplication(
                payload["number"],
                payload["kind"],
                dt.datetime.fromisoformat(payload["submitted_at"]),
            )
        )
    return found
