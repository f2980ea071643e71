"""Personal data left behind: a scan of the files a test run wrote, and the session hook that
fails the run when it finds any.

What counts: a valid 18-character ID number (check digit and birth date right), the full name
of a demo resident (assets/demo/residents.toml), a payment code in any wallet's format
(kiosk/domain/codes.py). Where: every SQLite file (`*.db` with its `-wal` and `-journal`),
every JSON log (`*.jsonl`, rotated ones too) and every `*.log` under the run's temporary folder.
Photos and PDFs count too: one held in a database or a log (raw or in base64), and any picture
file left in a kiosk's data folder (the kiosk keeps them only sealed in its queue).

Kiosk databases and logs are read byte for byte, write-ahead log and free pages included: what
a deleted row (a compacted queue) left on disk counts too. A center database (it has a `residents`
table) legitimately holds names and ID numbers in its master data; only its other tables are
read, row by row, because payments, received events, audit and the rest must never hold them.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from center.demo_data import RESIDENTS_FILE
from rules.codes import classify_code
from rules.id_number import is_valid_id_number
from rules.masking import mask_digits, mask_name

# Tables of the center's master data, where names and ID numbers belong: its residents, and the
# business they brought (an application's form, a real-name check) as the utility must keep it.
MASTER_DATA_TABLES = frozenset(
    {"residents", "applications", "identity_checks", "documents_on_file"}
)
# A photo or a PDF, raw or in base64: what a face, a page or a signed form looks like in a file.
# Long enough never to occur by chance in encrypted bytes (a JPEG's bare 3-byte start would).
_PICTURES = (
    ("photo", re.compile(rb"\xff\xd8\xff\xe0\x00\x10JFIF|\xff\xd8\xff\xe1..Exif", re.DOTALL)),
    ("photo", re.compile(rb"\x89PNG\r\n\x1a\n")),
    ("pdf", re.compile(rb"%PDF-1\.[0-9]")),
    ("photo", re.compile(rb"/9j/4AAQSkZJRg|iVBORw0KGgo")),
    ("pdf", re.compile(rb"JVBERi0xL")),
)
# Loose files that are pictures of a person or of their papers when a kiosk leaves them. Not
# PNG: the printer simulator keeps each receipt's picture as one, and the demo camera's bill.
_PICTURE_FILES = (".jpg", ".jpeg", ".pdf", ".webp", ".bmp")
SQLITE_HEADER = b"SQLite format 3\x00"

_ID_CANDIDATE = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]{16,24}(?![0-9])")
# Our ids (payment ids, event ids: 32 hex digits, with or without dashes) may hold a long run
# of decimal digits by chance; they are taken out before looking for codes.
_HEX_ID = re.compile(
    r"(?<![0-9a-fA-F])(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"(?![0-9a-fA-F])"
)
# An e-invoice number (center/invoices.py: year, province 32, sequence) has an Alipay code's
# shape in the years 2025-2030; it is the invoice's public number, not a payment code.
_INVOICE_NUMBER = re.compile(r"^[0-9]{2}32[0-9]{16}$")
# A WebRTC session description's origin line ("o=- 2542165893347972503 2 IN IP4 ..."): the
# session id is a random 64-bit number (Chromium's are 19 digits), relayed through the center's
# call signals; it is no payment code.
_SDP_ORIGIN = re.compile(r"o=- [0-9]+ [0-9]+ IN IP[46]")
_BASETEMP = pytest.StashKey[Path]()


@dataclass(frozen=True)
class Finding:
    place: str  # file, and table for a center database
    kind: str  # id_number | name | payment_code
    shown: str  # masked: the report must not leak what it found

    def __str__(self) -> str:
        return f"{self.place}: {self.kind} {self.shown}"


def demo_names(residents_file: Path = RESIDENTS_FILE) -> frozenset[str]:
    listed = tomllib.loads(residents_file.read_text(encoding="utf-8"))["resident"]
    return frozenset(resident["name"] for resident in listed)


def personal_data_in(text: str, names: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(kind, masked) for each piece of personal data in `text`."""
    text = _SDP_ORIGIN.sub(" ", _HEX_ID.sub(" ", text))
    ids = set()
    for match in _ID_CANDIDATE.finditer(text):
        if is_valid_id_number(match.group()):
            ids.add(match.group())
            yield "id_number", mask_digits(match.group())
    for match in _DIGIT_RUN.finditer(text):
        run = match.group()
        if run in ids or _INVOICE_NUMBER.match(run):
            continue
        if classify_code(run, "-").is_payment_code:
            yield "payment_code", mask_digits(run)
    for name in names:
        if name in text:
            yield "name", mask_name(name)


def pictures_in(raw: bytes) -> Iterator[tuple[str, str]]:
    """(kind, where) for each photo or PDF held in `raw`, raw or as base64."""
    for kind, signature in _PICTURES:
        match = signature.search(raw)
        if match:
            yield kind, f"at byte {match.start()}"


