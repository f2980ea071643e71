"""The import rules of the house, read from docs/architecture.md and checked on every file.

The table under "Folders and the arrows between them" is the rule: a folder may import only the
packages its "may import" cell names. Relative imports count as what they resolve to. The pure
packages also may not do I/O or read a clock.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
TOPS = ("rules", "kiosk", "drivers", "sync", "center")
OURS = {*TOPS, "tests"}
PURE = ("rules/", "kiosk/domain/", "sync/protocol/")
BELOW_UI = (
    "rules/",
    "kiosk/domain/",
    "kiosk/services/",
    "kiosk/store/",
    "drivers/",
    "sync/",
    "center/",
)
# Modules that reach a disk, a network, a device, a process, a window or the time of day.
IO_MODULES = {
    "os",
    "io",
    "pathlib",
    "shutil",
    "tempfile",
    "socket",
    "ssl",
    "subprocess",
    "threading",
    "asyncio",
    "time",
    "logging",
    "sqlite3",
    "sqlalchemy",
    "requests",
    "serial",
    "usb",
    "cv2",
    "PySide6",
}
IO_CALLS = {"open", "print", "input"}
CLOCK_READS = {"now", "today", "utcnow", "monotonic", "perf_counter", "time_ns"}


def _rules() -> dict[str, set[str]]:
    """folder -> the packages it may import, from the table in docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Folders and the arrows between them", 1)[1].split("\n## ", 1)[0]
    rules: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        folder = re.findall(r"`([^`]+)`", cells[0])[0].rstrip("/") + "/"
        rules[folder] = set(re.findall(r"`([^`]+)`", cells[2]))
    return rules


RULES = _rules()


def _rule_for(where: str) -> set[str]:
    """The rule of the deepest folder in the table that holds this file."""
    folders = [folder for folder in RULES if where.startswith(folder)]
    assert folders, f"{where} is in no folder of the table in docs/architecture.md"
    return RULES[max(folders, key=len)]


def _module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path) -> list[str]:
    package = _module_of(path) if path.name == "__init__.py" else _module_of(path)[:-1]
    return _imports_of(path.read_text(encoding="utf-8"), package)


def _imports_of(source: str, package: list[str]) -> list[str]:
    """Every module this source imports, relative imports resolved against its package."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package[: len(package) - (node.level - 1)]
                base = ".".join([*up, *([base] if base else [])])
            # `from sync import queue` imports sync.queue, not the whole of sync.
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def _files() -> list[Path]:
    return sorted(p for top in TOPS for p in (ROOT / top).rglob("*.py"))


def _allowed(name: str, allowed: set[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in allowed)


def _where(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", _files(), ids=_where)
def test_imports_follow_the_layers(path: Path) -> None:
    where = _where(path)
    allowed = _rule_for(where)
    for name in _imports(path):
        if name.split(".")[0] in OURS:
            assert _allowed(name, allowed), f"{where} imports {name}"
        if where.startswith(BELOW_UI):
            assert not name.startswith("PySide6"), f"{where} imports Qt below the UI"


@pytest.mark.parametrize("path", [p for p in _files() if _where(p).startswith(PURE)], ids=_where)
def test_the_pure_packages_do_no_io_and_read_no_clock(path: Path) -> None:
    where = _where(path)
    for name in _imports(path):
        assert name.split(".")[0] not in IO_MODULES, f"{where} does I/O through {name}"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            called = node.func
            if isinstance(called, ast.Name):
                assert called.id not in IO_CALLS, f"{where}:{node.lineno} calls {called.id}()"
            if isinstance(called, ast.Attribute):
                assert called.attr not in CLOCK_READS, (
                    f"{where}:{node.lineno} reads the clock ({called.attr}()): pass time in"
                )


def test_the_rules_name_only_our_packages() -> None:
    assert {"rules/", "kiosk/domain/", "kiosk/services/", "center/", "drivers/"} <= set(RULES)
    for folder, allowed in RULES.items():
        for name in allowed:
            assert name.split(".")[0] in TOPS, f"{folder}: `{name}` is not one of our packages"


def test_relative_imports_are_resolved() -> None:
    source = "from . import theme\nfrom ..services.ports import Center\nfrom .. import store\n"
    assert _imports_of(source, ["kiosk", "ui"]) == [
        "kiosk.ui.theme",
        "kiosk.services.ports.Center",
        "kiosk.store",
    ]


def test_no_gui_opencv_wheel_is_declared() -> None:
    text = (ROOT / "pyproject.toml").read_text() + (ROOT / "requirements.lock").read_text()
    assert "opencv-python-headless" in text
    assert "opencv-python==" not in text and '"opencv-python>' not in text
