"""Pictures of every screen, in both languages and both orientations, for review and the docs.

Residents see pictures, not code: these PNGs are how a change to the screen gets reviewed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from kiosk.ui.local_text import CHINESE, ENGLISH, HelpInfo, LocalText
from kiosk.ui.main_window import KioskWindow

if TYPE_CHECKING:
    from sync.protocol import AccountBill, AccountSummary


SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
DEFAULT_HELP = HelpInfo(
    hotline="95598",
    hall={"zh": "最近的供电营业厅", "en": "The nearest power supply service hall"},
    hours={"zh": "每天 8:30-17:30", "en": "Every day, 8:30-17:30"},
)


def _scenes(
    bill: AccountBill, choices: Sequence[AccountSummary]
) -> dict[str, Callable[[KioskWindow], None]]:
    """Screen name -> how to bring the window to it from a fresh session."""

    def typed(window: KioskWindow) -> None:
        window.show_screen(window.entry.name)
        for digit in bill.account.number[:6]:
            window.entry.type_digit(digit)

    def busy(window: KioskWindow) -> None:
        typed(window)
        window.entry.show_busy(window.flow.tr("Looking up your account…"))

    def message(window: KioskWindow) -> None:
        typed(window)
        window.entry.show_message(
            window.flow.tr(
                "The service center cannot be reached right now. "
                "Please try again later, or call the hotline."
            )
        )

    def choice(window: KioskWindow) -> None:
        window.choice.set_accounts(choices)
        window.show_screen(window.choice.name)

    def show_bill(window: KioskWindow) -> None:
        window.bill.show_bill(bill)
        window.show_screen(window.bill.name)

    def countdown(window: KioskWindow) -> None:
        show_bill(window)
        window.show_countdown(28)

    def large(scene: Callable[[KioskWindow], None]) -> Callable[[KioskWindow], None]:
        def scene_in_large_text(window: KioskWindow) -> None:
            window.set_large_text(True)
            scene(window)

        return scene_in_large_text

    return {
        "idle": lambda window: None,
        "home": lambda window: window.show_screen(window.home.name),
        "account_entry": typed,
        "account_entry_busy": busy,
        "account_entry_message": message,
        "account_choice": choice,
        "bill": show_bill,
        "help": lambda window: window.show_screen(window.help.name),
        "countdown": countdown,
        "home_large": large(lambda window: window.show_screen(window.home.name)),
        "account_entry_large": large(typed),
        "bill_large": large(show_bill),
    }


def render_screens(
    out_dir: Path,
    bill: AccountBill,
    choices: Sequence[AccountSummary],
    *,
    station_name: str = "营业基站",
    notices: Sequence[LocalText] = (),
    help_info: HelpInfo = DEFAULT_HELP,
    languages: Sequence[str] = (CHINESE, ENGLISH),
) -> list[Path]:
    """Render every screen offscreen to `<screen>-<lang>-<landscape|portrait>.png` files.

    Needs a QApplication (created here if there is none).
    """
    app = QApplication.instance() or QApplication([])
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    scenes = _scenes(bill, choices)
    for language in languages:
        for orientation, (width, height) in SIZES.items():
            for screen, scene in scenes.items():
                window = KioskWindow(
                    None,
                    station_name=station_name,
                    notices=notices,
                    help_info=help_info,
                    language=language,
                )
                try:
                    window.fit(width, height)
                    window.show()
                    if screen != "idle":
                        window.start_session()
                    scene(window)
                    app.processEvents()
                    path = out_dir / f"{screen}-{language}-{orientation}.png"
                    if not window.grab().save(str(path)):
                        raise OSError(f"could not write {path}")
                    written.append(path)
                finally:
                    window.teardown()
                    window.close()
                    window.deleteLater()
    app.processEvents()
    return written
