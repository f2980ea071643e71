"""The center's seal: made once on first start and kept, or configured from files; a PDF sealed
by one center is not taken as another's; no CJK font is a clear error."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

from center.business.sealed_pdf import (
    FONT_ENV,
    SEAL_CERT_ENV,
    SEAL_KEY_ENV,
    CenterSeal,
    NoCjkFont,
    find_cjk_font,
    sealed_application,
    verify_sealed_pdf,
)
from center.business.tables import ApplicationRow

NOW = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


def row() -> ApplicationRow:
    return ApplicationRow(
        number="SQ261124ABCDEFGHJ",
        kind="change-holder",
        station="station-7",
        account_number="3100012345",
        form={"name": "李四", "address": "上海市徐汇区某路2号"},
        promised=["ownership-proof"],
        on_file=[],
        content_sha256="ab" * 32,
        submitted_at=NOW,
        received_at=NOW,
    )


def png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (200, 60), 255).save(out, "PNG")
    return out.getvalue()


def test_the_seal_is_made_once_and_kept(tmp_path: Path) -> None:
    first = CenterSeal.configured(tmp_path, env={})
    again = CenterSeal.configured(tmp_path, env={})
    assert first.certificate.dump() == again.certificate.dump()
    assert (tmp_path / "seal.pem").stat().st_mode & 0o077 == 0  # the key is the center's alone


def test_a_configured_seal_comes_from_its_files(tmp_path: Path) -> None:
    made = CenterSeal.configured(tmp_path / "made", env={})
    bundle = tmp_path / "made" / "seal.pem"
    env = {SEAL_KEY_ENV: str(bundle), SEAL_CERT_ENV: str(bundle)}
    configured = CenterSeal.configured(tmp_path / "unused", env=env)
    assert configured.certificate.dump() == made.certificate.dump()
    assert not (tmp_path / "unused" / "seal.pem").exists()
    with pytest.raises(ValueError, match="both"):
        CenterSeal.configured(tmp_path, env={SEAL_KEY_ENV: str(bundle)})


def test_a_pdf_sealed_by_another_center_is_not_this_ones(tmp_path: Path) -> None:
    ours = CenterSeal.configured(tmp_path / "ours", env={})
    theirs = CenterSeal.configured(tmp_path / "theirs", env={})
    pdf = sealed_application(theirs, row(), [("ownership-proof", "cd" * 32)], png())
    assert verify_sealed_pdf(pdf)  # intact as sealed
    assert verify_sealed_pdf(pdf, theirs)
    assert not verify_sealed_pdf(pdf, ours)
    assert not verify_sealed_pdf(b"%PDF-1.7 not really")


def test_no_cjk_font_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NoCjkFont, match="fonts-noto-cjk"):
        find_cjk_font({}, patterns=())
    with pytest.raises(NoCjkFont, match=FONT_ENV):
        find_cjk_font({FONT_ENV: str(tmp_path / "missing.ttf")}, patterns=())
    assert find_cjk_font({}).path.endswith((".ttc", ".ttf", ".otf"))
