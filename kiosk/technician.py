"""What the `kiosk device` commands do (their words are in kiosk/device_commands.py).

Each exercises a device through its real driver; personal data is printed masked.
"""

from __future__ import annotations

import argparse
import queue
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from drivers.contracts import (
    Align,
    Cut,
    DataEvent,
    Device,
    DeviceError,
    ErrorEvent,
    Feed,
    Health,
    HealthStatus,
    OutputCompleteEvent,
    PrintJob,
    QrCode,
    TextLine,
    TextSize,
)
from drivers.registry import DriverError, load_driver
from kiosk.config import DEVICE_KINDS, KioskConfig
from kiosk.device_names import DEV, naming, stable_names
from rules.codes import classify_code
from rules.masking import mask_address, mask_id_number, mask_name


def run_device_command(
    args: argparse.Namespace, config: KioskConfig, out: TextIO = sys.stdout
) -> int:
    if args.action == "list":
        return list_devices(config, out)
    if args.action == "test":
        return test_device(config, args.kind, args.driver, args.url, args.wait, out)
    return decode_images(config, args.images, args.decoder, out)


# The driver that speaks each device's wire protocol: what a port given on the command line
# means when the configuration still names the in-process simulated device.
WIRE_DRIVERS = {"printer": "escpos", "idcard": "sam_serial", "scanner": "serial"}


def _build(config: KioskConfig, kind: str, driver: str | None, url: str | None) -> Device:
    section = getattr(config.devices, kind)
    if url and url.startswith("/"):
        url = f"serial://{url}"  # a bare device path, as kiosk-sim prints it
    chosen = driver or section.driver
    options = dict(section.options)
    if url and not driver and chosen == "simulated":
        chosen, options = WIRE_DRIVERS.get(kind, chosen), {}
    return load_driver(kind, chosen, {**options, "url": url or section.url})


LIST_WAIT_S = 3.0  # for a device's first status, in `kiosk device list`


def list_devices(config: KioskConfig, out: TextIO, dev: Path = DEV) -> int:
    """Every configured device with its health and how it is named, then every stable device
    name present: what a technician copies into the configuration."""
    worst = 0
    names = stable_names(dev)
    for kind in DEVICE_KINDS:
        section = getattr(config.devices, kind)
        named = naming(section.url, names, dev)
        if not section.enabled:
            print(f"{kind:<8} {section.driver:<12} {section.url:<40} disabled", file=out)
            continue
        try:
            device = _build(config, kind, None, None)
            device.open()
            try:
                health = _settled_health(device)
            finally:
                device.close()
            shown = f"{health.status.value}: {health.detail}"
            worst = max(worst, 0 if health.status.value in ("ok", "warning") else 1)
        except (DriverError, DeviceError) as error:
            shown, worst = f"fault: {error}", 1
        print(f"{kind:<8} {section.driver:<12} {section.url:<40} {shown}", file=out)
        if named is not None:
            print(f"{'':<8} {named}", file=out)
    print("stable device names present:" if names else "no stable device names present", file=out)
    for name in names:
        print(f"  {name.name} -> {name.node}", file=out)
    return worst


def _settled_health(device: Device, wait_s: float = LIST_WAIT_S) -> Health:
    """The device's health once it has had a moment to learn it: a printer polls its status
    on its own thread after opening, and says "unknown" until the first answer."""
    deadline = time.monotonic() + wait_s
    health = device.check_health()
    while health.status is HealthStatus.UNKNOWN and time.monotonic() < deadline:
        time.sleep(0.05)
        health = device.check_health()
    return health


def _events(device: Device) -> tuple[queue.Queue[Any], Callable[[], None]]:
    inbox: queue.Queue[Any] = queue.Queue()
    return inbox, device.subscribe(inbox.put)


