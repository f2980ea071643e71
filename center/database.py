"""The center's tables (SQLAlchemy 2, declarative) and how a database is opened.

Money and quantities are stored as decimal text so no float ever rounds a bill.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)
from sqlalchemy.pool import StaticPool

from sync.protocol.fleet import CommandKind, CommandStatus

# The key of the center's one writers' lock on PostgreSQL (any constant; "kiosk" in ASCII).
WRITERS_LOCK = 0x6B696F736B


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal kept as text: exact on SQLite, which has no decimal type."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: str | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


class Base(DeclarativeBase):
    pass


class TariffRow(Base):
    __tablename__ = "tariffs"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    utility: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(8))
    prices: Mapped[list[str]] = mapped_column(JSON)  # yuan per unit as decimal text, tier 1 first
    limits: Mapped[list[str]] = mapped_column(JSON)  # annual cumulative breakpoints


class ResidentRow(Base):
    __tablename__ = "residents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(200))

    accounts: Mapped[list[AccountRow]] = relationship(back_populates="holder")


class AccountRow(Base):
    __tablename__ = "accounts"

    number: Mapped[str] = mapped_column(String(13), primary_key=True)
    utility: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(20))  # rules.late_fee.CustomerCategory
    tariff_name: Mapped[str] = mapped_column(ForeignKey("tariffs.name"))
    holder_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    address: Mapped[str] = mapped_column(String(200))
    multiplier: Mapped[int] = mapped_column(Integer, default=1)
    balance: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal("0.00"))

    holder: Mapped[ResidentRow] = relationship(back_populates="accounts")
    tariff: Mapped[TariffRow] = relationship()


class MeterReadingRow(Base):
    """The meter's index at the end of a month."""

    __tablename__ = "meter_readings"
    __table_args__ = (UniqueConstraint("account_number", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"), index=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    reading: Mapped[Decimal] = mapped_column(DecimalText)


class BillRow(Base):
    __tablename__ = "bills"
    __table_args__ = (UniqueConstraint("account_number", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    previous_reading: Mapped[Decimal] = mapped_column(DecimalText)
    current_reading: Mapped[Decimal] = mapped_column(DecimalText)
    multiplier: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[Decimal] = mapped_column(DecimalText)
    tiers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # TierCharge fields, decimal text
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    due_date: Mapped[dt.date] = mapped_column(Date)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)


class ReceivedEventRow(Base):
    """Every event a kiosk delivered, once: the id is the deduplication key."""

    __tablename__ = "received_events"
    __table_args__ = (UniqueConstraint("kiosk_id", "aggregate_type", "aggregate_id", "sequence"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    type: Mapped[str] = mapped_column(String(80))
    aggregate_type: Mapped[str] = mapped_column(String(40))
    aggregate_id: Mapped[str] = mapped_column(String(80))
    # A kiosk numbers an aggregate's events as SQLite counts: in 64 bits.
    sequence: Mapped[int] = mapped_column(BigInteger)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class BillerRow(Base):
    """Who collects for a utility (joint utility payment): the merchant the wallets pay."""

    __tablename__ = "billers"

    utility: Mapped[str] = mapped_column(String(20), primary_key=True)
    merchant_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(60))


class IdempotencyKeyRow(Base):
    """The first answer given for an Idempotency-Key, replayed for every retry (Stripe's model).

    Keys belong to the kiosk that sent them: another kiosk's key is another key. Inserted and
    committed before the request is worked on, so a concurrent duplicate finds it `processing`
    and is told to come back later. Holds a hash of the request, never its body.
    """

    __tablename__ = "idempotency_keys"

    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))  # processing | done
    locked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    answer_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answer_body: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class PaymentRow(Base):
    """One payment at the center, owned by the kiosk that created it: no other kiosk may see
    or change it. `status` is a PaymentStatus value, or `submitting` while the wallet is being
    asked for the first time. The payment code is kept only as a hash."""

    __tablename__ = "payments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    account_number: Mapped[str] = mapped_column(String(13), index=True)
    utility: Mapped[str] = mapped_column(String(20))
    merchant_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    purpose: Mapped[str] = mapped_column(String(12))
    method: Mapped[str] = mapped_column(String(12))
    wallet: Mapped[str] = mapped_column(String(12))
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    # [{"period", "amount", "late_fee"}] as fixed when the payment was created.
    periods: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    refunded: Mapped[bool] = mapped_column(Boolean, default=False)
    wallet_trade_no: Mapped[str | None] = mapped_column(String(64), nullable=True)
    transaction_id: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True)
    paid_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    code_url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The write-off, done once and undone once: which bills it paid, what went to the balance.
    written_off: Mapped[bool] = mapped_column(Boolean, default=False)
    written_off_periods: Mapped[list[str]] = mapped_column(JSON, default=list)
    credited: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal("0.00"))
    receipt: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PaymentTombstoneRow(Base):
    """A kiosk reversed or closed a payment id the center had never seen from it: a late
    create of that id by that kiosk is answered closed and never charges."""

    __tablename__ = "payment_tombstones"

    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    payment_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # What a late create asked for, so its answer names it (the defaults until one comes).
    amount: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal("0.00"))
    wallet: Mapped[str] = mapped_column(String(12), default="wechat")
    method: Mapped[str] = mapped_column(String(12), default="code")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class BillClaimRow(Base):
    """A bill period taken by one open payment: the primary key lets no second payment claim
    it, whatever the route or the race. Deleted when that payment settles (paid: the bill's
    `paid` guards it from then on; failed, closed, reversed: it may be paid again)."""

    __tablename__ = "bill_claims"

    account_number: Mapped[str] = mapped_column(String(13), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), index=True)
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class InvoiceRow(Base):
    """A fully digital e-invoice (数电票), one per paid payment; a refund adds a red-letter note."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    red_letter_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )


class WalletOrderRow(Base):
    """An order as a simulated wallet keeps it, in neutral terms (center/wallets/ledger.py)."""

    __tablename__ = "wallet_orders"

    wallet: Mapped[str] = mapped_column(String(12), primary_key=True)
    out_trade_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # micropay | native
    params_hash: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    behaviour: Mapped[str] = mapped_column(String(24))
    after_s: Mapped[float] = mapped_column(default=2.0)
    state: Mapped[str] = mapped_column(String(12))
    charged: Mapped[bool] = mapped_column(Boolean, default=False)
    refunded: Mapped[bool] = mapped_column(Boolean, default=False)
    recalls_left: Mapped[int] = mapped_column(Integer, default=0)
    trade_no: Mapped[str] = mapped_column(String(40))
    code_url: Mapped[str | None] = mapped_column(String(300), nullable=True, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    settles_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    paid_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WalletCodeRow(Base):
    """A payment code a wallet has seen (as a hash): single use, whatever became of the order."""

    __tablename__ = "wallet_codes"

    wallet: Mapped[str] = mapped_column(String(12), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    out_trade_no: Mapped[str] = mapped_column(String(32))


class WalletSwitchRow(Base):
    """How the simulated wallets behave for the next orders: scope is a wallet or `any`."""

    __tablename__ = "wallet_switch"

    scope: Mapped[str] = mapped_column(String(12), primary_key=True)
    upcoming: Mapped[list[str]] = mapped_column(JSON, default=list)
    mix: Mapped[dict[str, int] | None] = mapped_column(JSON, nullable=True)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    drawn: Mapped[int] = mapped_column(Integer, default=0)
    default: Mapped[str] = mapped_column(String(24), default="success")
    after_s: Mapped[float] = mapped_column(default=2.0)
    slow_s: Mapped[float] = mapped_column(default=0.0)  # a slow wallet: seconds per new pay


class EnrolledKioskRow(Base):
    """A kiosk's signing key (center/kiosk_auth.py). The secret is answered once, at enrolment."""

    __tablename__ = "enrolled_kiosks"

    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(40), unique=True)
    secret: Mapped[bytes] = mapped_column(LargeBinary(64))
    status: Mapped[str] = mapped_column(String(12))  # active | revoked
    # The newest signature scheme the kiosk has signed with: an older one is refused from it.
    signature_scheme: Mapped[int] = mapped_column(Integer, default=1)
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class EnrolmentTokenRow(Base):
    """A one-time enrolment token, kept as its SHA-256 only."""

    __tablename__ = "enrolment_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SeenNonceRow(Base):
    """A signed request's nonce, kept while its timestamp is inside the replay window. In the
    database, not in a process, so every center process behind the balancer sees it."""

    __tablename__ = "seen_nonces"

    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)  # UTC seconds


