"""Every registered driver loads through the registry and takes its address as `url`, as the
kiosk's configuration hands it over (nothing is opened)."""

from importlib.metadata import entry_points

import pytest

from drivers.registry import load_driver

ADDRESSES = {
    "printer.escpos": "tcp://127.0.0.1:9100",
    "idcard.sam_serial": "serial:///dev/serial/by-id/usb-reader?baud=115200",
    "scanner.serial": "serial:///dev/serial/by-id/usb-scanner",
    "scanner.camera": "v4l2:///dev/video0",
    "scanner.hid": "evdev:///dev/input/by-id/usb-scanner-event-kbd",
    "camera.opencv": "v4l2:///dev/video0",
}
REGISTERED = sorted(ep.name for ep in entry_points(group="kiosk.drivers"))


@pytest.mark.parametrize("name", REGISTERED)
def test_driver_loads_with_its_address(name: str) -> None:
    kind, driver = name.split(".", 1)
    url = ADDRESSES.get(name, f"sim://{kind}")
    device = load_driver(kind, driver, {"url": url})
    assert device.kind == kind
    assert device.state.value == "closed"


def test_every_wire_driver_is_registered() -> None:
    for name in ("printer.escpos", "idcard.sam_serial", "scanner.serial", "camera.opencv"):
        assert name in REGISTERED


def test_a_camera_scanner_shares_the_camera_device_it_names(tmp_path) -> None:
    from kiosk.bootstrap import build_devices
    from kiosk.config import load_config

    url = f"file://{tmp_path}"
    config = load_config(
        overrides={
            "devices": {
                "camera": {"driver": "opencv", "url": url},
                "scanner": {"driver": "camera", "url": url},
            }
        }
    )
    devices = build_devices(config)
    assert next(iter(devices)) == "camera"  # opened first
    assert devices["scanner"].camera is devices["camera"]
