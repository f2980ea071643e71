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
    Boolean,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker
from sqlalchemy.pool import StaticPool


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
    category: Mapped[str] = mapped_column(String(20))  # kiosk.domain.late_fee.CustomerCategory
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
    sequence: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Database:
    engine: Engine
    sessions: sessionmaker

    def close(self) -> None:
        self.engine.dispose()


def open_database(db_url: str) -> Database:
    """Connect, create missing tables. Any SQLAlchemy URL; SQLite gets what threads need."""
    options: dict[str, Any] = {}
    if db_url.startswith("sqlite"):
        # FastAPI runs handlers in a thread pool: one connection may serve several threads.
        options["connect_args"] = {"check_same_thread": False, "timeout": 15}
        if db_url in ("sqlite://", "sqlite:///:memory:"):
            options["poolclass"] = StaticPool  # one shared in-memory database
    engine = create_engine(db_url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    Base.metadata.create_all(engine)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