def _wait_for(inbox: queue.Queue[Any], wanted: Callable[[Any], bool], seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            event = inbox.get(timeout=left)
        except queue.Empty:
            break
        if wanted(event):
            return event
    return None


def test_device(
    config: KioskConfig, kind: str, driver: str | None, url: str | None, wait: float, out: TextIO
) -> int:
    try:
        device = _build(config, kind, driver, url)
        device.open()
    except (DriverError, DeviceError) as error:
        print(f"{kind}: cannot open: {error}", file=out)
        return 1
    try:
        device.enable()
        return exercise(kind, device, config, wait, out)
    except DeviceError as error:
        print(f"{kind}: {error}", file=out)
        return 1
    finally:
        device.close()


def exercise(kind: str, device: Device, config: KioskConfig, wait: float, out: TextIO) -> int:
    """Test an open, enabled device: a test page, a code or a card read (masked), frames;
    what happened is written to `out`; 0 when it worked."""
    inbox, unsubscribe = _events(device)
    try:
        print(f"{kind}: open, health {device.check_health().status.value}", file=out)
        tests = {"printer": _test_printer, "scanner": _test_scanner, "idcard": _test_idcard}
        return tests.get(kind, _test_camera)(device, inbox, wait, config, out)
    except DeviceError as error:
        print(f"{kind}: {error}", file=out)
        return 1
    finally:
        unsubscribe()


def _next_data(
    kind: str, ask: str, inbox: queue.Queue[Any], wait: float, out: TextIO
) -> DataEvent | None:
    """Ask the technician to act, and wait for what the device reads (None: nothing came)."""
    print(f"{kind}: {ask} within {wait:.0f} s", file=out)
    event: DataEvent | None = _wait_for(inbox, lambda e: isinstance(e, DataEvent), wait)
    if event is None:
        print(f"{kind}: nothing read", file=out)
    return event


def test_page(config: KioskConfig) -> PrintJob:
    """The printer's test page: both scripts, a rare character (printed as a picture), a QR."""
    return PrintJob(
        (
            # Each line fits 32 columns, the narrowest (58 mm) paper.
            TextLine("打印测试", size=TextSize.DOUBLE, bold=True, align=Align.CENTER),
            TextLine("PRINT TEST", bold=True, align=Align.CENTER),
            TextLine(config.kiosk.station_name_zh),
            TextLine(f"kiosk {config.kiosk.id}"),
            TextLine(time.strftime("%Y-%m-%d %H:%M:%S")),
            TextLine("电费 ¥123.45  王𠮷 (raster)"),
            QrCode(f"{config.scanner.bill_qr_prefix}0000000000"),
            Feed(2),
            Cut(),
        )
    )


def _test_printer(
    device: Any, inbox: queue.Queue[Any], wait: float, config: KioskConfig, out: TextIO
) -> int:
    job_id = device.print_job(test_page(config))
    print(f"printer: test page queued as {job_id}", file=out)
    ended = _wait_for(
        inbox,
        lambda e: isinstance(e, OutputCompleteEvent | ErrorEvent) and e.job_id == job_id,
        wait,
    )
    if isinstance(ended, OutputCompleteEvent):
        print(f"printer: printed; status {device.status.value}", file=out)
        return 0
    reason = ended.message if isinstance(ended, ErrorEvent) else f"no answer within {wait:.0f} s"
    print(f"printer: not printed: {reason}; status {device.status.value}", file=out)
    return 1


def _test_scanner(
    device: Any, inbox: queue.Queue[Any], wait: float, config: KioskConfig, out: TextIO
) -> int:
    event = _next_data("scanner", "show a code", inbox, wait, out)
    if event is None:
        return 1
    text = getattr(event.data, "text", event.data)
    code = classify_code(str(text), config.scanner.bill_qr_prefix)
    print(f"scanner: read a {code.kind.value} code: {code.shown}", file=out)
    return 0


def _test_idcard(
    device: Any, inbox: queue.Queue[Any], wait: float, config: KioskConfig, out: TextIO
) -> int:
    event = _next_data("idcard", "place a card", inbox, wait, out)
    if event is None:
        return 1
    card = event.data
    valid_to = card.valid_to.isoformat() if card.valid_to else "长期"
    for label, value in (
        ("kind", card.kind.value),
        ("name", mask_name(card.name)),
        ("ID number", mask_id_number(card.id_number)),
        ("address", mask_address(card.address) if card.address else ""),
        ("valid", f"{card.valid_from.isoformat()} - {valid_to}"),
        ("photo", f"{len(card.photo)} bytes"),
    ):
        print(f"idcard: {label:<10} {value}", file=out)
    return 0


def _test_camera(
    device: Any, inbox: queue.Queue[Any], wait: float, config: KioskConfig, out: TextIO
) -> int:
    first = device.wait_for_frame(timeout=wait)
    if first is None:
        print("camera: no frame", file=out)
        return 1
    time.sleep(1.0)
    last = device.latest()
    rate = (last.index - first.index) / max(last.at - first.at, 1e-6) if last else 0.0
    height, width = first.image.shape[:2]
    print(f"camera: {width}x{height} frames at {rate:.1f} per second", file=out)
    return 0


def decode_images(
    config: KioskConfig, images: Sequence[str], decoder: str | None, out: TextIO
) -> int:
    """Decode each image with the camera scanner's decoder; codes are classified and masked."""
    import cv2
    import numpy as np

    from drivers.scanner.decoders import decoder_named

    name = decoder or str(config.devices.scanner.options.get("decoder", "cascade"))
    try:
        reader = decoder_named(name)
    except ValueError as error:
        print(f"decode: {error}", file=out)
        return 2
    failures = 0
    for path in images:
        image = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        if image is None:
            print(f"{path}: not an image that can be read", file=out)
            failures += 1
            continue
        texts = reader.decode(np.asarray(image, dtype=np.uint8))  # grey images are 8 bits
        if not texts:
            print(f"{path}: no code found ({name})", file=out)
            failures += 1
        for text in texts:
            code = classify_code(text, config.scanner.bill_qr_prefix)
            print(f"{path}: {code.kind.value} code: {code.shown}", file=out)
    return 1 if failures else 0