def scan_file(path: Path, names: Iterable[str]) -> list[Finding]:
    """What one file holds; a center database is read outside its master data only."""
    names = tuple(names)
    if path.suffix == ".db" and _is_center_database(path):
        return [
            Finding(f"{path} [{table}]", kind, shown)
            for table, text in _center_tables_text(path)
            for kind, shown in (
                *personal_data_in(text, names),
                *pictures_in(text.encode("utf-8", errors="replace")),
            )
        ]
    if path.suffix.lower() in _PICTURE_FILES:
        return [Finding(str(path), "photo" if path.suffix != ".pdf" else "pdf", "a file")]
    found = [
        Finding(str(path), kind, shown) for kind, shown in personal_data_in(_text(path), names)
    ]
    return found + [Finding(str(path), kind, at) for kind, at in pictures_in(path.read_bytes())]


def scan_folder(root: Path, names: Iterable[str] | None = None) -> list[Finding]:
    """Every database and log file under `root`."""
    names = tuple(demo_names() if names is None else names)
    findings: list[Finding] = []
    for path in sorted(_files_to_scan(root)):
        findings.extend(scan_file(path, names))
    return findings


def _files_to_scan(root: Path) -> Iterator[Path]:
    for path in _walk(root):
        if not path.is_file() or path.is_symlink():
            continue
        name = path.name
        is_database = re.search(r"\.db(-wal|-journal)?$", name) is not None
        is_log = re.search(r"\.jsonl(\.[0-9]+)?$", name) or re.search(r"\.log(\.[0-9]+)?$", name)
        if is_database and name.endswith(("-wal", "-journal")):
            main = path.with_name(re.sub(r"-(wal|journal)$", "", name))
            if main.exists() and _is_center_database(main):
                continue  # read through the database itself, table by table
        if (
            is_database
            or is_log
            or (path.suffix.lower() in _PICTURE_FILES and _in_kiosk_data_folder(path, root))
        ):
            yield path


# In a whole Debian root a test installed the kiosk into, only the kiosk's own folders are its.
_KIOSK_FOLDERS_IN_A_ROOT = ("var/lib/base-station-kiosk", "var/log/base-station-kiosk")


def _walk(root: Path) -> Iterator[Path]:
    """Every file under `root`, but not through mount points (/proc of a chroot a test left
    mounted) nor through an operating system's files (a Debian root: only the kiosk's folders)."""
    for folder, folders, files in os.walk(root, onerror=lambda _error: None):
        here = Path(folder)
        if (here / "etc" / "debian_version").exists():
            folders[:] = []
            for inside in _KIOSK_FOLDERS_IN_A_ROOT:
                if (here / inside).is_dir() and not (here / inside).is_symlink():
                    yield from _walk(here / inside)
            continue
        folders[:] = [name for name in folders if not os.path.ismount(here / name)]
        yield from (here / name for name in files)


def _in_kiosk_data_folder(path: Path, root: Path) -> bool:
    """Whether a kiosk's data folder (the one holding its kiosk.db) holds this file: a kiosk
    keeps no photo or form on disk but sealed in its queue. Screenshots a test takes elsewhere
    are the test's own pictures."""
    for folder in path.parents:
        if (folder / "kiosk.db").exists():
            return True
        if folder == root:
            return False
    return False


def _text(path: Path) -> str:
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    if ".jsonl" in path.name:
        # A JSON writer may escape non-ASCII: read each entry back as what it says.
        decoded = []
        for line in text.splitlines():
            try:
                decoded.append(json.dumps(json.loads(line), ensure_ascii=False))
            except ValueError:
                decoded.append(line)
        text += "\n" + "\n".join(decoded)
    return text


def _is_center_database(path: Path) -> bool:
    try:
        if path.read_bytes()[:16] != SQLITE_HEADER:
            return False
        with _read_only(path) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        return False
    return "residents" in tables


def _center_tables_text(path: Path) -> Iterator[tuple[str, str]]:
    with _read_only(path) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        for table in tables:
            if table in MASTER_DATA_TABLES:
                continue
            rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()
            yield table, "\n".join(" ".join(map(_cell_text, row)) for row in rows)


# A cell that is all hex, 32 digits or more with a letter among them: a digest or an id (a
# wallet order's params_hash). Its decimal runs are chance, never personal data.
_DIGEST = re.compile(r"(?=[0-9a-f]*[a-f])[0-9a-f]{32,}")


def _cell_text(cell: object) -> str:
    text = cell.decode("utf-8", errors="replace") if isinstance(cell, bytes) else str(cell)
    return "" if _DIGEST.fullmatch(text) else text


class _read_only:
    """A SQLite connection that cannot change the file it reads."""

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def __enter__(self) -> sqlite3.Connection:
        return self._connection

    def __exit__(self, *_exc: object) -> None:
        self._connection.close()


# -- the session hook ----------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _remember_basetemp(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    request.config.stash[_BASETEMP] = tmp_path_factory.getbasetemp()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """After the last test: fail the run if any file it wrote holds personal data."""
    root = session.config.stash.get(_BASETEMP, None)
    if root is None or not root.exists():
        return
    findings = scan_folder(root)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write("\n")  # the progress line is not ended yet
    if not findings:
        if reporter is not None:
            reporter.write_line(f"personal-data scan: clean ({root})")
        return
    if reporter is not None:
        reporter.write_sep("=", "personal-data scan: personal data left in files", red=True)
        for finding in findings[:50]:
            reporter.write_line(str(finding))
        if len(findings) > 50:
            reporter.write_line(f"... and {len(findings) - 50} more")
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
