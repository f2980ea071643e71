"""Demo mode's devices: simulators speaking the real wire protocols on pseudo-terminals, so the
kiosk runs its real drivers (ESC/POS printer, SAM ID-card reader, serial scanner, OpenCV camera)
exactly as on a base station; and the "hands" the simulator panel uses to act on them.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import cv2

from drivers.camera.code_pictures import code_picture
from drivers.contracts import IdCard
from drivers.idcard.simulator import IdCardSimulator
from drivers.printer.simulator import PrinterSimulator
from drivers.scanner.simulator import ScannerSimulator
from kiosk.config import DeviceSection, KioskConfig

log = logging.getLogger(__name__)

BAUD = 115200


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

    def start(self) -> DemoDevices:
        self.printer.start()
        self.reader.start()
        self.scanner.plug_in()
        # What the camera sees in the demo: a bill's QR held up, now and then.
        self.pictures.mkdir(exist_ok=True)
        picture = code_picture(self._bill_qr_prefix + "3201000001", seed=1)
        cv2.imwrite(str(self.pictures / "bill.png"), picture)
        log.info("demo devices on pseudo-terminals", extra={"folder": str(self.folder)})
        return self

    def stop(self) -> None:
        for stop in (self.scanner.unplug, self.reader.stop, self.printer.stop):
            try:
                stop()
            except Exception:  # every simulator must get its chance to stop
                log.exception("a demo device did not stop cleanly")

    def hands(self) -> dict[str, Any]:
        return {
            "idcard": CardHands(self.reader),
            "scanner": ScannerHands(self.scanner),
            "printer": PrinterHands(self.printer),
        }

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
