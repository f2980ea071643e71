"""What a cold start imports before the first frame: a list, not a timing.

The kiosk's start slipped from 1.8x a bare window to 6x once the reference data's schemas and
the store were imported before the first paint. This keeps the heavy libraries behind it: the
first frame imports none of them, and no start imports Alembic unless a store made by an older
version must be migrated.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.perf.startup_child import HEAVY


def _start(center_url: str, data_dir: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.perf.startup_child", "kiosk", center_url, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1])


def test_the_first_frame_waits_for_no_heavy_library(running_center: Any, tmp_path: Path) -> None:
    assert {"sqlalchemy", "alembic", "pydantic", "requests", "cv2", "escpos", "numpy"} <= set(HEAVY)
    first = _start(running_center.url, tmp_path)
    assert first["home"]
    assert first["heavy_at_first_frame"] == []
    # The back end did import its own: the child sees imports, so the empty list above means
    # something.
    assert {"sqlalchemy", "pydantic", "requests"} <= set(first["heavy_when_ready"])
    assert "alembic" not in first["heavy_when_ready"]  # a new store is made without it

    again = _start(running_center.url, tmp_path)  # power-on of a kiosk that has run before
    assert again["heavy_at_first_frame"] == []
    assert "alembic" not in again["heavy_when_ready"]
    assert "sqlalchemy" in again["heavy_when_ready"]
