"""The hardened queue: per-aggregate counters, sealed personal fields, running totals.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Written out, not taken from sync.queue: a migration is a snapshot.
    op.add_column("outbox", sa.Column("sealed", sa.LargeBinary, nullable=True))
    op.create_table(
        "outbox_aggregates",
        sa.Column("aggregate_type", sa.String(40), primary_key=True),
        sa.Column("aggregate_id", sa.String(80), primary_key=True),
        sa.Column("last_sequence", sa.Integer, nullable=False),
    )
    # Numbering goes on from what the outbox already holds.
    op.execute(
        "INSERT INTO outbox_aggregates (aggregate_type, aggregate_id, last_sequence) "
        "SELECT aggregate_type, aggregate_id, MAX(sequence) FROM outbox "
        "GROUP BY aggregate_type, aggregate_id"
    )
    op.create_table(
        "outbox_totals",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.execute(
        "INSERT INTO outbox_totals (name, value) "
        "SELECT 'delivered', COUNT(*) FROM outbox WHERE acknowledged_at IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_table("outbox_totals")
    op.drop_table("outbox_aggregates")
    op.drop_column("outbox", "sealed")
