"""The kiosk's settings: defaults from config/kiosk.toml, overridden by a site file, validated.

A bad value stops the start with one message naming the key, the value and what is allowed.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULTS = Path(__file__).resolve().parent.parent / "config" / "kiosk.toml"
ENV_VAR = "KIOSK_CONFIG"


class ConfigError(Exception):
    """A configuration that cannot be used; the message is meant for the technician."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KioskSection(_Section):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    station_name_zh: Annotated[str, Field(min_length=1, max_length=40)]
    station_name_en: Annotated[str, Field(min_length=1, max_length=80)]
    data_dir: Path


class CenterSection(_Section):
    url: Annotated[str, Field(pattern=r"^https?://[^\s/]+(/.*)?$")]
    timeout_seconds: Annotated[float, Field(ge=1, le=60)]


class ScreenSection(_Section):
    language: Literal["zh_CN", "en"]
    large_text: bool
    fullscreen: bool
    orientation: Literal["landscape", "portrait"]
    inactivity_seconds: Annotated[int, Field(ge=30, le=1800)]
    warning_seconds: Annotated[int, Field(ge=30, le=300)]

    @model_validator(mode="after")
    def _warning_fits(self) -> ScreenSection:
        if self.warning_seconds >= self.inactivity_seconds:
            raise ValueError("warning_seconds must be shorter than inactivity_seconds")
        return self


class ScannerSection(_Section):
    bill_qr_prefix: Annotated[str, Field(min_length=4, max_length=200)]


class QueueSection(_Section):
    batch_size: Annotated[int, Field(ge=1, le=500)]
    max_retry_seconds: Annotated[float, Field(ge=1, le=3600)]


class LoggingSection(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"]
    max_bytes: Annotated[int, Field(ge=100_000, le=1_000_000_000)]
    backups: Annotated[int, Field(ge=1, le=100)]


class HelpSection(_Section):
    hotline: Annotated[str, Field(min_length=3, max_length=20)]
    hall_zh: str
    hall_en: str


class DeviceSection(_Section):
    driver: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    url: Annotated[str, Field(min_length=1)]
    enabled: bool


class DevicesSection(_Section):
    printer: DeviceSection
    scanner: DeviceSection
    idcard: DeviceSection
    camera: DeviceSection


class Notice(_Section):
    zh: Annotated[str, Field(min_length=1, max_length=300)]
    en: Annotated[str, Field(min_length=1, max_length=300)]


class KioskConfig(_Section):
    kiosk: KioskSection
    center: CenterSection
    screen: ScreenSection
    scanner: ScannerSection
    queue: QueueSection
    logging: LoggingSection
    help: HelpSection
    devices: DevicesSection
    notices: Annotated[list[Notice], Field(max_length=50)]


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
    return data


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        if problem["type"] == "extra_forbidden":
            lines.append(f"{key}: unknown setting (check its spelling against config/kiosk.toml)")
            continue
        value = problem.get("input")
        shown = "(missing)" if problem["type"] == "missing" else repr(value)
        lines.append(f"{key} = {shown}: {problem['msg']}")
    return "invalid configuration:\n  " + "\n  ".join(lines)


def load_config(
    path: Path | str | None = None, *, overrides: dict[str, Any] | None = None
) -> KioskConfig:
    """Defaults, then the site file (argument, else $KIOSK_CONFIG), then `overrides`."""
    data = _read(DEFAULTS)
    site = path or os.environ.get(ENV_VAR)
    if site:
        data = _merge(data, _read(Path(site)))
    if overrides:
        data = _merge(data, overrides)
    try:
        return KioskConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None
