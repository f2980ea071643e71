"""The center's tables as they stood before its schema had migrations (the first version of
the center in service): what a database made then holds.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Written out, not taken from center.database: a migration is a snapshot. Amounts are
    # decimal text (center.database.DecimalText stores them as strings).
    op.create_table(
        "applications",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("account_number", sa.String(length=13), nullable=True),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("form", sa.JSON(), nullable=False),
        sa.Column("promised", sa.JSON(), nullable=False),
        sa.Column("on_file", sa.JSON(), nullable=False),
        sa.Column("wanted", sa.JSON(), nullable=False),
        sa.Column("identity_check_id", sa.String(length=36), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("visit_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("resubmission_of", sa.String(length=20), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stage_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number"),
        sa.UniqueConstraint("identity_check_id"),
    )
    op.create_index(
        op.f("ix_applications_account_number"), "applications", ["account_number"], unique=False
    )
    op.create_index(op.f("ix_applications_id_number"), "applications", ["id_number"], unique=False)
    op.create_index(op.f("ix_applications_kind"), "applications", ["kind"], unique=False)
    op.create_index(
        op.f("ix_applications_received_at"), "applications", ["received_at"], unique=False
    )
    op.create_index(op.f("ix_applications_scope"), "applications", ["scope"], unique=False)
    op.create_index(op.f("ix_applications_stage"), "applications", ["stage"], unique=False)
    op.create_index(op.f("ix_applications_station"), "applications", ["station"], unique=False)
    op.create_table(
        "billers",
        sa.Column("utility", sa.String(length=20), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("utility"),
    )
    op.create_table(
        "call_backs_done",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("login", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "calls",
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("station", sa.String(length=200), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("taken_by", sa.String(length=40), nullable=True),
        sa.Column("agent_name", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=12), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("kiosk_gone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("staff_gone_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("call_id"),
    )
    op.create_index(op.f("ix_calls_kiosk_id"), "calls", ["kiosk_id"], unique=False)
    op.create_index(op.f("ix_calls_state"), "calls", ["state"], unique=False)
    op.create_table(
        "command_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("command_id", sa.String(length=36), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_command_audit_command_id"), "command_audit", ["command_id"], unique=False
    )
    op.create_table(
        "enrolled_kiosks",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("secret", sa.LargeBinary(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("signature_scheme", sa.Integer(), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kiosk_id"),
        sa.UniqueConstraint("key_id"),
    )
    op.create_table(
        "enrolment_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index(
        op.f("ix_enrolment_tokens_kiosk_id"), "enrolment_tokens", ["kiosk_id"], unique=False
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer_status", sa.Integer(), nullable=True),
        sa.Column("answer_body", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("kiosk_id", "key"),
    )
    op.create_table(
        "identity_checks",
        sa.Column("check_id", sa.String(length=36), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column("challenge", sa.String(length=8), nullable=False),
        sa.Column("challenge_passed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("photo_key", sa.String(length=200), nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("check_id"),
    )
    op.create_index(
        op.f("ix_identity_checks_created_at"), "identity_checks", ["created_at"], unique=False
    )
    op.create_index(
        op.f("ix_identity_checks_kiosk_id"), "identity_checks", ["kiosk_id"], unique=False
    )
    op.create_index(op.f("ix_identity_checks_status"), "identity_checks", ["status"], unique=False)
    op.create_table(
        "kiosks_seen",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("health", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("kiosk_id"),
    )
    op.create_table(
        "payment_tombstones",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("payment_id", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.String(length=32), nullable=False),
        sa.Column("wallet", sa.String(length=12), nullable=False),
        sa.Column("method", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kiosk_id", "payment_id"),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("account_number", sa.String(length=13), nullable=False),
        sa.Column("utility", sa.String(length=20), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=True),
        sa.Column("purpose", sa.String(length=12), nullable=False),
        sa.Column("method", sa.String(length=12), nullable=False),
        sa.Column("wallet", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.String(length=32), nullable=False),
        sa.Column("periods", sa.JSON(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("refunded", sa.Boolean(), nullable=False),
        sa.Column("wallet_trade_no", sa.String(length=64), nullable=True),
        sa.Column("transaction_id", sa.String(length=32), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code_url", sa.String(length=300), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("written_off", sa.Boolean(), nullable=False),
        sa.Column("written_off_periods", sa.JSON(), nullable=False),
        sa.Column("credited", sa.String(length=32), nullable=False),
        sa.Column("receipt", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("transaction_id"),
    )
    op.create_index(
        op.f("ix_payments_account_number"), "payments", ["account_number"], unique=False
    )
    op.create_index(op.f("ix_payments_kiosk_id"), "payments", ["kiosk_id"], unique=False)
    op.create_table(
        "received_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("aggregate_type", sa.String(length=40), nullable=False),
        sa.Column("aggregate_id", sa.String(length=80), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kiosk_id", "aggregate_type", "aggregate_id", "sequence"),
    )
    op.create_index(
        op.f("ix_received_events_kiosk_id"), "received_events", ["kiosk_id"], unique=False
    )
    op.create_table(
        "remote_commands",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("message_zh", sa.String(length=300), nullable=True),
        sa.Column("message_en", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_remote_commands_kiosk_id"), "remote_commands", ["kiosk_id"], unique=False
    )
    op.create_table(
        "residents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("id_number"),
    )
    op.create_table(
        "seen_nonces",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("kiosk_id", "nonce"),
    )
    op.create_index(op.f("ix_seen_nonces_expires_at"), "seen_nonces", ["expires_at"], unique=False)
    op.create_table(
        "signals",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_signals_created_at"), "signals", ["created_at"], unique=False)
    op.create_table(
        "sms_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("about", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_sms_outbox_about"), "sms_outbox", ["about"], unique=False)
    op.create_index(op.f("ix_sms_outbox_created_at"), "sms_outbox", ["created_at"], unique=False)
    op.create_index(op.f("ix_sms_outbox_state"), "sms_outbox", ["state"], unique=False)
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("login", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login"),
    )
    op.create_table(
        "staff_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("login", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_staff_audit_at"), "staff_audit", ["at"], unique=False)
    op.create_index(op.f("ix_staff_audit_login"), "staff_audit", ["login"], unique=False)
    op.create_table(
        "staff_teams",
        sa.Column("login", sa.String(length=40), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("login"),
    )
    op.create_table(
        "tariffs",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("utility", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("prices", sa.JSON(), nullable=False),
        sa.Column("limits", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "wallet_codes",
        sa.Column("wallet", sa.String(length=12), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("out_trade_no", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("wallet", "code_hash"),
    )
    op.create_table(
        "wallet_orders",
        sa.Column("wallet", sa.String(length=12), nullable=False),
        sa.Column("out_trade_no", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("params_hash", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.String(length=32), nullable=False),
        sa.Column("behaviour", sa.String(length=24), nullable=False),
        sa.Column("after_s", sa.Double(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("charged", sa.Boolean(), nullable=False),
        sa.Column("refunded", sa.Boolean(), nullable=False),
        sa.Column("recalls_left", sa.Integer(), nullable=False),
        sa.Column("trade_no", sa.String(length=40), nullable=False),
        sa.Column("code_url", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settles_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("wallet", "out_trade_no"),
        sa.UniqueConstraint("code_url"),
    )
    op.create_table(
        "wallet_switch",
        sa.Column("scope", sa.String(length=12), nullable=False),
        sa.Column("upcoming", sa.JSON(), nullable=False),
        sa.Column("mix", sa.JSON(), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("drawn", sa.Integer(), nullable=False),
        sa.Column("default", sa.String(length=24), nullable=False),
        sa.Column("after_s", sa.Double(), nullable=False),
        sa.Column("slow_s", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("scope"),
    )
    op.create_table(
        "accounts",
        sa.Column("number", sa.String(length=13), nullable=False),
        sa.Column("utility", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("tariff_name", sa.String(length=60), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("multiplier", sa.Integer(), nullable=False),
        sa.Column("balance", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["residents.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tariff_name"],
            ["tariffs.name"],
        ),
        sa.PrimaryKeyConstraint("number"),
    )
    op.create_table(
        "application_claims",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("login", sa.String(length=40), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["number"],
            ["applications.number"],
        ),
        sa.PrimaryKeyConstraint("number"),
    )
    op.create_index(
        op.f("ix_application_claims_expires_at"), "application_claims", ["expires_at"], unique=False
    )
    op.create_table(
        "application_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("document", sa.String(length=40), nullable=True),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["number"],
            ["applications.number"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number", "role", "document", "sha256"),
    )
    op.create_index(
        op.f("ix_application_files_number"), "application_files", ["number"], unique=False
    )
    op.create_table(
        "application_progress",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("by", sa.String(length=40), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["number"],
            ["applications.number"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_application_progress_number"), "application_progress", ["number"], unique=False
    )
    op.create_table(
        "bill_claims",
        sa.Column("account_number", sa.String(length=13), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("payment_id", sa.String(length=32), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
        ),
        sa.PrimaryKeyConstraint("account_number", "period"),
    )
    op.create_index(op.f("ix_bill_claims_payment_id"), "bill_claims", ["payment_id"], unique=False)
    op.create_table(
        "call_pushes",
        sa.Column("push_id", sa.String(length=32), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("login", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("screen", sa.String(length=40), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.call_id"],
        ),
        sa.PrimaryKeyConstraint("push_id"),
    )
    op.create_index(op.f("ix_call_pushes_call_id"), "call_pushes", ["call_id"], unique=False)
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column("payment_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("red_letter_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("payment_id"),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index(
        op.f("ix_staff_sessions_staff_id"), "staff_sessions", ["staff_id"], unique=False
    )
    op.create_table(
        "vat_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("payment_id", sa.String(length=32), nullable=False),
        sa.Column("account_number", sa.String(length=13), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("tax_number", sa.String(length=20), nullable=False),
        sa.Column("delivery", sa.String(length=8), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("payment_id"),
    )
    op.create_index(
        op.f("ix_vat_requests_account_number"), "vat_requests", ["account_number"], unique=False
    )
    op.create_index(op.f("ix_vat_requests_state"), "vat_requests", ["state"], unique=False)
    op.create_table(
        "bills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_number", sa.String(length=13), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("previous_reading", sa.String(length=32), nullable=False),
        sa.Column("current_reading", sa.String(length=32), nullable=False),
        sa.Column("multiplier", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.String(length=32), nullable=False),
        sa.Column("tiers", sa.JSON(), nullable=False),
        sa.Column("amount", sa.String(length=32), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_number"],
            ["accounts.number"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_number", "period"),
    )
    op.create_index(op.f("ix_bills_account_number"), "bills", ["account_number"], unique=False)
    op.create_table(
        "documents_on_file",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("account_number", sa.String(length=13), nullable=False),
        sa.Column("document", sa.String(length=40), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["application_files.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("id_number", "account_number", "document"),
    )
    op.create_index(
        op.f("ix_documents_on_file_id_number"), "documents_on_file", ["id_number"], unique=False
    )
    op.create_table(
        "meter_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_number", sa.String(length=13), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("reading", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_number"],
            ["accounts.number"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_number", "period"),
    )
    op.create_index(
        op.f("ix_meter_readings_account_number"), "meter_readings", ["account_number"], unique=False
    )
    op.create_table(
        "invoice_titles",
        sa.Column("tax_number", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("tax_number"),
    )
    op.create_table(
        "reference_documents",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("kind"),
        sa.UniqueConstraint("revision"),
    )


def downgrade() -> None:
    op.drop_table("reference_documents")
    op.drop_table("invoice_titles")
    op.drop_index(op.f("ix_meter_readings_account_number"), table_name="meter_readings")
    op.drop_table("meter_readings")
    op.drop_index(op.f("ix_documents_on_file_id_number"), table_name="documents_on_file")
    op.drop_table("documents_on_file")
    op.drop_index(op.f("ix_bills_account_number"), table_name="bills")
    op.drop_table("bills")
    op.drop_index(op.f("ix_vat_requests_state"), table_name="vat_requests")
    op.drop_index(op.f("ix_vat_requests_account_number"), table_name="vat_requests")
    op.drop_table("vat_requests")
    op.drop_index(op.f("ix_staff_sessions_staff_id"), table_name="staff_sessions")
    op.drop_table("staff_sessions")
    op.drop_table("invoices")
    op.drop_index(op.f("ix_call_pushes_call_id"), table_name="call_pushes")
    op.drop_table("call_pushes")
    op.drop_index(op.f("ix_bill_claims_payment_id"), table_name="bill_claims")
    op.drop_table("bill_claims")
    op.drop_index(op.f("ix_application_progress_number"), table_name="application_progress")
    op.drop_table("application_progress")
    op.drop_index(op.f("ix_application_files_number"), table_name="application_files")
    op.drop_table("application_files")
    op.drop_index(op.f("ix_application_claims_expires_at"), table_name="application_claims")
    op.drop_table("application_claims")
    op.drop_table("accounts")
    op.drop_table("wallet_switch")
    op.drop_table("wallet_orders")
    op.drop_table("wallet_codes")
    op.drop_table("tariffs")
    op.drop_table("staff_teams")
    op.drop_index(op.f("ix_staff_audit_login"), table_name="staff_audit")
    op.drop_index(op.f("ix_staff_audit_at"), table_name="staff_audit")
    op.drop_table("staff_audit")
    op.drop_table("staff")
    op.drop_index(op.f("ix_sms_outbox_state"), table_name="sms_outbox")
    op.drop_index(op.f("ix_sms_outbox_created_at"), table_name="sms_outbox")
    op.drop_index(op.f("ix_sms_outbox_about"), table_name="sms_outbox")
    op.drop_table("sms_outbox")
    op.drop_index(op.f("ix_signals_created_at"), table_name="signals")
    op.drop_table("signals")
    op.drop_index(op.f("ix_seen_nonces_expires_at"), table_name="seen_nonces")
    op.drop_table("seen_nonces")
    op.drop_table("residents")
    op.drop_index(op.f("ix_remote_commands_kiosk_id"), table_name="remote_commands")
    op.drop_table("remote_commands")
    op.drop_index(op.f("ix_received_events_kiosk_id"), table_name="received_events")
    op.drop_table("received_events")
    op.drop_index(op.f("ix_payments_kiosk_id"), table_name="payments")
    op.drop_index(op.f("ix_payments_account_number"), table_name="payments")
    op.drop_table("payments")
    op.drop_table("payment_tombstones")
    op.drop_table("kiosks_seen")
    op.drop_index(op.f("ix_identity_checks_status"), table_name="identity_checks")
    op.drop_index(op.f("ix_identity_checks_kiosk_id"), table_name="identity_checks")
    op.drop_index(op.f("ix_identity_checks_created_at"), table_name="identity_checks")
    op.drop_table("identity_checks")
    op.drop_table("idempotency_keys")
    op.drop_index(op.f("ix_enrolment_tokens_kiosk_id"), table_name="enrolment_tokens")
    op.drop_table("enrolment_tokens")
    op.drop_table("enrolled_kiosks")
    op.drop_index(op.f("ix_command_audit_command_id"), table_name="command_audit")
    op.drop_table("command_audit")
    op.drop_index(op.f("ix_calls_state"), table_name="calls")
    op.drop_index(op.f("ix_calls_kiosk_id"), table_name="calls")
    op.drop_table("calls")
    op.drop_table("call_backs_done")
    op.drop_table("billers")
    op.drop_index(op.f("ix_applications_station"), table_name="applications")
    op.drop_index(op.f("ix_applications_stage"), table_name="applications")
    op.drop_index(op.f("ix_applications_scope"), table_name="applications")
    op.drop_index(op.f("ix_applications_received_at"), table_name="applications")
    op.drop_index(op.f("ix_applications_kind"), table_name="applications")
    op.drop_index(op.f("ix_applications_id_number"), table_name="applications")
    op.drop_index(op.f("ix_applications_account_number"), table_name="applications")
    op.drop_table("applications")
