"""Demo mode's second window: the resident's hands at the simulated devices.

It only calls the simulators' control surfaces (`present`/`remove`, `show_code`, the printer's
paper and cover controls) and the center's wallet simulators (`pay_qr`, `next_payment`); what
the kiosk then does is the real path, through the drivers and the center. A tool for
demonstrations and developers, so it is not translated.
"""

from __future__ import annotations

import logging
import secrets
import tomllib
from collections.abc import Callable, Mapping, Sequence
from functools import partial
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

from kiosk.ui.background import BackgroundTasks
from rules.masking import mask_id_number, mask_name

log = logging.getLogger(__name__)

DEMO_RESIDENTS = Path(__file__).resolve().parents[2] / "assets" / "demo" / "residents.toml"
BILL_QR_PREFIX = "https://95598.js.sgcc.local/bill/"
# Neither a bill nor a payment code: it exercises the kiosk's refusal of what it cannot use.
SAMPLE_CODES = {"Garbage": "%%not-a-code%%"}
# What the wallets' payment codes begin with (18 digits in all): WeChat 10-15, Alipay 25-30.
CODE_PREFIXES = {
    "wechat": ("10", "11", "12", "13", "14", "15"),
    "alipay": ("25", "26", "27", "28", "29", "30"),
}
WALLET_TIMEOUT_S = 10.0


def fresh_payment_code(wallet: str) -> str:
    """A payment code as the wallet app shows it: new each time, as a real one is single-use."""
    prefix = secrets.choice(CODE_PREFIXES[wallet])
    return prefix + "".join(secrets.choice("0123456789") for _ in range(18 - len(prefix)))


def demo_account_numbers(path: Path = DEMO_RESIDENTS) -> list[str]:
    with path.open("rb") as file:
        residents = tomllib.load(file).get("resident", [])
    return [account["number"] for resident in residents for account in resident.get("accounts", [])]


class SimulatorPanel(QWidget):
    """Buttons for each simulated device found in `devices` ("idcard", "scanner", "printer"),
    and the resident's phone: payment codes for the scanner and, with "wallet" hands, the wallet
    app paying the QR on screen (`shown_qr` says which) and the next payment's behaviour.
    """

    def __init__(
        self,
        devices: Mapping[str, Any],
        *,
        bill_qr_prefix: str = BILL_QR_PREFIX,
        accounts: Sequence[str] | None = None,
        shown_qr: Callable[[], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Simulator: the resident's hands")
        self._devices = devices
        self._shown_qr = shown_qr
        # The wallet calls go over HTTP: off the UI thread, each with a deadline.
        self.tasks = BackgroundTasks(workers=2, parent=self)
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
        wallet = devices.get("wallet")
        if (scanner is not None and hasattr(scanner, "show_code")) or wallet is not None:
            layout.addWidget(self._phone_box(scanner, wallet))
        printer = devices.get("printer")
        if printer is not None and hasattr(printer, "paper_out"):
            layout.addWidget(self._printer_box(printer))
        layout.addWidget(self.last_action)
        layout.addStretch(1)

    def closeEvent(self, event: Any) -> None:
        self.tasks.shutdown()
        super().closeEvent(event)

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
                self._button(name, partial(scanner.show_code, text)), index // 2, index % 2
            )
        return box

    def _phone_box(self, scanner: Any, wallet: Any) -> QGroupBox:
        box = QGroupBox("The resident's phone")
        grid = QGridLayout(box)
        if scanner is not None and hasattr(scanner, "show_code"):
            for column, (name, kind) in enumerate(
                (("WeChat payment code", "wechat"), ("Alipay payment code", "alipay"))
            ):
                show = self._button(name, partial(_show_payment_code, scanner, kind))
                grid.addWidget(show, 0, column)
        if wallet is None:
            return box
        grid.addWidget(
            self._button("Pay the QR on screen with the phone", self._pay_qr), 1, 0, 1, 2
        )
        self.next_payment = QComboBox()
        for choice in wallet.choices:
            self.next_payment.addItem(f"next payment: {choice}", choice)
        grid.addWidget(self.next_payment, 2, 0)
        grid.addWidget(
            self._button(
                "Set the next payment",
                lambda: self._in_background(
                    "Next payment", wallet.next_payment, self.next_payment.currentData()
                ),
            ),
            2,
            1,
        )
        return box

    def _pay_qr(self) -> str:
        code_url = self._shown_qr() if self._shown_qr is not None else None
        if not code_url:
            return "no payment QR is on the kiosk's screen"
        return self._in_background("Pay the QR", self._devices["wallet"].pay_qr, code_url)

    def _in_background(self, name: str, work: Callable[..., object], *args: object) -> str:
        """Run a wallet call off the UI thread; `last_action` says how it ended, later."""

        def done(answer: object) -> None:
            self.last_action.setText(f"{name}: done" + (f" ({answer})" if answer else ""))

        def failed(error: BaseException) -> None:
            log.warning("simulator action %r failed: %s", name, type(error).__name__)
            self.last_action.setText(f"{name}: failed ({type(error).__name__}: {error})")

        self.tasks.run(work, *args, timeout_s=WALLET_TIMEOUT_S, on_result=done, on_error=failed)
        return "sent…"

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
                answer = action()
            except Exception as error:  # a demo tool: say what failed, keep the panel alive
                log.warning("simulator action %r failed: %s", name, type(error).__name__)
                self.last_action.setText(f"{name}: failed ({type(error).__name__})")
            else:
                # An action may say more than "done" (a wallet call: "sent…", answered later).
                self.last_action.setText(f"{name}: {answer if isinstance(answer, str) else 'done'}")

        button.clicked.connect(press)
        self.buttons[name] = button
        return button


def _show_payment_code(scanner: Any, kind: str) -> object:
    """A fresh payment code of this wallet, as the resident's phone would show it."""
    return scanner.show_code(fresh_payment_code(kind))