class KioskSeenRow(Base):
    """Each kiosk's last heartbeat: when, and the health it reported (center/fleet.py)."""

    __tablename__ = "kiosks_seen"

    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    health: Mapped[dict[str, Any]] = mapped_column(JSON)  # sync.protocol.fleet.KioskHealth
    # Read off the health at each heartbeat (center/fleet_status.py), so the fleet page filters
    # and counts ten thousand kiosks in SQL instead of reading every report.
    station_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(8), default="green", index=True)  # red|amber|green
    faults: Mapped[str] = mapped_column(String(200), default="")  # "printer scanner", for people
    paper_pct: Mapped[int | None] = mapped_column(Integer, nullable=True)
    queue_depth: Mapped[int | None] = mapped_column(Integer, nullable=True)
    oldest_unsent: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    version: Mapped[str] = mapped_column(String(40), default="")
    # Kept up to date beside the rows they count, so a heartbeat of a kiosk with neither (most)
    # reads no other table: alerts raised and not resolved, commands waiting for it.
    active_alerts: Mapped[int] = mapped_column(Integer, default=0)
    pending_commands: Mapped[int] = mapped_column(Integer, default=0)


class RemoteCommandRow(Base):
    """A command for one kiosk: pending until the kiosk acknowledges it done or failed."""

    __tablename__ = "remote_commands"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[CommandKind] = mapped_column(String(20))
    message_zh: Mapped[str | None] = mapped_column(String(300), nullable=True)
    message_en: Mapped[str | None] = mapped_column(String(300), nullable=True)
    status: Mapped[CommandStatus] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    acked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CommandAuditRow(Base):
    """What happened to a command and who did it: issued by an operator, delivered, acked."""

    __tablename__ = "command_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    command_id: Mapped[str] = mapped_column(String(36), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))  # issued | delivered | done | failed
    actor: Mapped[str] = mapped_column(String(40))  # operator | kiosk id
    detail: Mapped[str | None] = mapped_column(String(200), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FleetAlertRow(Base):
    """Something wrong with a kiosk (center/fleet_status.py): raised when it appears, marked
    resolved when it goes, and listed until a person clears it."""

    __tablename__ = "fleet_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    station_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    kind: Mapped[str] = mapped_column(String(40))  # paper_low, device_fault:scanner, ...
    detail: Mapped[str] = mapped_column(String(200), default="")
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cleared_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )
    cleared_by: Mapped[str | None] = mapped_column(String(40), nullable=True)


