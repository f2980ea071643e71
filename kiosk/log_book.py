"""The kiosk's log and audit trail for a technician: the last lines, filtered by level, and an
export of both to a USB stick. Everything is masked once more on the way out (the log is masked
when written; a line written by an older version, or by hand, is masked here too).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from kiosk.services.maintenance import LogLine, UsbExport
from kiosk.store import Store
from kiosk.store.audit_log import read_entries
from rules.masking import mask_personal_data

LEVELS = {"all": 0, "warning": 30, "error": 40}
_LEVEL_NUMBERS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}


class LogBook:
    def __init__(
        self, log_dir: Path, store: Store, kiosk_id: str, usb_roots: Sequence[str]
    ) -> None:
        self._log_dir = log_dir
        self._store = store
        self._kiosk_id = kiosk_id
        self._usb_roots = [Path(root) for root in usb_roots]

    def last_lines(self, level: str = "all", limit: int = 200) -> list[LogLine]:
        """The newest `limit` lines at `level` or worse, newest first."""
        least = LEVELS.get(level, 0)
        found: list[LogLine] = []
        for path in self._files():
            try:
                lines = path.read_text("utf-8", errors="replace").splitlines()
            except OSError:
                continue
            for raw in reversed(lines):
                line = _parse(raw)
                if line is not None and _LEVEL_NUMBERS.get(line.level, 0) >= least:
                    found.append(line)
                    if len(found) >= limit:
                        return found
        return found

    def export(self, now: dt.datetime) -> UsbExport:
        """Copy the logs and the audit trail, masked, to the first USB stick found."""
        target_root = self._usb_stick()
        if target_root is None:
            return UsbExport(None, 0, 0, "no USB stick found")
        folder = target_root / f"kiosk-{self._kiosk_id}-{now:%Y%m%d-%H%M%S}"
        try:
            folder.mkdir(parents=True)
            written = 0
            files = 0
            for path in self._files():
                text = path.read_text("utf-8", errors="replace")
                masked = "\n".join(mask_personal_data(line) for line in text.splitlines())
                (folder / path.name).write_text(masked + "\n", "utf-8")
                written += len(masked.encode())
                files += 1
            with self._store.engine.connect() as connection:
                entries = read_entries(connection)
            trail = "\n".join(
                json.dumps(
                    asdict(e) | {"at": e.at.isoformat(), "detail": mask_personal_data(e.detail)},
                    ensure_ascii=False,
                )
                for e in entries
            )
            (folder / "audit.jsonl").write_text(trail + "\n", "utf-8")
            written += len(trail.encode())
            files += 1
            _flush(folder)
        except OSError as error:
            return UsbExport(None, 0, 0, f"the stick refused the files: {error.strerror or error}")
        return UsbExport(str(folder), files, written, None)

    def _files(self) -> list[Path]:
        """kiosk.jsonl, then kiosk.jsonl.1, .2...: newest first."""
        if not self._log_dir.is_dir():
            return []
        named = [p for p in self._log_dir.iterdir() if p.name.startswith("kiosk.jsonl")]
        return sorted(named, key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0)

    def _usb_stick(self) -> Path | None:
        """A writable mounted stick under the roots (/media/<user>/<label> or /media/<label>)."""
        for root in self._usb_roots:
            if not root.is_dir():
                continue
            candidates = sorted(root.iterdir())
            candidates += [inner for c in candidates if c.is_dir() for inner in sorted(c.iterdir())]
            for candidate in candidates:
                if (
                    candidate.is_dir()
                    and os.path.ismount(candidate)
                    and os.access(candidate, os.W_OK)
                ):
                    return candidate
        return None


def _parse(raw: str) -> LogLine | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return LogLine(
        time=str(data.get("time", ""))[:23],
        level=str(data.get("level", "")),
        logger=str(data.get("logger", ""))[:40],
        message=mask_personal_data(str(data.get("message", "")))[:500],
    )


def _flush(folder: Path) -> None:
    """Onto the stick now: a technician pulls it out as soon as the screen says done."""
    os.sync()
