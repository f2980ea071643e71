"""Logging: JSON lines to a rotating file for machines, readable lines on the console for people.

Both pass through one filter that masks ID numbers, payment codes and phone numbers wherever
they appear, so a careless message cannot put them in a log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import NamedTuple

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


class _HeldRecords(logging.Handler):
    """What is logged before the log file opens (a start's few lines): written when it does."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _LogFile(NamedTuple):
    path: Path
    max_bytes: int
    backups: int
    mask: PersonalDataFilter


# The file `configure_logging(file_later=True)` holds back, and the records waiting for it.
_held: tuple[_HeldRecords, _LogFile] | None = None


def configure_logging(
    log_dir: Path | None,
    *,
    level: str = "INFO",
    max_bytes: int = 5_000_000,
    backups: int = 5,
    console: bool = True,
    file_later: bool = False,
) -> Path | None:
    """Set up the root logger; returns the JSON log file's path (None when not writing one).

    `file_later`: the file opens at `open_log_file()` and gets what was logged before it; the
    kiosk opens it behind its first frame, which need not wait for `logging.handlers` (sockets,
    pickling and queues come with it)."""
    global _held
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    _held = None
    root.setLevel(level)
    # Migrations announce every plugin at INFO; a technician needs them only when debugging.
    logging.getLogger("alembic").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    mask = PersonalDataFilter()
    log_file = None
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / "kiosk.jsonl"
        settings = _LogFile(log_file, max_bytes, backups, mask)
        if file_later:
            held = _HeldRecords()
            held.addFilter(mask)
            root.addHandler(held)
            _held = (held, settings)
        else:
            root.addHandler(_file_handler(settings))
    if console:
        stream = logging.StreamHandler()
        stream.addFilter(mask)
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
        root.addHandler(stream)
    return log_file


def open_log_file() -> None:
    """Open the file `configure_logging(file_later=True)` held back and write what waited; a
    second call does nothing."""
    global _held
    if _held is None:
        return
    held, settings = _held
    _held = None
    file_handler = _file_handler(settings)
    for record in held.records:
        file_handler.handle(record)
    root = logging.getLogger()
    root.addHandler(file_handler)
    root.removeHandler(held)


def _file_handler(settings: _LogFile) -> logging.Handler:
    import logging.handlers

    file_handler = logging.handlers.RotatingFileHandler(
        settings.path, maxBytes=settings.max_bytes, backupCount=settings.backups, encoding="utf-8"
    )
    file_handler.addFilter(settings.mask)
    file_handler.setFormatter(JsonLinesFormatter())
    return file_handler
