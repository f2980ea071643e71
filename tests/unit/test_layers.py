"""The import rules of the house (ARCHITECTURE.md), checked on every file."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"rules", "kiosk", "drivers", "sync", "center", "tests"}

# Which of our packages each folder may import (prefix match); the first matching rule wins.
RULES: list[tuple[str, set[str]]] = [
    ("rules", {"rules"}),
    ("kiosk/domain", {"kiosk.domain", "rules"}),
    (
        "kiosk/services",
        # sync.periodic: the one background loop the services' watchers and the pulls share.
        {
            "rules",
            "kiosk.domain",
            "kiosk.services",
            "drivers.contracts",
            "sync.protocol",
            "sync.periodic",
        },
    ),
    ("kiosk/store", {"rules", "kiosk.domain", "kiosk.store", "sync.queue", "sync.protocol"}),
    (
        "kiosk/ui",
        {
            "rules",
            "kiosk.ui",
            "kiosk.services",
            "kiosk.domain",
            "drivers.contracts",
            "sync.protocol",
        },
    ),
    ("kiosk", {"rules", "kiosk", "drivers", "sync"}),
    ("drivers", {"drivers", "rules"}),
    ("sync", {"sync"}),
    ("center", {"center", "sync.protocol", "rules"}),
]
NO_QT_BELOW_UI = (
    "rules",
    "kiosk/domain",
    "kiosk/services",
    "kiosk/store",
    "drivers",
    "sync",
    "center",
)
NO_IO_IN_DOMAIN = {
    "sqlalchemy",
    "requests",
    "serial",
    "socket",
    "subprocess",
    "PySide6",
    "cv2",
    "os",
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from sync import queue` imports sync.queue, not the whole of sync.
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _files() -> list[Path]:
    tops = ("rules", "kiosk", "drivers", "sync", "center")
    return sorted(p for top in tops for p in (ROOT / top).rglob("*.py"))


def _allowed(name: str, allowed: set[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in allowed)


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path: Path) -> None:
    where = path.relative_to(ROOT).as_posix()
    allowed = next(rule for prefix, rule in RULES if where.startswith(prefix + "/"))
    for name in _imports(path):
        if name.split(".")[0] in OURS:
            assert _allowed(name, allowed), f"{where} imports {name}"
        if where.startswith(NO_QT_BELOW_UI):
            assert not name.startswith("PySide6"), f"{where} imports Qt below the UI"
        if where.startswith("kiosk/domain"):
            assert name.split(".")[0] not in NO_IO_IN_DOMAIN, f"{where} does I/O through {name}"


def test_no_gui_opencv_wheel_is_declared() -> None:
    text = (ROOT / "pyproject.toml").read_text() + (ROOT / "requirements.lock").read_text()
    assert "opencv-python-headless" in text
    assert "opencv-python==" not in text and '"opencv-python>' not in text
