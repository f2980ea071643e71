"""Tariffs as the center keeps them: rows seeded from `tariffs.toml`, read back as domain data."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from center.database import TariffRow
from rules.tariff import Tariff, unit_named

SEED_FILE = Path(__file__).with_name("tariffs.toml")


def seed_tariffs(session: Session, seed_file: Path = SEED_FILE) -> None:
    """Add the seed tariffs the database does not have yet (existing ones are left alone)."""
    known = set(session.scalars(select(TariffRow.name)))
    for entry in tomllib.loads(seed_file.read_text(encoding="utf-8"))["tariff"]:
        if entry["name"] in known:
            continue
        tariff = Tariff(
            entry["name"],
            unit_named(entry["unit"]),
            tuple(Decimal(p) for p in entry["prices"]),
            tuple(Decimal(x) for x in entry["limits"]),
        )  # built once so a bad seed fails here, with the domain's own checks
        session.add(
            TariffRow(
                name=tariff.name,
                utility=entry["utility"],
                unit=tariff.unit,
                prices=[str(p) for p in tariff.prices],
                limits=[str(x) for x in tariff.limits],
            )
        )


def tariff_of(row: TariffRow) -> Tariff:
    return Tariff(
        row.name,
        unit_named(row.unit),
        tuple(Decimal(p) for p in row.prices),
        tuple(Decimal(x) for x in row.limits),
    )


def tariff_for_utility(session: Session, utility: str) -> Tariff:
    """The first seeded tariff for a utility: what the demo data bills with."""
    row = session.scalars(
        select(TariffRow).where(TariffRow.utility == utility).order_by(TariffRow.name)
    ).first()
    if row is None:
        raise LookupError(f"no tariff for {utility}")
    return tariff_of(row)
