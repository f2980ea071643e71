"""What every event payload is built on: the base class and the field types events share."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

from pydantic import AwareDatetime, Field, PlainSerializer

from sync.protocol.schemas import _Message


def _iso(value: dt.datetime) -> str:
    return value.isoformat()


# An aware datetime, written as Python's isoformat ("2026-03-01T09:30:00+00:00"): the form the
# kiosk has always sent inside payloads.
Instant = Annotated[AwareDatetime, PlainSerializer(_iso, return_type=str)]
ShortText = Annotated[str, Field(max_length=200)]


class EventPayload(_Message):
    """What one event says. Subclasses name their envelope's `type` and `aggregate_type`."""

    event_type: ClassVar[str]
    aggregate_type: ClassVar[str]
