"""`kiosk screenshots DIR`: every screen as a picture, showing a bill from the reference center."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.embedded_center import EmbeddedCenter
from sync.client import CenterClient

# The demo residents of assets/demo/residents.toml: one account in arrears, one owner of several.
SHOWN_ACCOUNT = "3201000001"
SHOWN_OWNER = "320113195907050036"
SHOWN_DAY = dt.date(2026, 11, 24)


def take_screenshots(
    out_dir: Path, config: KioskConfig, *, only: tuple[str, ...] = ()
) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.app import window_options
    from kiosk.reference_setup import reference_library
    from kiosk.ui.screenshots import render_screens

    options = window_options(config)
    with (
        tempfile.TemporaryDirectory(prefix="kiosk-shots-") as workdir,
        EmbeddedCenter(Path(workdir), today=SHOWN_DAY) as center,
        CenterClient(center.url, config.kiosk.id) as client,
    ):
        bill = client.account_bill(SHOWN_ACCOUNT)
        choices = client.accounts_for_id_number(SHOWN_OWNER)
    return render_screens(
        out_dir,
        bill,
        choices,
        station_name=options["station_name"],
        notices=options["notices"],
        help_info=options["help_info"],
        reference=reference_library(config),
        only=only,
        face_shot=_face_shot(),
    )


def _face_shot() -> tuple[object, tuple[int, int, int, int] | None]:
    """A drawn resident at the real-name check, eyes shut, and the box the face finder puts
    round their face."""
    from drivers.camera.face_pictures import Sitter, face_picture
    from kiosk.vision.faces import look_at_face

    picture = face_picture(Sitter(skin=1, wall=3, light=0.4), eyes_open=False, seed=2)
    return picture, look_at_face(picture).box
