"""Logging: JSON lines to a rotating file for machines, readable lines on the console for people.

Both pass through one filter that masks ID numbers, payment codes and phone numbers wherever
they appear, so a careless message cannot put them in a log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
from pathlib import Path

from rules.masking import mask_personal_data

# Attributes every LogRecord has; anything else was passed with `extra=` and goes into the JSON.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class PersonalDataFilter(logging.Filter):
    """Rewrites the record's message (and its extras) with personal data masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personal_data(record.getMessage())
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, mask_personal_data(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_personal_data(
                logging.Formatter().formatException(record.exc_info)
            )
        elif record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "thread": record.threadName,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = (
                    value if isinstance(value, int | float | bool | type(None)) else str(value)
                )
        if record.exc_text:
            entry["error"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(
    log_dir: Path | None,
    *,
    level: str = "INFO",
    max_bytes: int = 5_000_000,
    backups: int = 5,
    console: bool = True,
) -> Path | None:
    """Set up the root logger; returns the JSON log file's path (None when not writing one)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    # Migrations announce every plugin at INFO; a technician needs them only when debugging.
    logging.getLogger("alembic").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    mask = PersonalDataFilter()
    log_file = None
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / "kiosk.jsonl"
        file_handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
        )
        file_handler.addFilter(mask)
        file_handler.setFormatter(JsonLinesFormatter())
        root.addHandler(file_handler)
    if console:
        stream = logging.StreamHandler()
        stream.addFilter(mask)
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
        root.addHandler(stream)
    return log_file
