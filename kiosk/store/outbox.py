"""The unit of work's outbox: turns domain events into outbox rows in the current transaction.

An event is one of the protocol's typed payloads (sync.protocol.events), which is what the
kiosk's own code queues; a dataclass or a dict is taken too (tests, tools). What the outbox
needs from it:
- `type`: the payload schema's `event_type`, a dict's "type" key, else the dataclass's
  `event_type` attribute, else its class name;
- `aggregate_type`, `aggregate_id`: attributes/keys of those names (a ClassVar is fine for the
  type), or given to `add()`;
- `occurred_at`: given to `add()`, else an aware datetime attribute/key, else the unit of
  work's clock.
Every other field is the payload, except those named in `add(..., personal=...)`: ID numbers,
names, addresses. Those are sealed (encrypted) in the row and opened only to be sent; the store
is given its sealer by the composition root (`open_store(..., sealing=...)`) and hands it on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from uuid import UUID

from sync import queue
from sync.protocol.events import EventPayload
from sync.queue import InvalidEvent

_ENVELOPE_KEYS = ("type", "event_type", "aggregate_type", "aggregate_id", "occurred_at")


def _fields(event: object) -> tuple[dict[str, Any], str]:
    """The event's fields and its default type name."""
    if isinstance(event, EventPayload):
        fields = event.model_dump(mode="json")
        fields["event_type"] = event.event_type
        fields["aggregate_type"] = event.aggregate_type
        return fields, event.event_type
    if isinstance(event, Mapping):
        return dict(event), ""
    if dataclasses.is_dataclass(event) and not isinstance(event, type):
        fields = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
        # Class-level facts (ClassVar) are not dataclass fields but still describe the event.
        for key in ("event_type", "aggregate_type"):
            if key not in fields and hasattr(event, key):
                fields[key] = getattr(event, key)
        return fields, type(event).__name__
    raise InvalidEvent(f"an event must be a dataclass or a dict, not {type(event).__name__}")


def _aggregate_id(value: object) -> str:
    # Ids may be UUIDs or numbers in the domain; the protocol carries text.
    return str(value) if isinstance(value, UUID | int) else value  # type: ignore[return-value]


class Outbox:
    """Collects events into the unit of work's transaction; they commit with the business change."""

    def __init__(
        self,
        transaction: queue.InTransaction,
        clock: Callable[[], dt.datetime],
        sealing: queue.Sealing | None = None,
    ) -> None:
        self._transaction = transaction
        self._clock = clock
        self._sealing = sealing
        self.added: list[UUID] = []

    def add(
        self,
        event: object,
        *,
        aggregate_type: str | None = None,
        aggregate_id: str | None = None,
        occurred_at: dt.datetime | None = None,
        personal: Iterable[str] = (),
    ) -> UUID:
        """Queue one event; raises `InvalidEvent` (writing nothing) if it lacks what is needed.

        `personal` names the fields to seal, e.g. `add(event, personal={"id_number", "name"})`.
        """
        fields, default_type = _fields(event)
        envelope = {key: fields.pop(key, None) for key in _ENVELOPE_KEYS}
        if isinstance(fields.get("payload"), Mapping) and len(fields) == 1:
            fields = dict(fields["payload"])
        names = set(personal)
        if names - set(fields):
            raise InvalidEvent(f"personal fields not in the event: {sorted(names - set(fields))}")
        secret = {name: fields.pop(name) for name in names}
        event_id = queue.enqueue(
            self._transaction,
            type=envelope["type"] or envelope["event_type"] or default_type,
            aggregate_type=aggregate_type or envelope["aggregate_type"],
            aggregate_id=_aggregate_id(aggregate_id or envelope["aggregate_id"]),
            payload=fields,
            occurred_at=occurred_at or envelope["occurred_at"] or self._clock(),
            personal=secret,
            sealing=self._sealing,
        )
        self.added.append(event_id)
        return event_id

    def add_all(self, events: Iterable[object]) -> list[UUID]:
        return [self.add(event) for event in events]


__all__ = ["InvalidEvent", "Outbox"]
