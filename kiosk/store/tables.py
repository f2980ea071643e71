"""Tables the store owns besides the outbox (which `sync.queue` defines)."""

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text

from sync import queue
from sync.queue import UtcDateTime

metadata = MetaData()

# Small facts about this kiosk that outlive a restart (kiosk_state.py says which).
kiosk_state = Table(
    "kiosk_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# The write-ahead payment journal: one row per payment, rewritten at every state change and
# committed before the kiosk acts on that state. Never holds a payment code.
payments = Table(
    "payments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_number", String(13), nullable=False),
    Column("purpose", String(10), nullable=False),
    Column("amount", String(20), nullable=False),  # decimal text: no float touches money
    Column("periods", Text, nullable=False),  # JSON list of YYYY-MM
    Column("method", String(10), nullable=False),
    Column("wallet", String(10), nullable=False),
    Column("state", String(12), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("unknown_since", UtcDateTime),
    Column("next_at", UtcDateTime),
    Column("reversing_since", UtcDateTime),
    Column("queries", Integer, nullable=False),
    Column("reverses", Integer, nullable=False),
    Column("reason", String(40)),
    Column("refunded", Boolean, nullable=False),
    Column("waiting_for_resident", Boolean, nullable=False),
    Column("abandoned", Boolean, nullable=False),
    Column("transaction_id", String(64)),
    Column("paid_at", UtcDateTime),
    Column("code_url", Text),
    Column("expires_at", UtcDateTime),
    Column("invoice_number", String(20)),
    Column("invoice_url", Text),
    Column("receipt", Text),  # the center's ReceiptFacts as JSON (masked already)
    Column("receipt_status", String(24), nullable=False),
    Column("receipt_prints", Integer, nullable=False),
    Index("ix_payments_state", "state"),
    Index("ix_payments_account", "account_number"),
)

# Reference data pulled from the center (sync.reference_pull): one document per kind, as JSON.
reference_data = Table(
    "reference_data",
    metadata,
    Column("kind", String(20), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("etag", String(80), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("fetched_at", UtcDateTime, nullable=False),
    Column("data", Text, nullable=False),
)

# The tamper-evident audit trail (rules.audit_chain): appended only, each entry chained by hash to
# the one before it, and each sent to the center.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("action", String(60), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# Everything the migrations must create, for the schema check in the tests.
all_metadata = (metadata, queue.metadata)
