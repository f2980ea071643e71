"""Every screen renders to a picture of the right size, in both orientations."""

from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage

from kiosk.ui.local_text import ENGLISH
from kiosk.ui.screenshots import SIZES, render_screens
from sync.client import CenterClient
from tests.support.ui import DEMO_ACCOUNT, HELP, NOTICES

OWNER_OF_SEVERAL = "320113195907050036"


def test_screens_render_in_both_orientations(
    qtbot: Any, running_center: Any, tmp_path: Path
) -> None:
    with CenterClient(running_center.url, "kiosk-shots") as client:
        bill = client.account_bill(DEMO_ACCOUNT)
        choices = client.accounts_for_id_number(OWNER_OF_SEVERAL)
    files = render_screens(
        tmp_path,
        bill,
        choices,
        station_name="钟灵街营业基站",
        notices=NOTICES,
        help_info=HELP,
        languages=(ENGLISH,),
    )
    assert len(files) >= 12
    names = {f.name for f in files}
    for screen in ("idle", "home", "account_entry", "account_choice", "bill", "help"):
        for orientation in SIZES:
            assert f"{screen}-en-{orientation}.png" in names
    for path in files:
        image = QImage(str(path))
        orientation = path.stem.rsplit("-", 1)[1]
        assert (image.width(), image.height()) == SIZES[orientation], path.name
        # Not blank: a rendered screen has many colours (text, bars, buttons).
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 37)
            for y in range(0, image.height(), 41)
        }
        assert len(colours) > 3, path.name
