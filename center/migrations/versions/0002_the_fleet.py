"""The fleet in the staff console: each kiosk's health read into columns at its heartbeat, the
alerts, the stations' teams, screenshots and the kiosks' audit trails.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fleet_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("station_id", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_by", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_fleet_alerts_cleared_at"), "fleet_alerts", ["cleared_at"])
    op.create_index(op.f("ix_fleet_alerts_kiosk_id"), "fleet_alerts", ["kiosk_id"])
    op.create_table(
        "kiosk_audit",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("chained", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("kiosk_id", "seq"),
    )
    op.create_table(
        "kiosk_screenshots",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("command_id", sa.String(length=36), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("masked", sa.Boolean(), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("kiosk_id"),
    )
    op.create_table(
        "station_contacts",
        sa.Column("station_id", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "phone"),
    )
    # Kiosks seen before: green with no faults until their next heartbeat reads their health
    # (the silence sweep raises "no heartbeat" for those that stay quiet), and both counts at 1
    # so that heartbeat looks once at their alerts and at the commands waiting, and counts them.
    with op.batch_alter_table("kiosks_seen") as table:
        table.add_column(sa.Column("station_id", sa.String(length=40), nullable=True))
        table.add_column(
            sa.Column("status", sa.String(length=8), nullable=False, server_default="green")
        )
        table.add_column(
            sa.Column("faults", sa.String(length=200), nullable=False, server_default="")
        )
        table.add_column(sa.Column("paper_pct", sa.Integer(), nullable=True))
        table.add_column(sa.Column("queue_depth", sa.Integer(), nullable=True))
        table.add_column(sa.Column("oldest_unsent", sa.DateTime(timezone=True), nullable=True))
        table.add_column(
            sa.Column("version", sa.String(length=40), nullable=False, server_default="")
        )
        table.add_column(
            sa.Column("active_alerts", sa.Integer(), nullable=False, server_default="1")
        )
        table.add_column(
            sa.Column("pending_commands", sa.Integer(), nullable=False, server_default="1")
        )
    # The defaults were for the rows already there; the center always writes these columns.
    with op.batch_alter_table("kiosks_seen") as table:
        for name in ("status", "faults", "version", "active_alerts", "pending_commands"):
            table.alter_column(name, server_default=None)
        table.create_index(op.f("ix_kiosks_seen_last_seen"), ["last_seen"])
        table.create_index(op.f("ix_kiosks_seen_station_id"), ["station_id"])
        table.create_index(op.f("ix_kiosks_seen_status"), ["status"])


def downgrade() -> None:
    with op.batch_alter_table("kiosks_seen") as table:
        for index in ("status", "station_id", "last_seen"):
            table.drop_index(op.f(f"ix_kiosks_seen_{index}"))
        for name in (
            "pending_commands",
            "active_alerts",
            "version",
            "oldest_unsent",
            "queue_depth",
            "paper_pct",
            "faults",
            "status",
            "station_id",
        ):
            table.drop_column(name)
    op.drop_table("station_contacts")
    op.drop_table("kiosk_screenshots")
    op.drop_table("kiosk_audit")
    op.drop_index(op.f("ix_fleet_alerts_kiosk_id"), table_name="fleet_alerts")
    op.drop_index(op.f("ix_fleet_alerts_cleared_at"), table_name="fleet_alerts")
    op.drop_table("fleet_alerts")
