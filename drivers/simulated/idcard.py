"""An ID-card reader with a deck of synthetic cards: the demo residents, plus one foreign
permanent resident card and one Hong Kong / Macau / Taiwan residence permit.

``present(card)`` lays a card on the reader: it is read (a DataEvent after a short read time)
when the reader is enabled, or as soon as it is enabled; ``read_again()`` reads it once more.
``remove()`` takes it away.
"""

from __future__ import annotations

import hashlib
import threading
import tomllib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from drivers.contracts import (
    CardKind,
    CardPresence,
    DataEvent,
    DeviceState,
    Gender,
    HealthStatus,
    IdCard,
    IdCardReader,
    StatusEvent,
)
from drivers.simulated.cable import Cable, check_sim_url
from rules.id_number import id_number_check_digit

# Found from this file, so the deck is the same wherever the kiosk is started from.
DEMO_RESIDENTS = Path(__file__).resolve().parents[2] / "assets" / "demo" / "residents.toml"


class NoSuchCard(LookupError):
    """``present`` was given an index or ID number that is not in the deck."""


def synthetic_photo(seed: str) -> bytes:
    """1024 opaque bytes standing in for the card's WLT photo, stable for a given card."""
    return hashlib.shake_256(f"synthetic photo {seed}".encode()).digest(1024)


def _resident_card(entry: dict[str, Any]) -> IdCard:
    valid_to = entry["valid_to"]
    return IdCard(
        kind=CardKind.RESIDENT,
        name=entry["name"],
        gender=Gender(entry["gender"]),
        nation=entry["nation"],
        birth_date=date.fromisoformat(entry["birth"]),
        address=entry["address"],
        id_number=entry["id_number"],
        authority=entry["authority"],
        valid_from=date.fromisoformat(entry["valid_from"]),
        valid_to=None if valid_to == "长期" else date.fromisoformat(valid_to),
        photo=synthetic_photo(entry["id_number"]),
    )


def _synthetic_cards() -> list[IdCard]:
    # Neither is a real person. The foreign card number has the 2017 card's 15-character shape
    # (nationality code, then acceptance place 32, birth date 791003, sequence and check); that
    # check character is not verified by anything here. The permit number uses Hong Kong's
    # area code 810000 with a valid GB 11643 check digit, as a real permit's does.
    permit_first17 = "81000019880412002"
    # The 2023 foreign card: 18 characters starting with 9, then the province of acceptance (32),
    # with a GB 11643 check digit; its English name is longer than the first field holds.
    foreign_first17 = "93320019850917001"
    return [
        IdCard(
            kind=CardKind.FOREIGN_PERMANENT,
            name="马丁",
            english_name="MARTIN, JOHN ALEXANDER",
            gender=Gender.MALE,
            nation="",
            nationality="CAN",
            birth_date=date(1979, 10, 3),
            address="",
            id_number="CAN327910030150",
            authority="中华人民共和国国家移民管理局",
            valid_from=date(2019, 5, 20),
            valid_to=date(2029, 5, 20),
            photo=synthetic_photo("CAN327910030150"),
        ),
        IdCard(
            kind=CardKind.FOREIGN_PERMANENT_2023,
            name="安娜",
            english_name="KOWALSKA-WISNIEWSKA, ANNA MARIA KATARZYNA",
            gender=Gender.FEMALE,
            nation="",
            nationality="POL",
            birth_date=date(1985, 9, 17),
            address="",
            id_number=foreign_first17 + id_number_check_digit(foreign_first17),
            authority="中华人民共和国国家移民管理局",
            valid_from=date(2024, 3, 1),
            valid_to=date(2034, 3, 1),
            photo=synthetic_photo(foreign_first17),
            issue_count=1,
        ),
        IdCard(
            kind=CardKind.HK_MACAU_TAIWAN,
            name="陈嘉欣",
            gender=Gender.FEMALE,
            nation="",
            birth_date=date(1988, 4, 12),
            address="江苏省南京市鼓楼区中山北路200号",
            id_number=permit_first17 + id_number_check_digit(permit_first17),
            authority="南京市公安局",
            valid_from=date(2021, 9, 1),
            valid_to=date(2026, 9, 1),
            photo=synthetic_photo(permit_first17),
            pass_number="H60123456",
            issue_count=1,
        ),
    ]


def load_deck(path: Path = DEMO_RESIDENTS) -> list[IdCard]:
    """The demo residents' cards from ``path``, then the synthetic non-resident cards."""
    with path.open("rb") as file:
        residents = tomllib.load(file).get("resident", [])
    try:
        cards = [_resident_card(entry) for entry in residents]
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{path}: a resident entry is incomplete or malformed: {exc!r}") from exc
    return cards + _synthetic_cards()


class SimulatedIdCardReader(IdCardReader, Cable):
    def __init__(
        self,
        name: str | None = None,
        url: str = "sim://idcard",
        deck_path: str | None = None,
        read_latency_s: float = 0.05,
    ) -> None:
        super().__init__(name)
        check_sim_url(url, "idcard")
        if not isinstance(read_latency_s, int | float) or not 0 <= read_latency_s <= 10:
            raise ValueError(f"read_latency_s must be 0-10 seconds, not {read_latency_s!r}")
        path = Path(deck_path) if deck_path else DEMO_RESIDENTS
        if not path.is_file():
            raise ValueError(f"ID card deck not found: {path}")
        self._deck = tuple(load_deck(path))
        self._latency = float(read_latency_s)
        self._lock = threading.Lock()
        self._card: IdCard | None = None
        self._read = False  # whether the card on the reader was read already

    @property
    def deck(self) -> Sequence[IdCard]:
        return self._deck

    def present(self, card: int | str) -> IdCard:
        """Lay the deck's card (by position or ID number) on the reader; returns that card."""
        chosen = self._find(card)
        with self._lock:
            self._card, self._read = chosen, False
        self._emit(StatusEvent(self.name, CardPresence.CARD_PRESENT, "card placed"))
        self._read_if_enabled()
        return chosen

    def read_again(self) -> None:
        with self._lock:
            self._read = False
        self._read_if_enabled()

    def remove(self) -> None:
        with self._lock:
            had_card, self._card = self._card is not None, None
        if had_card:
            self._emit(StatusEvent(self.name, CardPresence.NO_CARD, "card removed"))

    def _find(self, card: int | str) -> IdCard:
        if isinstance(card, int) and not isinstance(card, bool):
            if 0 <= card < len(self._deck):
                return self._deck[card]
            raise NoSuchCard(f"the deck has {len(self._deck)} cards; no card at {card}")
        if isinstance(card, str):
            for candidate in self._deck:
                if candidate.id_number == card:
                    return candidate
            raise NoSuchCard("no card in the deck has that ID number")  # number not echoed
        raise TypeError("present() takes a deck position (int) or an ID number (str)")

    def _read_if_enabled(self) -> None:
        if self.state is not DeviceState.ENABLED:
            return
        with self._lock:
            card, already = self._card, self._read
            self._read = True
        if card is not None and not already:
            self._emit(DataEvent(self.name, card), delay=self._latency)

    def _on_enable(self) -> None:
        self._read_if_enabled()  # a card left on the reader is read once it is switched on

    def _on_disable(self) -> None:
        with self._lock:
            self._read = False

    def _health_when_open(self) -> tuple[HealthStatus, str]:
        return HealthStatus.OK, "card present" if self._card is not None else "ready, no card"
