"""Reference data pulled from the center: one document per kind, with its revision and ETag.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Written out, not taken from kiosk.store.tables: a migration is a snapshot.
    op.create_table(
        "reference_data",
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("etag", sa.String(80), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("fetched_at", sa.DateTime, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reference_data")
