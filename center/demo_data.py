"""Deterministic demo data for an empty center: residents, accounts, 24 months of readings, bills.

Everything is relative to `today` and drawn from a seeded RNG, so the same day gives the same
data. The residents of assets/demo/residents.toml (also read by the simulated ID-card deck) are
included with exactly their listed accounts; the rest are generated.

Bills: period M is due on the last day of month M+1 (center.periods.due_date_of). An account's
"standing" is how many of its latest periods are unpaid: 0 all paid, 1 the current bill is open
but not yet due, 2-4 in arrears with 1-3 overdue months accruing a late fee.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from center.billing import make_bill
from center.database import (
    AccountRow,
    Database,
    MeterReadingRow,
    ResidentRow,
    StationContactRow,
    write_lock,
)
from center.demo_payments import add_payments_elsewhere
from center.periods import complete_months_before, period_of, shift, year_month
from center.tariffs import tariff_for_utility
from rules.id_number import id_number_check_digit
from rules.late_fee import CustomerCategory
from rules.tariff import Tariff

RESIDENTS_FILE = Path(__file__).resolve().parents[1] / "assets" / "demo" / "residents.toml"
SEED = 8600
MONTHS = 24
GENERATED_ELECTRICITY = 50
GENERATED_WATER = 4
GENERATED_GAS = 3

# The listed residents' accounts get a fixed standing (and, for some, a fixed monthly base use),
# so demos and tests can count on them: 3201000001 is in arrears and crosses a tier breakpoint.
LISTED_STANDING = {
    "3201000001": 3,
    "3201000002": 0,
    "3201000003": 1,
    "3201000004": 2,
    "3201000005": 4,
    "3205000001": 1,
    "5101000001": 1,
    "6101000001": 0,
}
LISTED_BASE_USE = {"3201000001": 380, "3201000002": 150}

# Monthly use relative to the year's average: air conditioning in summer, heating in winter.
SEASON = {
    "electricity": (1.35, 1.2, 0.9, 0.8, 0.85, 1.1, 1.55, 1.6, 1.1, 0.85, 0.95, 1.3),
    "water": (0.9, 0.85, 0.9, 0.95, 1.0, 1.1, 1.25, 1.25, 1.1, 1.0, 0.9, 0.9),
    "gas": (1.6, 1.5, 1.2, 0.9, 0.7, 0.6, 0.55, 0.55, 0.65, 0.85, 1.15, 1.5),
}
BASE_USE = {"electricity": (120, 420), "water": (8, 20), "gas": (12, 35)}

DISTRICTS = {
    "320102": "玄武区",
    "320104": "秦淮区",
    "320105": "建邺区",
    "320106": "鼓楼区",
    "320111": "浦口区",
    "320113": "栖霞区",
    "320114": "雨花台区",
    "320115": "江宁区",
}
STREETS = ("中山路", "北京东路", "汉中路", "江东中路", "龙蟠路", "应天大街", "龙眠大道", "浦珠路")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰"


@dataclass(frozen=True)
class DemoAccount:
    number: str
    utility: str


@dataclass(frozen=True)
class DemoResident:
    id_number: str
    name: str
    address: str
    accounts: tuple[DemoAccount, ...]


def listed_residents(residents_file: Path = RESIDENTS_FILE) -> list[DemoResident]:
    data = tomllib.loads(residents_file.read_text(encoding="utf-8"))
    return [
        DemoResident(
            entry["id_number"],
            entry["name"],
            entry["address"],
            tuple(DemoAccount(a["number"], a["utility"]) for a in entry["accounts"]),
        )
        for entry in data["resident"]
    ]


DEMO_STATION = "xuanwu-xiaolingwei"  # config/kiosk.toml's station
DEMO_TEAM_PHONE = "13900001111"


def load_demo_data(
    database: Database, today: dt.date, residents_file: Path = RESIDENTS_FILE
) -> bool:
    """Fill an empty database; leave one that has residents alone. True when data was loaded."""
    with database.sessions.begin() as session:
        write_lock(session)  # two center processes starting at once load it once
        if session.scalar(select(func.count()).select_from(ResidentRow)):
            return False
        rng = random.Random(SEED)
        residents = listed_residents(residents_file)
        residents += _generated_residents(rng, {r.id_number for r in residents})
        tariffs = {u: tariff_for_utility(session, u) for u in ("electricity", "water", "gas")}
        periods = complete_months_before(today, MONTHS)
        for resident in residents:
            _add_resident(session, rng, resident, tariffs, periods)
        session.flush()
        add_payments_elsewhere(session)
        # The demo station's team: its kiosks' alerts are queued for this (made-up) phone.
        session.add(StationContactRow(station_id=DEMO_STATION, phone=DEMO_TEAM_PHONE, name="值班"))
    return True


def _generated_residents(rng: random.Random, taken: set[str]) -> list[DemoResident]:
    residents = []
    for index in range(GENERATED_ELECTRICITY):
        area = rng.choice(sorted(DISTRICTS))
        id_number = _id_number(rng, area, taken)
        taken.add(id_number)
        accounts = [DemoAccount(f"{3201001001 + index}", "electricity")]
        if index < GENERATED_WATER:
            accounts.append(DemoAccount(f"{5101001001 + index}", "water"))
        elif index < GENERATED_WATER + GENERATED_GAS:
            accounts.append(DemoAccount(f"{6101001001 + index}", "gas"))
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        address = (
            f"江苏省南京市{DISTRICTS[area]}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
            f"{rng.randint(1, 30)}幢{rng.randint(1, 30)}0{rng.randint(1, 4)}室"
        )
        residents.append(DemoResident(id_number, name, address, tuple(accounts)))
    return residents


def _id_number(rng: random.Random, area: str, taken: set[str]) -> str:
    while True:
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 60))
        first17 = f"{area}{birth:%Y%m%d}{rng.randint(1, 999):03d}"
        id_number = first17 + id_number_check_digit(first17)
        if id_number not in taken:
            return id_number


def _add_resident(
    session: Session,
    rng: random.Random,
    resident: DemoResident,
    tariffs: dict[str, Tariff],
    periods: list[str],
) -> None:
    holder = ResidentRow(id_number=resident.id_number, name=resident.name, address=resident.address)
    session.add(holder)
    utilities_seen: list[str] = []
    for demo in resident.accounts:
        tariff = tariffs[demo.utility]
        standing = LISTED_STANDING.get(
            demo.number, rng.choices((0, 1, 2, 3, 4), (9, 6, 2, 2, 1))[0]
        )
        again = utilities_seen.count(demo.utility)
        utilities_seen.append(demo.utility)
        address = _second_address(resident.address, again) if again else resident.address
        balance = Decimal(rng.randint(0, 20000)) / 100 if standing == 0 else Decimal("0.00")
        session.add(
            AccountRow(
                number=demo.number,
                utility=demo.utility,
                category=CustomerCategory.RESIDENT.value,
                tariff_name=tariff.name,
                holder=holder,
                address=address,
                multiplier=1,
                balance=balance,
            )
        )
        session.flush()  # the account row first: readings and bills refer to it
        base = LISTED_BASE_USE.get(demo.number) or rng.uniform(*BASE_USE[demo.utility])
        _add_history(session, rng, demo, tariff, periods, base, standing)


def _second_address(address: str, position: int) -> str:
    # A second account of the same utility is somewhere else: a flat let out, a garage.
    return address.rsplit("号", 1)[0] + f"号附{position}号"


def _add_history(
    session: Session,
    rng: random.Random,
    demo: DemoAccount,
    tariff: Tariff,
    periods: list[str],
    base: float,
    standing: int,
) -> None:
    """Meter readings from January of the first period's year, so the first stored bill already
    knows the year's usage before it; only the stored periods are kept."""
    first_year, _ = year_month(periods[0])
    period = period_of(first_year, 1)
    reading = Decimal(rng.randint(1000, 20000))
    used_in_year = Decimal(0)
    keep_from = shift(periods[0], -1)
    if period_of(first_year - 1, 12) == keep_from:
        session.add(MeterReadingRow(account_number=demo.number, period=keep_from, reading=reading))
    unpaid_from = len(periods) - standing
    while period <= periods[-1]:
        _, month = year_month(period)
        if month == 1:
            used_in_year = Decimal(0)
        use = Decimal(round(base * SEASON[demo.utility][month - 1] * rng.uniform(0.85, 1.15)))
        previous, reading = reading, reading + use
        if period == keep_from:
            session.add(MeterReadingRow(account_number=demo.number, period=period, reading=reading))
        if period in periods:
            session.add(MeterReadingRow(account_number=demo.number, period=period, reading=reading))
            paid = periods.index(period) < unpaid_from
            session.add(
                make_bill(
                    demo.number, period, previous, reading, 1, used_in_year, tariff, paid=paid
                )
            )
        used_in_year += use
        period = shift(period, 1)
