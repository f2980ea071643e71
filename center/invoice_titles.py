"""The register of organisations' invoice titles (发票抬头), by tax number: a resident asking for
a VAT invoice at the kiosk types the tax number on its keys, and the title comes from here, so
nobody types a company's Chinese name on a touch screen.

The reference center fills it with the demo's companies (assets/demo/companies.toml); a real
center answers from its customer records or the tax authority's register. Organisations' names
and tax numbers are public facts, not personal data.
"""

from __future__ import annotations

import tomllib
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from center.database import Base
from center.errors import Refusal
from center.kiosk_auth import KIOSK_ONLY
from rules.tax_number import normalise, tax_number_problem
from sync.protocol.history import INVOICE_TITLES_PATH, InvoiceTitle

COMPANIES_FILE = FilePath(__file__).resolve().parents[1] / "assets" / "demo" / "companies.toml"


class InvoiceTitleRow(Base):
    __tablename__ = "invoice_titles"

    tax_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))


def title_of(session: Session, tax_number: str) -> str | None:
    row = session.get(InvoiceTitleRow, normalise(tax_number))
    return row.title if row is not None else None


def register_title(session: Session, tax_number: str, title: str) -> None:
    """Add or correct one organisation's title. Raises ValueError for a wrong tax number."""
    number = normalise(tax_number)
    problem = tax_number_problem(number)
    if problem is not None or not title.strip():
        raise ValueError(f"not a title to register ({problem or 'no title'})")
    row = session.get(InvoiceTitleRow, number)
    if row is None:
        session.add(InvoiceTitleRow(tax_number=number, title=title.strip()))
    else:
        row.title = title.strip()


def load_demo_titles(session: Session, companies_file: FilePath = COMPANIES_FILE) -> int:
    """Fill an empty register with the demo's companies: how many were added."""
    if session.scalar(select(func.count()).select_from(InvoiceTitleRow)):
        return 0
    with companies_file.open("rb") as file:
        companies = tomllib.load(file)["company"]
    for company in companies:
        register_title(session, company["tax_number"], company["title"])
    return len(companies)


def invoice_title_routes(sessions: sessionmaker[Session]) -> APIRouter:
    router = APIRouter()

    @router.get(
        INVOICE_TITLES_PATH + "/{tax_number}",
        response_model=InvoiceTitle,
        dependencies=[KIOSK_ONLY],
    )
    def invoice_title(
        tax_number: Annotated[str, Path(pattern=r"^[0-9A-Za-z]{15,20}$")],
    ) -> InvoiceTitle:
        number = normalise(tax_number)
        if tax_number_problem(number) is not None:
            raise Refusal(422, "invalid_tax_number", "not a taxpayer number")
        with sessions() as session:
            title = title_of(session, number)
        if title is None:
            raise Refusal(404, "title_not_found", "no organisation has this tax number here")
        return InvoiceTitle(tax_number=number, title=title)

    return router
