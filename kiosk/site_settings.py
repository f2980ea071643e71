"""Settings a technician may change on the screen (maintenance, Settings), kept in the data
folder's technician.toml and applied at the next start. The change is checked as the whole
configuration would be, so a bad value is refused there and then, never at the next start.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.config import TECHNICIAN_FILE, ConfigError, KioskConfig, load_config, merge_settings
from kiosk.services.maintenance import Setting


@dataclass(frozen=True)
class Editable:
    choices: tuple[Any, ...] = ()  # bools and words
    low: float = 0
    high: float = 0
    step: float = 0


# What may be changed here, and how: the rest is the site file's (installers, credentials).
EDITABLE: dict[str, Editable] = {
    "screen.language": Editable(choices=("zh_CN", "en")),
    "screen.large_text": Editable(choices=(False, True)),
    "screen.orientation": Editable(choices=("landscape", "portrait")),
    "screen.inactivity_seconds": Editable(low=30, high=600, step=30),
    "payment.enabled": Editable(choices=(True, False)),
    "video.enabled": Editable(choices=(True, False)),
    "heartbeat.interval_seconds": Editable(low=5, high=300, step=5),
    "maintenance.idle_seconds": Editable(low=60, high=1800, step=60),
    "maintenance.paper_roll_metres": Editable(low=10, high=300, step=5),
    "logging.level": Editable(choices=("INFO", "WARNING", "DEBUG", "ERROR")),
}
# Shown, not changed here.
SHOWN = (
    "kiosk.id", "kiosk.station_id", "center.url", "devices.printer.driver",
    "devices.scanner.driver", "devices.idcard.driver", "devices.camera.driver",
)  # fmt: skip


def _get(config: Any, key: str) -> Any:
    for part in key.split("."):
        config = getattr(config, part)
    return config


class SiteSettings:
    """The running configuration, and the technician's changes waiting for the next start."""

    def __init__(self, config: KioskConfig, site: Path | None) -> None:
        self._config = config
        self._site = site
        self._file = config.kiosk.data_dir / TECHNICIAN_FILE

    def lines(self) -> list[Setting]:
        saved = _flat(self._saved())
        lines = [
            Setting(
                key,
                _get(self._config, key),
                saved.get(key, _get(self._config, key)),
                rule.choices,
                rule.low,
                rule.high,
                rule.step,
            )
            for key, rule in EDITABLE.items()
        ]
        lines += [Setting(key, _get(self._config, key), _get(self._config, key)) for key in SHOWN]
        return lines

    def change(self, changes: dict[str, Any]) -> str | None:
        """Save `changes` for the next start; None, or why they are refused (nothing saved)."""
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            return f"not changed here: {', '.join(unknown)}"
        wanted = _flat(self._saved()) | changes
        nested: dict[str, dict[str, Any]] = {}
        for key, value in wanted.items():
            section, name = key.split(".", 1)
            nested.setdefault(section, {})[name] = value
        try:
            # The whole configuration as the next start will read it.
            load_config(
                self._site,
                overrides=merge_settings(
                    nested, {"kiosk": {"data_dir": str(self._config.kiosk.data_dir)}}
                ),
            )
        except ConfigError as refused:
            return str(refused).splitlines()[-1].strip()
        self._file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._file.with_suffix(".tmp")
        temporary.write_text(_toml(nested), "utf-8")
        temporary.replace(self._file)  # whole or not at all
        return None

    def _saved(self) -> dict[str, Any]:
        try:
            return tomllib.loads(self._file.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            return {}


def _flat(nested: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{section}.{name}": value
        for section, values in nested.items()
        if isinstance(values, dict)
        for name, value in values.items()
    }


def _toml(nested: dict[str, dict[str, Any]]) -> str:
    lines = ["# Changed by a technician in maintenance mode; read at start after the site file."]
    for section, values in sorted(nested.items()):
        lines.append(f"\n[{section}]")
        for name, value in sorted(values.items()):
            shown = (
                ("true" if value else "false")
                if isinstance(value, bool)
                else repr(value)
                if isinstance(value, int | float)
                else f'"{value}"'
            )
            lines.append(f"{name} = {shown}")
    return "\n".join(lines) + "\n"
