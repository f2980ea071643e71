"""The store across release changes: a copy of it is kept before any migration, and the
rollback's move down to what the previous release knows (with the newer release's own scripts)
keeps every queued event; the `kiosk update` commands the release switcher runs say the same."""

from __future__ import annotations

import argparse
import io
import sqlite3
from pathlib import Path

from kiosk.config import load_config
from kiosk.store import open_store
from kiosk.store.database import HEAD_REVISION, backup_path, move_store_to, store_revision
from kiosk.update_commands import run_update_command

PREVIOUS = f"{int(HEAD_REVISION) - 1:04d}"


def _queue_events(path: Path, count: int) -> None:
    store = open_store(path)
    try:
        for n in range(count):
            with store.unit_of_work() as uow:
                uow.outbox.add({"type": "PaymentConfirmed", "aggregate_type": "payment",
                                "aggregate_id": f"p-{n}"})  # fmt: skip
                uow.commit()
    finally:
        store.close()


def _events(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT aggregate_id FROM outbox ORDER BY 1")]


def test_a_store_behind_is_copied_before_it_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    _queue_events(path, 3)
    move_store_to(path, PREVIOUS)  # as the previous release left it
    before = backup_path(path, PREVIOUS)
    assert not before.exists()
    open_store(path).close()
    assert store_revision(path) == HEAD_REVISION
    assert store_revision(before) == PREVIOUS  # the copy is the store as it was, whole
    assert _events(before) == _events(path) == ["p-0", "p-1", "p-2"]
    assert not list(tmp_path.glob("*.partial"))


def test_a_rollback_moves_the_store_down_and_keeps_the_queue(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    _queue_events(path, 4)
    assert move_store_to(path, PREVIOUS) == HEAD_REVISION
    assert store_revision(path) == PREVIOUS
    assert _events(path) == ["p-0", "p-1", "p-2", "p-3"]
    with sqlite3.connect(path) as db:  # what only the newer release keeps is gone from it ...
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "audit_log" not in tables
    assert "audit_log" in {  # ... and still in the copy kept before the move
        row[0] for row in sqlite3.connect(backup_path(path, HEAD_REVISION)).execute(
            "SELECT name FROM sqlite_master")
    }  # fmt: skip
    # Installed again, the newer release brings it back up, queue and all.
    open_store(path).close()
    assert store_revision(path) == HEAD_REVISION
    assert _events(path) == ["p-0", "p-1", "p-2", "p-3"]


def test_the_update_commands_report_and_move_the_store(tmp_path: Path) -> None:
    config = load_config(overrides={"kiosk": {"data_dir": str(tmp_path)}})
    path = tmp_path / "kiosk.db"

    def update(action: str, **more: str) -> tuple[int, str]:
        out = io.StringIO()
        code = run_update_command(argparse.Namespace(action=action, **more), config, out)
        return code, out.getvalue().strip()

    assert update("store") == (0, f"store none release {HEAD_REVISION}")
    _queue_events(path, 2)
    assert update("store") == (0, f"store {HEAD_REVISION} release {HEAD_REVISION}")
    assert update("move-store", revision=PREVIOUS) == (
        0, f"update: store moved from {HEAD_REVISION} to {PREVIOUS}"
    )  # fmt: skip
    assert update("store") == (0, f"store {PREVIOUS} release {HEAD_REVISION}")
    code, said = update("move-store", revision="9999")
    assert code == 1 and "cannot be moved to 9999" in said
    assert store_revision(path) == PREVIOUS and _events(path) == ["p-0", "p-1"]
