"""The write-ahead payment journal.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Written out, not taken from kiosk.store.tables: a migration is a snapshot.
    op.create_table(
        "payments",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("account_number", sa.String(13), nullable=False),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("amount", sa.String(20), nullable=False),
        sa.Column("periods", sa.Text, nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("wallet", sa.String(10), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("unknown_since", sa.DateTime),
        sa.Column("next_at", sa.DateTime),
        sa.Column("reversing_since", sa.DateTime),
        sa.Column("queries", sa.Integer, nullable=False),
        sa.Column("reverses", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(40)),
        sa.Column("refunded", sa.Boolean, nullable=False),
        sa.Column("waiting_for_resident", sa.Boolean, nullable=False),
        sa.Column("abandoned", sa.Boolean, nullable=False),
        sa.Column("transaction_id", sa.String(64)),
        sa.Column("paid_at", sa.DateTime),
        sa.Column("code_url", sa.Text),
        sa.Column("expires_at", sa.DateTime),
        sa.Column("invoice_number", sa.String(20)),
        sa.Column("invoice_url", sa.Text),
        sa.Column("receipt", sa.Text),
        sa.Column("receipt_status", sa.String(24), nullable=False),
        sa.Column("receipt_prints", sa.Integer, nullable=False),
    )
    op.create_index("ix_payments_state", "payments", ["state"])
    op.create_index("ix_payments_account", "payments", ["account_number"])


def downgrade() -> None:
    op.drop_index("ix_payments_account", table_name="payments")
    op.drop_index("ix_payments_state", table_name="payments")
    op.drop_table("payments")
