"""Reference data (protocol v1): what the center publishes for every kiosk to keep locally.

Four kinds, each one document with a revision: tariffs, notices for the idle screen, the
knowledge base (energy-saving advice, service commitments, business guides) and kiosk settings.

    GET /v1/reference?since=R      -> ReferenceIndex: the kinds published after revision R
    GET /v1/reference/{kind}       -> ReferenceDocument, with an ETag; If-None-Match -> 304

A kiosk asks the index (one small answer when nothing changed) and fetches only what changed,
each with the ETag it holds, so a fleet polling often costs the center little.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sync.protocol.schemas import Money, Price, Quantity, Utility


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReferenceKind(StrEnum):
    TARIFFS = "tariffs"
    NOTICES = "notices"
    KNOWLEDGE = "knowledge"
    SETTINGS = "settings"


class Text(_Message):
    """One text in both languages of the screen."""

    zh: Annotated[str, Field(min_length=1, max_length=2000)]
    en: Annotated[str, Field(min_length=1, max_length=4000)]


class TariffInfo(_Message):
    """A tiered tariff as residents are told it; `limits` are annual cumulative breakpoints."""

    name: Annotated[str, Field(min_length=1, max_length=60)]
    utility: Utility
    unit: Annotated[str, Field(pattern=r"^(kWh|m3)$")]
    prices: Annotated[list[Price], Field(min_length=1, max_length=3)]
    limits: Annotated[list[Quantity], Field(max_length=2)]
    note: Text | None = None

    @model_validator(mode="after")
    def _one_limit_between_prices(self) -> TariffInfo:
        if len(self.limits) != len(self.prices) - 1:
            raise ValueError("a tariff needs one breakpoint fewer than it has prices")
        if any(
            low >= high for low, high in zip([Decimal(0), *self.limits], self.limits, strict=False)
        ):
            raise ValueError("breakpoints must be positive and rising")
        return self


class Tariffs(_Message):
    tariffs: list[TariffInfo]
    explanation: Text | None = None


Month = Annotated[int, Field(ge=1, le=12)]


class Notice(_Message):
    """A notice for the idle screen, shown from `starts` to `ends` (inclusive) when given, and
    in its season: only in `months` (1-12), every year, when given. Advice for summer (air
    conditioners) must not greet a resident in December."""

    id: Annotated[str, Field(min_length=1, max_length=40)]
    text: Text
    starts: dt.date | None = None
    ends: dt.date | None = None
    months: Annotated[frozenset[Month], Field(max_length=12)] = frozenset()
    # The stations it concerns, by kiosk.station_id (none: every station).
    stations: Annotated[
        frozenset[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]],
        Field(max_length=200),
    ] = frozenset()
    # A planned outage is shown with its dates before its words.
    kind: Literal["notice", "outage"] = "notice"

    def concerns(self, station_id: str | None) -> bool:
        return not self.stations or station_id in self.stations

    def shown_on(self, day: dt.date) -> bool:
        in_dates = (self.starts is None or self.starts <= day) and (
            self.ends is None or day <= self.ends
        )
        return in_dates and (not self.months or day.month in self.months)


class Notices(_Message):
    notices: Annotated[list[Notice], Field(max_length=50)]


class Article(_Message):
    """A page of the knowledge base: a title and plain paragraphs (one per line)."""

    id: Annotated[str, Field(min_length=1, max_length=40)]
    title: Text
    body: Text


class BusinessGuide(_Message):
    """One business (更名过户, 增容, ...): what it is, what to bring, how long it takes."""

    id: Annotated[str, Field(min_length=1, max_length=40)]
    name: Text
    summary: Text
    documents: Annotated[list[Text], Field(min_length=1, max_length=20)]
    time: Text  # how long it takes, as the service commitments promise
    where: Text  # at this kiosk, at the service hall, online
    cost: Text | None = None  # what it costs the resident (None: not said)


class KnowledgeBase(_Message):
    energy_saving: list[Article]
    commitments: list[Article]
    guides: list[BusinessGuide]


class ServiceSwitches(_Message):
    """Services the center switches on or off for a kiosk."""

    payments: bool = True  # wallet payments (WeChat Pay, Alipay)
    information: bool = True  # the information screens


class KioskSettings(_Message):
    """Settings the center may change without a technician; the kiosk's config bounds them."""

    inactivity_seconds: Annotated[int, Field(ge=30, le=1800)]
    warning_seconds: Annotated[int, Field(ge=30, le=300)]
    prepay_min: Money
    prepay_max: Money
    services: ServiceSwitches = ServiceSwitches()

    @model_validator(mode="after")
    def _sensible(self) -> KioskSettings:
        if self.warning_seconds >= self.inactivity_seconds:
            raise ValueError("warning_seconds must be shorter than inactivity_seconds")
        if not 0 < self.prepay_min <= self.prepay_max:
            raise ValueError("prepay_min must be above 0 and not above prepay_max")
        return self


DATA_MODELS: dict[ReferenceKind, type[BaseModel]] = {
    ReferenceKind.TARIFFS: Tariffs,
    ReferenceKind.NOTICES: Notices,
    ReferenceKind.KNOWLEDGE: KnowledgeBase,
    ReferenceKind.SETTINGS: KioskSettings,
}


class ReferenceDocument(_Message):
    """One kind's current document. `data` matches that kind's model (`parse_data`)."""

    kind: ReferenceKind
    revision: Annotated[int, Field(ge=1)]
    updated_at: dt.datetime
    data: dict[str, Any]

    @model_validator(mode="after")
    def _data_matches_kind(self) -> ReferenceDocument:
        parse_data(self.kind, self.data)
        return self


class ReferenceChange(_Message):
    kind: ReferenceKind
    revision: Annotated[int, Field(ge=1)]
    etag: Annotated[str, Field(min_length=1, max_length=80)]


class ReferenceIndex(_Message):
    """The kinds published after the asked revision; `revision` is the newest of all."""

    revision: Annotated[int, Field(ge=0)]
    changed: list[ReferenceChange]


def parse_data(kind: ReferenceKind, data: Any) -> Any:
    """`data` as its kind's model; raises ValueError (pydantic's) when it does not fit."""
    return DATA_MODELS[kind].model_validate(data)


def etag_of(kind: ReferenceKind, revision: int) -> str:
    """The ETag of a kind's document at a revision (quoted, as HTTP has it)."""
    return f'"{kind.value}-{revision}"'


__all__ = [
    "DATA_MODELS",
    "Article",
    "BusinessGuide",
    "KioskSettings",
    "KnowledgeBase",
    "Notice",
    "Notices",
    "ReferenceChange",
    "ReferenceDocument",
    "ReferenceIndex",
    "ReferenceKind",
    "ServiceSwitches",
    "TariffInfo",
    "Tariffs",
    "Text",
    "ValidationError",
    "etag_of",
    "parse_data",
]
