"""The registry finds drivers through the installed ``kiosk.drivers`` entry points only."""

import pytest

from drivers.contracts import Camera, CodeScanner, DeviceState, IdCardReader, ReceiptPrinter
from drivers.registry import (
    InvalidDriverOptions,
    UnknownDriver,
    available_drivers,
    load_driver,
)


@pytest.mark.parametrize(
    ("kind", "contract"),
    [
        ("printer", ReceiptPrinter),
        ("scanner", CodeScanner),
        ("idcard", IdCardReader),
        ("camera", Camera),
    ],
)
def test_loads_each_simulated_driver_through_its_entry_point(kind, contract):
    device = load_driver(kind, "simulated", {"url": f"sim://{kind}", "name": f"front {kind}"})
    assert isinstance(device, contract)
    assert device.name == f"front {kind}"
    assert device.state is DeviceState.CLOSED
    assert "simulated" in available_drivers(kind)


def test_unknown_driver_names_the_installed_ones():
    with pytest.raises(UnknownDriver) as caught:
        load_driver("printer", "acme9000", {})
    assert "acme9000" in str(caught.value)
    assert "simulated" in str(caught.value)


def test_unknown_kind_names_the_known_kinds():
    with pytest.raises(UnknownDriver, match="printer, scanner, idcard, camera"):
        load_driver("toaster", "simulated", {})


def test_no_drivers_for_a_kind_nobody_installed():
    assert available_drivers("toaster") == []


@pytest.mark.parametrize(
    "options",
    [
        {"baud": 9600},  # not an option of this driver
        {"url": "serial:///dev/ttyUSB0"},  # not a simulated device's address
        {"paper_width_chars": 5},
        {"seconds_per_job": "fast"},
    ],
)
def test_options_the_driver_refuses_raise_a_typed_error(options):
    with pytest.raises(InvalidDriverOptions):
        load_driver("printer", "simulated", options)