class StationContactRow(Base):
    """Whom to tell by SMS when a kiosk of a station needs someone (`kiosk-center station`)."""

    __tablename__ = "station_contacts"

    station_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), default="")


class KioskScreenshotRow(Base):
    """The last screenshot a kiosk sent when asked (personal data blurred at the kiosk)."""

    __tablename__ = "kiosk_screenshots"

    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    command_id: Mapped[str] = mapped_column(String(36))
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    masked: Mapped[bool] = mapped_column(Boolean)
    png: Mapped[bytes] = mapped_column(LargeBinary)


class KioskAuditRow(Base):
    """One entry of a kiosk's audit trail as the kiosk chained it (rules.audit_chain).
    `chained`: whether its prev_hash is the hash of the entry before it held here (None: that
    entry is not held)."""

    __tablename__ = "kiosk_audit"

    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(String(500))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    chained: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class StaffRow(Base):
    """A person at the center who signs in to the staff console (center/staff/accounts.py)."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(12))  # center.staff.accounts.Role
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, with its parameters
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class StaffSessionRow(Base):
    """A signed-in browser: the cookie's token is kept only as its hash."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class StaffAuditRow(Base):
    """Every staff action: who, what, when, and which kiosk when one is concerned."""

    __tablename__ = "staff_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(40), index=True)
    action: Mapped[str] = mapped_column(String(40))
    kiosk_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str | None] = mapped_column(String(200), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class CallBackDoneRow(Base):
    """A resident's call-back request (a `help.call_back_requested` event) someone answered."""

    __tablename__ = "call_backs_done"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    login: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SignalRow(Base):
    """One message for a channel of the signal bus (center/calls/bus.py): how what one center
    process is told reaches a socket held by another. Purged after a minute or two."""

    __tablename__ = "signals"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class CallRow(Base):
    """A video-help call (center/calls/registry.py): waiting, taken by one agent, then ended.
    The `*_gone_at` moments mark a side whose socket closed without hanging up: the call ends
    link_lost unless that side comes back in time."""

    __tablename__ = "calls"

    call_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    station: Mapped[str] = mapped_column(String(200))
    context: Mapped[dict[str, Any]] = mapped_column(JSON)  # sync.protocol.calls.CallContext
    state: Mapped[str] = mapped_column(String(8), index=True)  # waiting | taken | ended
    taken_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    agent_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(12), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    kiosk_gone_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    staff_gone_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )


