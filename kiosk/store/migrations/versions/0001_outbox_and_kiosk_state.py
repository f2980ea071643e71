"""The outbox and the kiosk's key/value state.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Written out, not taken from sync.queue: a migration is a snapshot and must not change
    # when the code's table does. The tests check that the two agree.
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("type", sa.String(80), nullable=False),
        sa.Column("aggregate_type", sa.String(40), nullable=False),
        sa.Column("aggregate_id", sa.String(80), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("occurred_at", sa.DateTime, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("acknowledged_at", sa.DateTime, nullable=True),
        sa.Column("retry_after", sa.DateTime, nullable=True),
        sa.Column("parked_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint(
            "aggregate_type", "aggregate_id", "sequence", name="uq_outbox_aggregate_seq"
        ),
    )
    op.create_index("ix_outbox_pending", "outbox", ["acknowledged_at", "parked_at"])
    op.create_table(
        "kiosk_state",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kiosk_state")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_table("outbox")
