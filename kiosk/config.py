"""The kiosk's settings: defaults from config/kiosk.toml, overridden by a site file, validated.

A bad value stops the start with one message naming the key, the value and what is allowed.
The schema is plain dataclasses with their limits beside them: validation costs a few
milliseconds, where a schema library's import alone took half of the cold-start budget.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULTS = Path(__file__).resolve().parent.parent / "config" / "kiosk.toml"
ENV_VAR = "KIOSK_CONFIG"
# In the data folder: what a technician changed on the screen (kiosk/site_settings.py).
TECHNICIAN_FILE = "technician.toml"
# The logical devices a kiosk has; each is a section under [devices].
DEVICE_KINDS = ("printer", "scanner", "idcard", "camera")


class ConfigError(Exception):
    """A configuration that cannot be used; the message is meant for the technician."""


def _limits(**rules: Any) -> Any:
    """A field with its rules: range=(lo, hi), choices=(...), pattern=r"...", length=(lo, hi)."""
    return field(metadata=rules)


@dataclass(frozen=True)
class KioskSection:
    id: str = _limits(pattern=r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
    station_name_zh: str = _limits(length=(1, 40))
    station_name_en: str = _limits(length=(1, 80))
    # The station as the center's shared work queue knows it (who may take its applications).
    station_id: str = _limits(pattern=r"[a-z0-9][a-z0-9-]{0,39}")
    data_dir: Path = _limits()

    @property
    def store_file(self) -> Path:
        """The store: the queue, the payment journal, the audit log (kiosk.store)."""
        return self.data_dir / "kiosk.db"


@dataclass(frozen=True)
class CenterSection:
    url: str = _limits(pattern=r"https?://[^\s/]+(/\S*)?")
    timeout_seconds: float = _limits(range=(1, 60))
    # The file `kiosk enroll` writes (0600); "": credentials.json in kiosk.data_dir.
    credentials: str = _limits(length=(0, 500))
    # The CA file the center's certificate is checked against; "": the system's CAs.
    ca_bundle: str = _limits(length=(0, 500))


@dataclass(frozen=True)
class ScreenSection:
    language: str = _limits(choices=("zh_CN", "en"))
    large_text: bool = _limits()
    fullscreen: bool = _limits()
    cursor: bool = _limits()
    orientation: str = _limits(choices=("landscape", "portrait"))
    inactivity_seconds: int = _limits(range=(30, 1800))
    warning_seconds: int = _limits(range=(30, 300))

    def __post_init__(self) -> None:
        if self.warning_seconds >= self.inactivity_seconds:
            raise _Invalid(
                "screen.warning_seconds",
                self.warning_seconds,
                "must be shorter than screen.inactivity_seconds",
            )


@dataclass(frozen=True)
class ScannerSection:
    bill_qr_prefix: str = _limits(length=(4, 200))


@dataclass(frozen=True)
class QueueSection:
    batch_size: int = _limits(range=(1, 500))
    max_retry_seconds: float = _limits(range=(1, 3600))
    keep_delivered_hours: float = _limits(range=(0, 24 * 90))


@dataclass(frozen=True)
class HeartbeatSection:
    interval_seconds: float = _limits(range=(0.1, 3600))
    probe_seconds: float = _limits(range=(0.1, 60))
    idle_probe_seconds: float = _limits(range=(0.5, 600))
    probe_timeout_seconds: float = _limits(range=(0.1, 30))
    failures_to_go_offline: int = _limits(range=(1, 20))
    successes_to_come_back: int = _limits(range=(1, 20))
    device_check_seconds: float = _limits(range=(0.1, 600))


@dataclass(frozen=True)
class PaymentSection:
    enabled: bool = _limits()
    prepay_min: float = _limits(range=(0.01, 100_000))
    prepay_max: float = _limits(range=(1, 100_000))
    first_query_seconds: float = _limits(range=(0.05, 60))
    query_interval_seconds: float = _limits(range=(0.05, 60))
    query_window_seconds: float = _limits(range=(0.5, 600))
    native_query_interval_seconds: float = _limits(range=(0.05, 60))
    native_window_seconds: float = _limits(range=(5, 7200))
    reverse_interval_seconds: float = _limits(range=(0.05, 60))
    reverse_backoff_max_seconds: float = _limits(range=(1, 3600))
    confirm_grace_seconds: float = _limits(range=(0.5, 300))
    printer_wait_seconds: float = _limits(range=(1, 120))

    def __post_init__(self) -> None:
        if self.prepay_min > self.prepay_max:
            raise _Invalid(
                "payment.prepay_min", self.prepay_min, "must not be above payment.prepay_max"
            )


@dataclass(frozen=True)
class LoggingSection:
    level: str = _limits(choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    max_bytes: int = _limits(range=(100_000, 1_000_000_000))
    backups: int = _limits(range=(1, 100))


@dataclass(frozen=True)
class HelpSection:
    hotline: str = _limits(length=(3, 20))
    hall_zh: str = _limits(length=(1, 200))
    hall_en: str = _limits(length=(1, 300))
    hours_zh: str = _limits(length=(1, 100))
    hours_en: str = _limits(length=(1, 200))


@dataclass(frozen=True)
class VideoSection:
    """Video help (docs/video-help.md)."""

    enabled: bool = _limits()
    # "alsa:<device>" (on a desktop audio server, its default device carries the echo
    # canceller), "tone" (the demo's), or "" for none.
    microphone: str = _limits(pattern=r"(alsa:[A-Za-z0-9_:,.-]+|tone|)")
    speaker: str = _limits(pattern=r"(alsa:[A-Za-z0-9_:,.-]+|)")
    # Offer 127.0.0.1 among the kiosk's ICE candidates: only for a kiosk and staff browser on
    # one machine (the demo, tests). A real kiosk reaches staff through its network and TURN.
    loopback_candidates: bool = _limits()


@dataclass(frozen=True)
class MaintenanceSection:
    # argon2id hashes only (`kiosk technician pin`); no PIN set: entry by a technician's card.
    pin_hash: str = _limits(pattern=r"(\$argon2id\$[A-Za-z0-9$=,+/]{20,200})?")
    technician_cards: list[str] = _limits(length=(0, 50))
    idle_seconds: int = _limits(range=(30, 3600))
    failures_to_lock: int = _limits(range=(3, 10))
    lock_minutes: int = _limits(range=(1, 240))
    paper_roll_metres: float = _limits(range=(5, 500))
    usb_roots: list[str] = _limits(length=(0, 10))


@dataclass(frozen=True)
class DeviceSection:
    driver: str = _limits(pattern=r"[a-z][a-z0-9_]*")
    url: str = _limits(length=(1, 500))
    enabled: bool = _limits()
    # Driver-specific settings (e.g. a scanner's decoder or trigger model), passed to the driver
    # as keyword arguments; the driver refuses what it does not know, naming it.
    options: dict[str, Any] = _limits(length=(0, 20))


@dataclass(frozen=True)
class DevicesSection:
    printer: DeviceSection
    scanner: DeviceSection
    idcard: DeviceSection
    camera: DeviceSection


@dataclass(frozen=True)
class Notice:
    zh: str = _limits(length=(1, 300))
    en: str = _limits(length=(1, 300))
    # Its season: shown only in these months (1-12) every year; none given: all year.
    months: list[int] = field(default_factory=list, metadata={"each": (1, 12)})

    def in_season(self, day: dt.date) -> bool:
        return not self.months or day.month in self.months


NOT_A_SETTING = "not_a_setting"


@dataclass(frozen=True)
class KioskConfig:
    kiosk: KioskSection
    center: CenterSection
    screen: ScreenSection
    scanner: ScannerSection
    queue: QueueSection
    heartbeat: HeartbeatSection
    payment: PaymentSection
    logging: LoggingSection
    help: HelpSection
    video: VideoSection
    maintenance: MaintenanceSection
    devices: DevicesSection
    notices: list[Notice] = _limits(length=(0, 50))
    # Not a setting: the site file these were read from (None: the defaults alone), for the
    # settings page, which writes a technician's changes beside it.
    site_file: Path | None = field(default=None, compare=False, metadata={NOT_A_SETTING: True})


_MISSING = object()
_TYPE_NAMES = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}


class _Invalid(Exception):
    def __init__(self, key: str, value: Any, allowed: str) -> None:
        shown = "(missing)" if value is _MISSING else repr(value)
        super().__init__(f"{key} = {shown}: {allowed}")


def _check_rules(key: str, value: Any, rules: dict[str, Any]) -> None:
    if "range" in rules:
        low, high = rules["range"]
        if not low <= value <= high:
            raise _Invalid(key, value, f"must be from {low} to {high}")
    if "choices" in rules and value not in rules["choices"]:
        raise _Invalid(key, value, "must be one of " + ", ".join(map(repr, rules["choices"])))
    if "pattern" in rules and not re.fullmatch(rules["pattern"], value):
        raise _Invalid(key, value, f"must match {rules['pattern']}")
    if "each" in rules:
        low, high = rules["each"]
        if not all(low <= entry <= high for entry in value):
            raise _Invalid(key, value, f"each must be from {low} to {high}")
    if "length" in rules:
        low, high = rules["length"]
        if not low <= len(value) <= high:
            raise _Invalid(key, value, f"must have from {low} to {high} characters or entries")


def _convert(kind: Any, value: Any, key: str) -> Any:
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _build(kind, value, key)
    if typing.get_origin(kind) is dict:
        if not isinstance(value, dict) or any(isinstance(v, dict | list) for v in value.values()):
            raise _Invalid(key, value, "must be a table of plain values")
        return dict(value)
    if typing.get_origin(kind) is list:
        if not isinstance(value, list):
            raise _Invalid(key, value, "must be a list")
        (item,) = typing.get_args(kind)
        return [_convert(item, entry, f"{key}[{n}]") for n, entry in enumerate(value)]
    if kind is Path:
        if not isinstance(value, str) or not value:
            raise _Invalid(key, value, "must be a path")
        return Path(value)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    # bool is an int in Python; a setting that wants a number must not take true/false.
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise _Invalid(key, value, f"must be {_TYPE_NAMES.get(kind, kind.__name__)}")
    return value


def _key(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _build(cls: type, data: Any, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise _Invalid(prefix or "(top level)", data, "must be a table")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get(NOT_A_SETTING)}
    for name in data:
        if name not in known:
            raise ConfigError(
                f"invalid configuration:\n  {_key(prefix, name)}: unknown setting "
                "(check its spelling against config/kiosk.toml)"
            )
    values = {}
    for name, spec in known.items():
        key = _key(prefix, name)
        raw = data.get(name, _MISSING)
        if raw is _MISSING and spec.default_factory is not dataclasses.MISSING:
            values[name] = spec.default_factory()  # an optional key (a notice's season)
            continue
        if raw is _MISSING:
            raise _Invalid(key, raw, "is required")
        value = _convert(hints[name], raw, key)
        _check_rules(key, value, dict(spec.metadata))
        values[name] = value
    return cls(**values)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    # Relative paths mean "relative to the file that says so", wherever the kiosk is started.
    kiosk = data.get("kiosk")
    if isinstance(kiosk, dict) and isinstance(kiosk.get("data_dir"), str):
        kiosk["data_dir"] = str((path.parent / kiosk["data_dir"]).resolve())
    center = data.get("center")
    for name in ("credentials", "ca_bundle"):
        if isinstance(center, dict) and isinstance(center.get(name), str) and center[name]:
            center[name] = str((path.parent / center[name]).resolve())
    return data


def merge_settings(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` over `base`, table by table (what a later settings file does to an earlier)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_settings(merged[key], value)
        else:
            merged[key] = value
    return merged


def default_config() -> KioskConfig:
    """The shipped defaults alone: what the out-of-service screen falls back to when the
    site's configuration is itself what broke the kiosk."""
    return _build(KioskConfig, _read(DEFAULTS), "")


def load_config(
    path: Path | str | None = None, *, overrides: dict[str, Any] | None = None
) -> KioskConfig:
    """Defaults, then the site file (argument, else $KIOSK_CONFIG), then the technician's
    changes in the data folder, then `overrides`."""
    data = _read(DEFAULTS)
    site = path or os.environ.get(ENV_VAR)
    if site:
        data = merge_settings(data, _read(Path(site)))
    data_dir = merge_settings(data, overrides or {}).get("kiosk", {}).get("data_dir")
    if isinstance(data_dir, str):
        technician = Path(data_dir) / TECHNICIAN_FILE
        if technician.is_file():
            try:
                data = merge_settings(data, tomllib.loads(technician.read_text("utf-8")))
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise ConfigError(f"{technician} cannot be read: {error}") from None
    if overrides:
        data = merge_settings(data, overrides)
    try:
        config: KioskConfig = _build(KioskConfig, data, "")
    except _Invalid as error:
        raise ConfigError(f"invalid configuration:\n  {error}") from None
    return dataclasses.replace(config, site_file=Path(site) if site else None)
