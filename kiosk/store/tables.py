"""Tables the store owns besides the outbox (which `sync.queue` defines)."""

from sqlalchemy import Column, MetaData, String, Table, Text

from sync import queue

metadata = MetaData()

# Small facts about this kiosk that outlive a restart: its id, when it first started.
kiosk_state = Table(
    "kiosk_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Everything the migrations must create, for the schema check in the tests.
all_metadata = (metadata, queue.metadata)
