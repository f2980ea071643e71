"""What the use cases need from the outside world, as contracts.

The center client (`sync.client.CenterClient`) and the local store (`kiosk.store.Store`) satisfy
these; the composition root hands in the real ones.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Protocol, Self

from sync.protocol import AccountBill, AccountSummary


class Center(Protocol):
    def account_bill(self, number: str) -> AccountBill: ...

    def accounts_for_id_number(self, id_number: str) -> list[AccountSummary]: ...


class Outbox(Protocol):
    def add(
        self, event: object, *, aggregate_type: str | None = None, aggregate_id: str | None = None
    ) -> uuid.UUID: ...


class UnitOfWork(Protocol):
    """One transaction: business rows and the events that report them commit together."""

    outbox: Outbox

    def __enter__(self) -> Self: ...

    def __exit__(self, *args: object) -> None: ...

    def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