class CallPushRow(Base):
    """Help staff pushed to a kiosk during a call, and what the kiosk said it did with it."""

    __tablename__ = "call_pushes"

    push_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.call_id"), index=True)
    login: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    screen: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(String(500), default="")
    pushed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    detail: Mapped[str | None] = mapped_column(String(200), nullable=True)


@dataclass(frozen=True)
class Database:
    engine: Engine
    sessions: sessionmaker

    def close(self) -> None:
        self.engine.dispose()


def all_tables() -> MetaData:
    """The center's tables, every module's: made, migrated and compared as one."""
    import center.business.tables
    import center.history
    import center.invoice_titles
    import center.reference_data  # noqa: F401  (their tables join Base's metadata)

    return Base.metadata


def open_database(db_url: str) -> Database:
    """Connect; make the tables, or migrate them to this version (center/schema.py). Any
    SQLAlchemy URL; SQLite gets what threads need."""
    options: dict[str, Any] = {}
    if db_url.startswith("sqlite"):
        # FastAPI runs handlers in a thread pool: one connection may serve several threads.
        options["connect_args"] = {"check_same_thread": False, "timeout": 15}
        if _in_memory(db_url):
            options["poolclass"] = StaticPool  # one shared in-memory database
    engine = create_engine(db_url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    from center.schema import bring_up_to_date

    metadata = all_tables()

    with engine.begin() as connection:
        # Several center processes may start at once on one PostgreSQL: one makes or migrates
        # the tables, the others find them at the newest revision.
        _lock_writers(connection)
        bring_up_to_date(connection, metadata)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back naive; every moment the center stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def write_lock(session: Session) -> None:
    """Take the database's write lock now, as the transaction's first statement, so what the
    transaction reads cannot change before it writes (SQLite: BEGIN IMMEDIATE; pysqlite then
    issues no BEGIN of its own). PostgreSQL: a transaction-scoped advisory lock, the same one
    in every center process, so writers queue exactly as on SQLite and each then reads what
    the one before committed (READ COMMITTED takes a fresh snapshot per statement)."""
    _lock_writers(session.connection())


def _lock_writers(connection: Connection) -> None:
    dialect = connection.dialect.name
    if dialect == "sqlite" and not _in_memory(str(connection.engine.url)):
        connection.execute(text("BEGIN IMMEDIATE"))
    elif dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITERS_LOCK})


def _in_memory(db_url: str) -> bool:
    # One connection shared by every session (StaticPool): nothing to lock against.
    return db_url in ("sqlite://", "sqlite:///:memory:")


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # A payment's state is answered only once it is on disk: survive a power cut too.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
