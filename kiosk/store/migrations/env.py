"""Alembic environment: runs on the connection `kiosk.store.database` hands over.

There is no URL and no ini file: the store opens the engine (with its pragmas and BEGIN
IMMEDIATE) and migrates inside that transaction, so two processes opening the store at once
take turns instead of both creating tables.
"""

from alembic import context

from kiosk.store.tables import all_metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=list(all_metadata),
    # SQLite alters tables by copying them.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
