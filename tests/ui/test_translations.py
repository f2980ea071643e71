"""The Chinese translation is complete and its compiled file is up to date."""

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6

from kiosk.ui.translations import TRANSLATIONS_DIR

TS = TRANSLATIONS_DIR / "kiosk_zh_CN.ts"
QM = TRANSLATIONS_DIR / "kiosk_zh_CN.qm"
TOOLS = Path(PySide6.__file__).parent


def test_every_message_is_translated() -> None:
    messages = list(ET.parse(TS).iter("message"))
    assert len(messages) > 50
    unfinished = [
        m.findtext("source")
        for m in messages
        if m.find("translation").get("type") in ("unfinished", "obsolete", "vanished")
        or not _translated(m.find("translation"))
    ]
    assert unfinished == []


def _translated(translation: ET.Element) -> str:
    """The translation's text, or its plural forms' (a message with %n has those instead)."""
    forms = [form.text or "" for form in translation.iter("numerusform")]
    return "".join(forms).strip() if forms else (translation.text or "").strip()


def test_placeholders_survive_translation() -> None:
    for message in ET.parse(TS).iter("message"):
        source, translation = message.findtext("source"), _translated(message.find("translation"))
        for placeholder in ("{0}", "{1}", "%1", "%n"):
            assert (placeholder in source) == (placeholder in translation), source


def test_compiled_translation_matches_the_source(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    lrelease = shutil.which("lrelease", path=str(TOOLS)) or str(TOOLS / "lrelease")
    subprocess.run([lrelease, str(TS), "-qm", str(fresh)], check=True, capture_output=True)
    assert fresh.read_bytes() == QM.read_bytes(), "run lrelease: kiosk_zh_CN.qm is stale"


def test_every_source_string_is_in_the_ts(tmp_path: Path) -> None:
    """A string added in code but never extracted would stay English on a Chinese screen."""
    extracted = tmp_path / "extracted.ts"
    sources = sorted(str(p) for p in (Path(__file__).parents[2] / "kiosk" / "ui").rglob("*.py"))
    lupdate = str(TOOLS / "lupdate")
    subprocess.run(
        [lupdate, "-locations", "none", *sources, "-ts", str(extracted)],
        check=True,
        capture_output=True,
    )
    wanted = {(m.findtext("source")) for m in ET.parse(extracted).iter("message")}
    have = {(m.findtext("source")) for m in ET.parse(TS).iter("message")}
    assert wanted - have == set()
