"""Demo mode's second window: the resident's hands at the simulated devices.

It only calls the simulators' control surfaces (`present`/`remove`, `show_code`, the printer's
paper and cover controls); what the kiosk then does is the real path, through the drivers.
A tool for demonstrations and developers, so it is not translated.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.masking import mask_id_number, mask_name

log = logging.getLogger(__name__)

DEMO_RESIDENTS = Path(__file__).resolve().parents[2] / "assets" / "demo" / "residents.toml"
BILL_QR_PREFIX = "https://95598.js.sgcc.local/bill/"
# Well-formed but never issued by a wallet: they exercise the kiosk's refusal of payment codes.
SAMPLE_CODES = {
    "WeChat payment code": "134567890123456789",
    "Alipay payment code": "286543210987654321",
    "Garbage": "%%not-a-code%%",
}


def demo_account_numbers(path: Path = DEMO_RESIDENTS) -> list[str]:
    with path.open("rb") as file:
        residents = tomllib.load(file).get("resident", [])
    return [account["number"] for resident in residents for account in resident.get("accounts", [])]


class SimulatorPanel(QWidget):
    """Buttons for each simulated device found in `devices` ("idcard", "scanner", "printer")."""

    def __init__(
        self,
        devices: Mapping[str, Any],
        *,
        bill_qr_prefix: str = BILL_QR_PREFIX,
        accounts: Sequence[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Simulator: the resident's hands")
        self._devices = devices
        layout = QVBoxLayout(self)
        self.last_action = QLabel("Ready.")
        self.last_action.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        reader = devices.get("idcard")
        if reader is not None and hasattr(reader, "present"):
            layout.addWidget(self._id_card_box(reader))
        scanner = devices.get("scanner")
        if scanner is not None and hasattr(scanner, "show_code"):
            numbers = list(accounts) if accounts is not None else demo_account_numbers()
            codes = {f"Bill QR {n}": bill_qr_prefix + n for n in numbers} | SAMPLE_CODES
            layout.addWidget(self._scanner_box(scanner, codes))
        printer = devices.get("printer")
        if printer is not None and hasattr(printer, "paper_out"):
            layout.addWidget(self._printer_box(printer))
        layout.addWidget(self.last_action)
        layout.addStretch(1)

    def _id_card_box(self, reader: Any) -> QGroupBox:
        box = QGroupBox("ID card reader")
        grid = QGridLayout(box)
        self.deck = QComboBox()
        for card in reader.deck:
            # Synthetic residents, but shown masked as a real card would be.
            self.deck.addItem(
                f"{mask_name(card.name)}  {mask_id_number(card.id_number)}", card.id_number
            )
        grid.addWidget(self.deck, 0, 0, 1, 2)
        grid.addWidget(
            self._button("Place card on reader", lambda: reader.present(self.deck.currentData())),
            1,
            0,
        )
        grid.addWidget(self._button("Take card away", reader.remove), 1, 1)
        return box

    def _scanner_box(self, scanner: Any, codes: Mapping[str, str]) -> QGroupBox:
        box = QGroupBox("Code scanner")
        grid = QGridLayout(box)
        for index, (name, text) in enumerate(codes.items()):
            grid.addWidget(
                self._button(name, lambda t=text: scanner.show_code(t)), index // 2, index % 2
            )
        return box

    def _printer_box(self, printer: Any) -> QGroupBox:
        box = QGroupBox("Receipt printer")
        grid = QGridLayout(box)
        actions = {
            "Paper out": printer.paper_out,
            "Paper near end": printer.paper_near_end,
            "Cover open": printer.open_cover,
            "Back to normal": printer.back_to_normal,
        }
        for index, (name, action) in enumerate(actions.items()):
            grid.addWidget(self._button(name, action), index // 2, index % 2)
        return box

    def _button(self, name: str, action: Callable[[], object]) -> QPushButton:
        button = QPushButton(name)
        button.setMinimumHeight(44)

        def press() -> None:
            try:
                action()
            except Exception as error:  # a demo tool: say what failed, keep the panel alive
                log.warning("simulator action %r failed: %s", name, type(error).__name__)
                self.last_action.setText(f"{name}: failed ({type(error).__name__})")
            else:
                self.last_action.setText(f"{name}: done")

        button.clicked.connect(press)
        self.buttons[name] = button
        return button
