"""The center's tables brought to this version at start: made new at the newest revision, or
migrated by Alembic (center/migrations) from whatever revision the database is at.

A database made before the center had migrations has no revision of its own: it is told by its
tables (see `made_before_migrations`) and marked with the revision it matches, then migrated.
A database at a revision this center does not know (made by a newer center) is refused with a
plain error rather than run against tables it does not understand.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, MetaData, inspect, text

HEAD_REVISION = "0002"
MIGRATIONS = Path(__file__).parent / "migrations"
KNOWN_REVISIONS = ("0001", "0002")


class SchemaError(RuntimeError):
    """The database cannot be brought to this center's tables; the message says why."""


def bring_up_to_date(connection: Connection, metadata: MetaData) -> str | None:
    """Make or migrate the tables on `connection` (in its transaction, with the writers' lock
    held); the revision the database was at (None: it was new)."""
    tables = set(inspect(connection).get_table_names())
    if not tables:
        # Made from the tables as the code declares them and marked as at the newest revision
        # (a test holds the migrations to the same schema).
        metadata.create_all(connection)
        _alembic(connection, "stamp", HEAD_REVISION)
        return None
    if "alembic_version" in tables:
        was = current_revision(connection)
        if was == HEAD_REVISION:
            return was
        if was not in KNOWN_REVISIONS:
            raise SchemaError(
                f"the center's database is at revision {was}, which this center does not know "
                f"(it knows up to {HEAD_REVISION}): a newer center made it; run that version "
                "again, or restore the database's backup from before it"
            )
    else:
        was = made_before_migrations(connection)
        _alembic(connection, "stamp", was)
    _alembic(connection, "upgrade", HEAD_REVISION)
    return was


def current_revision(connection: Connection) -> str | None:
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def made_before_migrations(connection: Connection) -> str:
    """The revision an unmarked database matches: 0002 when its kiosks' rows already carry
    the fleet's columns (the first center with the fleet pages made them without a migration),
    else 0001."""
    columns = {column["name"] for column in inspect(connection).get_columns("kiosks_seen")}
    return "0002" if "status" in columns else "0001"


def _alembic(connection: Connection, action: str, revision: str) -> None:
    # Imported here: a center whose database is at the newest revision never loads Alembic.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    if action == "stamp":
        command.stamp(config, revision)
    else:
        command.upgrade(config, revision)
