"""The import rules of the house (ARCHITECTURE.md), checked on every file."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"kiosk", "drivers", "sync", "center", "tests"}

# Which of our packages each folder may import (prefix match); the first matching rule wins.
RULES: list[tuple[str, set[str]]] = [
    ("kiosk/domain", {"kiosk.domain"}),
    (
        "kiosk/services",
        # sync.periodic: the one background loop the services' watchers and the pulls share.
        {
            "kiosk.domain",
            "kiosk.services",
            "drivers.contracts",
            "sync.client",
            "sync.protocol",
            "sync.periodic",
        },
    ),
    ("kiosk/store", {"kiosk.domain", "kiosk.store", "sync.queue", "sync.protocol"}),
    (
        "kiosk/ui",
        {"kiosk.ui", "kiosk.services", "kiosk.domain", "drivers.contracts", "sync.protocol"},
    ),
    ("kiosk", {"kiosk", "drivers", "sync"}),
    ("drivers", {"drivers"}),
    ("sync", {"sync"}),
    # The center bills with the same pure rules the kiosk explains, so tariffs compute one way.
    ("center", {"center", "sync.protocol", "kiosk.domain"}),
]
NO_QT_BELOW_UI = ("kiosk/domain", "kiosk/services", "kiosk/store", "drivers", "sync", "center")
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
    tops = ("kiosk", "drivers", "sync", "center")
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
