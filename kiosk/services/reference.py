"""What the information screens, the idle screen and the settings read: the reference data.

The newest document of each kind pulled from the center (kept in the store), else the defaults
shipped in config/ (config/reference/*.toml, the [[notices]] and the limits of config/kiosk.toml),
so a kiosk that has never synced still explains prices, shows notices and guides.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.services.listeners import Listeners
from rules.tariff import Tariff, TariffError, unit_named
from sync.protocol import Utility
from sync.protocol.reference import (
    KioskSettings,
    KnowledgeBase,
    Notice,
    Notices,
    ReferenceKind,
    TariffInfo,
    Tariffs,
    Text,
    parse_data,
)

log = logging.getLogger(__name__)

Stored = Callable[[ReferenceKind], "dict[str, Any] | None"]


@dataclass(frozen=True)
class ReferenceDefaults:
    """The reference data a kiosk ships with."""

    tariffs: Tariffs
    notices: Notices
    knowledge: KnowledgeBase
    settings: KioskSettings

    @classmethod
    def load(
        cls, folder: Path, *, notices: Sequence[Mapping[str, Any]], settings: KioskSettings
    ) -> ReferenceDefaults:
        """From `folder`'s tariffs.toml and knowledge.toml; notices and settings from config."""

        def read(name: str) -> dict[str, Any]:
            return tomllib.loads((folder / name).read_text(encoding="utf-8"))

        shipped = [
            Notice(
                id=f"config-{n}",
                text=Text(zh=notice["zh"], en=notice["en"]),
                months=frozenset(notice.get("months", ())),
            )
            for n, notice in enumerate(notices, 1)
        ]
        return cls(
            tariffs=Tariffs.model_validate(read("tariffs.toml")),
            notices=Notices(notices=shipped),
            knowledge=KnowledgeBase.model_validate(read("knowledge.toml")),
            settings=settings,
        )

    def of(self, kind: ReferenceKind) -> Any:
        return {
            ReferenceKind.TARIFFS: self.tariffs,
            ReferenceKind.NOTICES: self.notices,
            ReferenceKind.KNOWLEDGE: self.knowledge,
            ReferenceKind.SETTINGS: self.settings,
        }[kind]


def domain_tariff(info: TariffInfo) -> Tariff:
    return Tariff(info.name, unit_named(info.unit), tuple(info.prices), tuple(info.limits))


def _with_dates(notice: Notice) -> Text:
    if notice.kind != "outage":
        return notice.text
    first, last = notice.starts, notice.ends or notice.starts
    if first is None or last is None:
        zh_days, en_days = "", ""
    elif first == last:
        zh_days, en_days = f" {first.month}月{first.day}日", f" {first:%d %b}"
    else:
        zh_days = f" {first.month}月{first.day}日至{last.month}月{last.day}日"
        en_days = f" {first:%d %b} to {last:%d %b}"
    zh = f"【计划停电{zh_days}】{notice.text.zh}"
    return Text(zh=zh, en=f"[Planned outage{en_days}] {notice.text.en}")


class ReferenceLibrary:
    """Thread-safe. `attach(stored)` once the store is open; `reload()` after every pull that
    changed something; listeners hear about it on the thread that reloaded."""

    def __init__(self, defaults: ReferenceDefaults, station_id: str | None = None) -> None:
        """`station_id`: this kiosk's station; notices for other stations are not shown."""
        self._station_id = station_id
        self._defaults = defaults
        self._stored: Stored | None = None
        self._lock = threading.Lock()
        self._current: dict[ReferenceKind, Any] = {
            kind: defaults.of(kind) for kind in ReferenceKind
        }
        self._synced: set[ReferenceKind] = set()
        self._listeners: Listeners[Callable[[], None]] = Listeners("reference data")

    def attach(self, stored: Stored) -> None:
        self._stored = stored
        self.reload()

    def reload(self) -> bool:
        """Read the store again; True (and listeners told) when anything shown changes."""
        stored = self._stored
        if stored is None:
            return False
        fresh: dict[ReferenceKind, Any] = {}
        synced: set[ReferenceKind] = set()
        for kind in ReferenceKind:
            data = stored(kind)
            value = self._defaults.of(kind)
            if data is not None:
                try:
                    value = parse_data(kind, data)
                    synced.add(kind)
                except ValueError:
                    log.warning("stored reference data %s does not fit: defaults used", kind)
            fresh[kind] = value
        with self._lock:
            changed = fresh != self._current
            self._current, self._synced = fresh, synced
        if changed:
            self._listeners.tell()
        return changed

    def watch(self, listener: Callable[[], None]) -> Callable[[], None]:
        return self._listeners.watch(listener)

    def synced(self, kind: ReferenceKind) -> bool:
        """Whether `kind` comes from the center (else from the shipped defaults)."""
        with self._lock:
            return kind in self._synced

    def _get(self, kind: ReferenceKind) -> Any:
        with self._lock:
            return self._current[kind]

    def tariffs(self) -> Tariffs:
        tariffs: Tariffs = self._get(ReferenceKind.TARIFFS)
        return tariffs

    def electricity_tariff(self) -> tuple[TariffInfo, Tariff] | None:
        """The household electricity tariff the price screen explains, as data and as rule."""
        for info in self.tariffs().tariffs:
            if info.utility == Utility.ELECTRICITY:
                try:
                    return info, domain_tariff(info)
                except TariffError:
                    log.warning("tariff %s cannot be used", info.name)
        return None

    def notices(self, day: dt.date) -> list[Text]:
        """The idle screen's notices for `day` at this kiosk's station, in order; a planned
        outage with its dates before its words."""
        notices: Notices = self._get(ReferenceKind.NOTICES)
        return [
            _with_dates(notice)
            for notice in notices.notices
            if notice.shown_on(day) and notice.concerns(self._station_id)
        ]

    def knowledge(self) -> KnowledgeBase:
        knowledge: KnowledgeBase = self._get(ReferenceKind.KNOWLEDGE)
        return knowledge

    def settings(self) -> KioskSettings:
        settings: KioskSettings = self._get(ReferenceKind.SETTINGS)
        return settings
