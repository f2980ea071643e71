"""The kiosk's local store: one SQLite file, its migrations, the unit of work and the outbox."""

from kiosk.store.database import Store, StoreError, open_store
from kiosk.store.outbox import InvalidEvent, Outbox
from kiosk.store.unit_of_work import UnitOfWork

__all__ = ["InvalidEvent", "Outbox", "Store", "StoreError", "UnitOfWork", "open_store"]
