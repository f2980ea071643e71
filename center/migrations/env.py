"""Alembic environment: runs on the connection `center.schema` hands over.

There is no URL and no ini file: the center opens its engine and migrates inside the
transaction that holds the writers' lock, so several workers starting at once on one
PostgreSQL take turns instead of all migrating.
"""

from alembic import context

from center.database import all_tables

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=all_tables(),
    # SQLite alters tables by copying them.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
