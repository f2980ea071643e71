"""`kiosk device list` names each device as udev would leave it on a kiosk: a stable name (the
kiosk's own udev rules' /dev/kiosk-*, or /dev/serial/by-id/...) is said to be one; a device
configured by its USB number is named unstable, with the stable name that reaches it now. The
printer is the ESC/POS wire simulator on a pseudo-terminal, reached through the links; the /dev
tree is the test's own (udev does not run here)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printer.simulator import PrinterSimulator
from kiosk.config import load_config
from kiosk.device_names import device_node, naming, stable_names
from kiosk.technician import list_devices


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A /dev with the printer's pty behind its stable names: (the tree, the pty)."""
    dev = tmp_path / "dev"
    (dev / "serial" / "by-id").mkdir(parents=True)
    with PrinterSimulator(tmp_path / "receipts", link=dev / "kiosk-printer") as printer:
        pty = Path(os.readlink(printer.path))
        (dev / "serial" / "by-id" / "usb-0483_5740-if00").symlink_to(pty)
        (dev / "ttyACM0").symlink_to(pty)  # what the kernel numbered it, as a plain node
        yield dev, pty


def listed(dev: Path, printer_url: str) -> tuple[int, str]:
    config = load_config(
        overrides={"devices": {"printer": {"driver": "escpos", "url": printer_url}}}
    )
    out = io.StringIO()
    return list_devices(config, out, dev), out.getvalue()


def test_a_device_by_its_stable_name_is_said_to_be_one(dev: tuple[Path, Path]) -> None:
    tree, pty = dev
    status, text = listed(tree, f"serial://{tree}/kiosk-printer")
    assert status == 0, text
    printer = next(line for line in text.splitlines() if line.startswith("printer"))
    assert "ok" in printer  # its health, read through the link from the simulator
    assert f"{tree}/kiosk-printer -> {pty} (stable name)" in text
    # What a technician copies into the configuration: every stable name present.
    assert f"  {tree}/kiosk-printer -> {pty}" in text
    assert f"  {tree}/serial/by-id/usb-0483_5740-if00 -> {pty}" in text
    assert f"{tree}/ttyACM0 ->" not in text  # a plain node is no stable name


def test_a_device_by_its_usb_number_is_named_with_the_stable_name_to_use(
    dev: tuple[Path, Path],
) -> None:
    tree, _pty = dev
    status, text = listed(tree, f"serial://{tree}/ttyACM0?baud=115200")
    assert status == 0, text
    assert f"{tree}/ttyACM0: not a stable name" in text
    assert f"use {tree}/kiosk-printer" in text


def test_a_stable_name_nothing_answers_to_is_said_to_be_missing(tmp_path: Path) -> None:
    names = stable_names(tmp_path)
    assert names == []
    line = naming(f"serial://{tmp_path}/kiosk-idcard", names, tmp_path)
    assert (
        line == f"{tmp_path}/kiosk-idcard: not present (unplugged, or no udev rule gives this name)"
    )


def test_only_urls_that_open_a_device_node_are_named() -> None:
    assert device_node("serial:///dev/kiosk-idcard?baud=115200") == Path("/dev/kiosk-idcard")
    assert device_node("/dev/ttyUSB0") == Path("/dev/ttyUSB0")
    assert device_node("evdev:///dev/input/by-id/usb-x-event-kbd") == Path(
        "/dev/input/by-id/usb-x-event-kbd"
    )
    for url in ("sim://printer", "tcp://192.0.2.10:9100", "usb://0416:5011", "0"):
        assert device_node(url) is None


def test_every_udev_rule_names_its_device_by_vendor_and_product() -> None:
    rules = Path(__file__).resolve().parents[2] / "packaging" / "udev" / "70-kiosk-devices.rules"
    lines = [line for line in rules.read_text("utf-8").splitlines() if line and line[0] != "#"]
    assert len(lines) >= 5
    for line in lines:
        assert 'ATTRS{idVendor}=="' in line and 'ATTRS{idProduct}=="' in line, line
        assert 'SYMLINK+="kiosk-' in line, line  # the name `kiosk device list` calls stable
        assert 'MODE="0660"' in line or 'OWNER="kiosk", MODE="0600"' in line, line
        assert "ttyUSB" not in line and 'KERNEL=="tty' not in line
