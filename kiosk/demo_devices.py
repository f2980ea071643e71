"""Demo mode's devices: simulators speaking the real wire protocols on pseudo-terminals, so the
kiosk runs its real drivers (ESC/POS printer, SAM ID-card reader, serial scanner, OpenCV camera)
exactly as on a base station; and the "hands" the simulator panel uses to act on them.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from pathlib import Path
from typing import Any

import cv2
import requests

from drivers.camera.code_pictures import code_picture
from drivers.camera.face_pictures import resident_blinking
from drivers.contracts import IdCard
from drivers.idcard.simulator import IdCardSimulator
from drivers.printer.simulator import PrinterSimulator
from drivers.scanner.simulator import ScannerSimulator
from kiosk.config import DeviceSection, KioskConfig

log = logging.getLogger(__name__)

BAUD = 115200
# How the wallets may treat the next payment, for demonstrations (center/wallets/behaviour.py).
NEXT_PAYMENT = {
    "success": "success",
    "asks for password": "userpaying_success",
    "declined: no money": "insufficient_funds",
    "wallet error, then paid": "bankerror",
    "error, money taken, refunded": "payerror_charged",
}


class CardHands:
    """Places a card from the deck on the simulated reader, or takes it away."""

    def __init__(self, reader: IdCardSimulator) -> None:
        self._reader = reader

    @property
    def deck(self) -> tuple[IdCard, ...]:
        return self._reader.deck

    def present(self, id_number: str) -> None:
        index = next(i for i, card in enumerate(self.deck) if card.id_number == id_number)
        self._reader.place(index)

    def remove(self) -> None:
        self._reader.remove()


class ScannerHands:
    """Holds a code in front of the simulated scanner."""

    def __init__(self, scanner: ScannerSimulator) -> None:
        self._scanner = scanner

    def show_code(self, text: str) -> None:
        self._scanner.show(text)


class WalletHands:
    """The resident's wallet app, paying the QR on screen, and the demonstrator's choice of how
    the wallets treat the next payment. The wallets are the center's simulators (its /sim/wallets
    routes); every call blocks for at most `timeout_s`, so run it off the UI thread.
    """

    choices = tuple(NEXT_PAYMENT)

    def __init__(self, center_url: str, timeout_s: float = 5.0) -> None:
        self._center_url = center_url.rstrip("/")
        self._timeout_s = timeout_s

    def pay_qr(self, code_url: str) -> str:
        """Scan the QR and pay; returns the wallet's state of the order ("SUCCESS", ...)."""
        answer = requests.post(
            f"{self._center_url}/sim/wallets/native/pay",
            json={"code_url": code_url},
            timeout=self._timeout_s,
        )
        if answer.status_code == 404:
            raise LookupError("the wallet knows no open order with this QR")
        answer.raise_for_status()
        return str(answer.json().get("state", ""))

    def next_payment(self, choice: str) -> None:
        """How the wallets treat the next payment, one of NEXT_PAYMENT's keys."""
        answer = requests.post(
            f"{self._center_url}/sim/wallets/behaviour",
            json={"next": [NEXT_PAYMENT[choice]]},
            timeout=self._timeout_s,
        )
        answer.raise_for_status()


class PrinterHands:
    """What a technician does to a printer: take the paper out, open the cover, fix it."""

    def __init__(self, printer: PrinterSimulator) -> None:
        self._printer = printer

    def paper_out(self) -> None:
        self._printer.set_state("paper-out")

    def paper_near_end(self) -> None:
        self._printer.set_state("near-end")

    def open_cover(self) -> None:
        self._printer.set_state("cover-open")

    def back_to_normal(self) -> None:
        self._printer.set_state("normal")


class DemoDevices:
    """Starts the simulators in `folder` (stable links there, like /dev/serial/by-id)."""

    def __init__(self, folder: Path, bill_qr_prefix: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.receipts = folder / "receipts"
        self.printer = PrinterSimulator(self.receipts, baud=BAUD, link=folder / "printer")
        self.reader = IdCardSimulator(link=folder / "idcard", baud=BAUD)
        self.scanner = ScannerSimulator(link=folder / "scanner")
        self.pictures = folder / "camera"
        self._bill_qr_prefix = bill_qr_prefix
        self._filming: threading.Thread | None = None

    def start(self) -> DemoDevices:
        self.printer.start()
        self.reader.start()
        self.scanner.plug_in()
        # What the camera sees in the demo, in a loop: a bill's QR held up now and then, and a
        # resident in front of it who closes their eyes and opens them (the real-name check).
        self.pictures.mkdir(exist_ok=True)
        picture = code_picture(self._bill_qr_prefix + "3201000001", seed=1)
        cv2.imwrite(str(self.pictures / "bill.png"), picture)
        # Drawing the resident takes most of a second: behind the first frame, not before it.
        self._filming = threading.Thread(target=self._film_resident, name="demo-resident",
                                         daemon=True)  # fmt: skip
        self._filming.start()
        log.info("demo devices on pseudo-terminals", extra={"folder": str(self.folder)})
        return self

    def _film_resident(self) -> None:
        for index, frame in enumerate(resident_blinking()):
            ok, jpeg = cv2.imencode(".jpg", frame)
            if not ok:
                continue
            part = self.pictures / f"resident-{index:02d}.part"
            part.write_bytes(jpeg.tobytes())
            part.replace(part.with_suffix(".jpg"))  # whole, or not there: never half a picture

    def stop(self) -> None:
        if self._filming is not None:
            self._filming.join(timeout=5)
        for stop in (self.scanner.unplug, self.reader.stop, self.printer.stop):
            try:
                stop()
            except Exception:  # every simulator must get its chance to stop
                log.exception("a demo device did not stop cleanly")

    def hands(self, center_url: str | None = None) -> dict[str, Any]:
        hands: dict[str, Any] = {
            "idcard": CardHands(self.reader),
            "scanner": ScannerHands(self.scanner),
            "printer": PrinterHands(self.printer),
        }
        if center_url is not None:
            hands["wallet"] = WalletHands(center_url)
        return hands

    def configure(self, config: KioskConfig) -> KioskConfig:
        """The configuration with every device on its real driver, pointed at its simulator."""
        devices = config.devices

        def wired(driver: str, url: str) -> DeviceSection:
            return DeviceSection(driver=driver, url=url, enabled=True, options={})

        return dataclasses.replace(
            config,
            devices=dataclasses.replace(
                devices,
                printer=wired("escpos", f"serial://{self.printer.path}?baud={BAUD}"),
                idcard=wired("sam_serial", f"serial://{self.reader.path}?baud={BAUD}"),
                scanner=wired("serial", f"serial://{self.scanner.path}?baud=9600"),
                camera=wired("opencv", f"file://{self.pictures}"),
            ),
        )
