"""USB receipt printers: the usb:// URL, the plain failure when USB cannot work here, and the
transport's real read/write path.

There is no USB printer on this machine (not even pyusb and libusb are installed, and a virtual
USB bus needs root), so the transport tests run against ``FakeUsbDevice``: a stand-in for pyusb's
Device object, the one stand-in allowed. It answers with the errors pyusb raises, and moves its
bytes to the real printer simulator through a BulkLine, so the real driver, the real UsbPort and
the real ESC/POS handler are what is exercised.
"""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import serial

from drivers.contracts import (
    Cut,
    DeviceState,
    DeviceUnavailable,
    ErrorEvent,
    OutputCompleteEvent,
    PrinterStatus,
    PrintJob,
    StatusEvent,
    TextLine,
)
from drivers.link import LinkError, open_link
from drivers.printer import usb_link
from drivers.printer.printer import EscPosPrinter
from drivers.printer.sim_lines import BulkLine
from drivers.printer.simulator import PrinterSimulator
from drivers.printer.status import status_request
from drivers.printer.usb_link import (
    UsbAddress,
    UsbBus,
    UsbDeviceNotFound,
    UsbLinkError,
    UsbSupportMissing,
    is_usb_timeout,
    open_usb_port,
    parse_usb_url,
)
from tests.support.devices import EventRecorder

# the URL


def test_a_usb_url_names_ids_interface_and_endpoints() -> None:
    address = parse_usb_url(
        "usb://0416:5011?interface=1&in_ep=0x81&out_ep=0x03&serial=A1B2&write_timeout=2"
    )
    assert address == UsbAddress(0x0416, 0x5011, 1, 0x81, 0x03, "A1B2", 2.0)
    assert parse_usb_url("usb://04B8:0E15") == UsbAddress(0x04B8, 0x0E15)
    assert parse_usb_url("usb://0x0416:0x5011?in_ep=129").in_ep == 0x81
    assert str(address) == "usb://0416:5011 (serial A1B2)"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("usb://", "names no device"),
        ("usb://0416", "product id"),
        ("usb://0416:", "product id"),
        ("usb://zz16:5011", "vendor id"),
        ("usb://10416:5011", "vendor id"),
        ("usb://0416:5011?in_ep=0x03", "IN"),
        ("usb://0416:5011?out_ep=0x81", "OUT"),
        ("usb://0416:5011?out_ep=0x13", "OUT"),
        ("usb://0416:5011?interface=300", "interface"),
        ("usb://0416:5011?interface=first", "interface"),
        ("usb://0416:5011?baud=9600", "unknown option"),
        ("usb://0416:5011?write_timeout=0", "write_timeout"),
        ("tcp://0416:5011", "not a usb"),
    ],
)
def test_a_bad_usb_url_is_refused_saying_why(url: str, says: str) -> None:
    with pytest.raises(LinkError, match=says):
        parse_usb_url(url)


def test_timeouts_are_told_from_failures() -> None:
    assert is_usb_timeout(USBTimeoutError("Operation timed out", errno=errno.ETIMEDOUT))
    assert is_usb_timeout(USBError("timed out", error_code=-7))  # an older pyusb, libusb's code
    assert not is_usb_timeout(USBError("No such device", errno=errno.ENODEV))
    assert not is_usb_timeout(OSError(errno.EIO, "I/O"))


# here, for real: no pyusb, no libusb, no printer


def test_usb_fails_plainly_on_this_machine() -> None:
    with pytest.raises(UsbLinkError) as raised:
        open_link("usb://0416:5011?interface=0&in_ep=0x81&out_ep=0x03")
    # Which one depends on what is installed; either names what is missing.
    assert isinstance(raised.value, UsbSupportMissing | UsbDeviceNotFound)
    assert (
        "pyusb" in str(raised.value)
        or "libusb" in str(raised.value)
        or "no USB" in str(raised.value)
    )
    device = EscPosPrinter(url="usb://0416:5011")
    with pytest.raises(DeviceUnavailable) as unavailable:
        device.open()
    assert isinstance(unavailable.value.__cause__, UsbLinkError)
    assert device.state is DeviceState.CLOSED


def test_no_device_with_those_ids_is_not_found() -> None:
    bus = UsbBus(find=lambda address: None, claim_interface=_never, release=_never)
    with pytest.raises(UsbDeviceNotFound, match="no USB printer usb://0416:5011"):
        open_usb_port("usb://0416:5011", bus=bus)


def _never(*_: object) -> None:
    raise AssertionError("not reached")


# the stand-in for pyusb's Device (see the module docstring)


class USBError(OSError):
    """As pyusb's: an IOError with errno and the backend's error code."""

    def __init__(self, strerror: str, error_code: int | None = None, errno: int | None = None):
        super().__init__(errno, strerror)
        self.backend_error_code = error_code


class USBTimeoutError(USBError):
    pass


def _endpoint(address: int, attributes: int = 0x02, packet: int = 64) -> Any:
    return SimpleNamespace(bEndpointAddress=address, bmAttributes=attributes, wMaxPacketSize=packet)


PRINTER_INTERFACE = [_endpoint(0x03), _endpoint(0x81), _endpoint(0x82, attributes=0x03)]


class FakeUsbDevice:
    """pyusb's Device as the transport uses it, its bulk endpoints wired to a BulkLine."""

    def __init__(
        self, line: BulkLine, interface: list[Any] = PRINTER_INTERFACE, hardware: Any = None
    ) -> None:
        self.line, self.generation = line, line.generation
        self.interfaces = {(0, 0): interface}
        # What the printer itself keeps between handles: its configuration, usblp bound or not.
        self.hardware = hardware or SimpleNamespace(configured=False, kernel_driver=True)
        self.calls: list[tuple[str, Any]] = []
        self.stall_writes = False

    def is_kernel_driver_active(self, interface: int) -> bool:
        return self.hardware.kernel_driver

    def detach_kernel_driver(self, interface: int) -> None:
        self.calls.append(("detach", interface))
        self.hardware.kernel_driver = False

    def get_active_configuration(self) -> Any:
        if not self.hardware.configured:
            raise USBError("Configuration not set", errno=None)
        return self.interfaces

    def set_configuration(self) -> None:
        self.calls.append(("set_configuration", None))
        self.hardware.configured = True

    def write(self, endpoint: int, data: Any, timeout: int) -> int:
        assert endpoint == 0x03 and timeout > 0  # pyusb waits for ever on 0
        if self.stall_writes:  # a printer that NAKs every packet: libusb gives up at timeout
            raise USBTimeoutError("Operation timed out", error_code=-7, errno=errno.ETIMEDOUT)
        try:
            return self.line.host_write(self.generation, bytes(data))
        except ConnectionError as gone:
            raise USBError(
                "No such device (it may have been disconnected)", -4, errno.ENODEV
            ) from gone

    def read(self, endpoint: int, size: int, timeout: int) -> Any:
        assert endpoint == 0x81 and timeout > 0
        self.calls.append(("read", size))
        try:
            data = self.line.host_read(self.generation, size, timeout / 1000)
        except ConnectionError as gone:
            raise USBError(
                "No such device (it may have been disconnected)", -4, errno.ENODEV
            ) from gone
        if not data:
            raise USBTimeoutError("Operation timed out", error_code=-7, errno=errno.ETIMEDOUT)
        return bytearray(data)  # pyusb returns array('B')


class FakeBus:
    def __init__(self, line: BulkLine) -> None:
        self.line = line
        self.devices: list[FakeUsbDevice] = []
        self._hardware: dict[int, Any] = {}  # per plug-in
        self.claimed: list[tuple[FakeUsbDevice, int]] = []
        self.released: list[FakeUsbDevice] = []

    def bus(self) -> UsbBus:
        return UsbBus(self.find, self.claim, self.released.append)

    def find(self, address: UsbAddress) -> FakeUsbDevice | None:
        if not self.line.plugged_in or address.product_id != self.line.product_id:
            return None
        hardware = self._hardware.setdefault(
            self.line.generation, SimpleNamespace(configured=False, kernel_driver=True)
        )
        self.devices.append(FakeUsbDevice(self.line, hardware=hardware))
        return self.devices[-1]

    def claim(self, device: FakeUsbDevice, interface: int) -> None:
        self.claimed.append((device, interface))


@pytest.fixture
def simulator() -> Iterator[PrinterSimulator]:
    with PrinterSimulator(line=BulkLine(0x0416, 0x5011)) as sim:
        yield sim


@pytest.fixture
def bus(simulator: PrinterSimulator, monkeypatch: pytest.MonkeyPatch) -> FakeBus:
    fake = FakeBus(simulator.line)  # type: ignore[arg-type]
    monkeypatch.setattr(usb_link, "pyusb_bus", fake.bus)
    return fake


def test_claiming_detaches_usblp_configures_once_and_finds_the_bulk_endpoints(bus) -> None:
    port = open_link("usb://0416:5011", timeout=0.05)
    try:
        device = bus.devices[0]
        assert device.calls[:2] == [("detach", 0), ("set_configuration", None)]
        assert bus.claimed == [(device, 0)]
        assert isinstance(port, serial.SerialBase) and port.is_open
    finally:
        port.close()
    assert bus.released == [device] and not port.is_open
    # Already configured: not configured again (that would reset the printer).
    port = open_link("usb://0416:5011?in_ep=0x81&out_ep=0x03")
    port.close()
    assert bus.devices[1].calls == []  # nor usblp detached again: it is no longer bound


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("usb://0416:5011?in_ep=0x82", r"in_ep=0x82 is not a bulk endpoint \(0x81\)"),
        ("usb://0416:5011?interface=2", "has no interface 2"),
    ],
)
def test_endpoints_that_are_not_there_are_named(bus, url: str, says: str) -> None:
    with pytest.raises(UsbLinkError, match=says):
        open_link(url)
    assert bus.released == bus.devices  # nothing left claimed


def test_a_printer_without_bulk_in_is_refused(simulator) -> None:
    device = FakeUsbDevice(simulator.line, interface=[_endpoint(0x01)])
    bus = UsbBus(lambda address: device, _never, lambda d: None)
    with pytest.raises(UsbLinkError, match="no bulk IN"):
        open_usb_port("usb://0416:5011", bus=bus)


def test_the_port_reads_status_writes_and_times_out(bus, simulator) -> None:
    port = open_link("usb://0416:5011", timeout=0.1)
    try:
        port.write(status_request(1))
        assert port.read(1) == b"\x12"  # the simulator's answer, through the bulk IN pipe
        simulator.send(b"\x16\x16")  # late replies waiting in the printer
        port.reset_input_buffer()
        started = time.monotonic()
        assert port.read(1) == b""  # dropped; and an empty pipe times out, never blocks
        assert 0.08 <= time.monotonic() - started < 1.0
        reads = [size for call, size in bus.devices[0].calls if call == "read"]
        assert set(reads) == {64}  # whole packets: asking for less overflows on real devices
        bus.devices[0].stall_writes = True
        with pytest.raises(serial.SerialTimeoutException):
            port.write(b"\x1b\x40")
    finally:
        port.close()


def test_cancel_read_ends_a_blocking_read(bus) -> None:
    port = open_link("usb://0416:5011", timeout=0.05)
    port.timeout = None  # wait for ever, as a reader thread might
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(port.read(1)))
    reader.start()
    deadline = time.monotonic() + 2
    while not any(call == "read" for call, _ in bus.devices[0].calls):
        assert time.monotonic() < deadline, "the read never started"
        threading.Event().wait(0.005)
    port.cancel_read()
    reader.join(2)
    port.close()
    assert not reader.is_alive() and got == [b""]


# the real driver through the USB transport


def _job(serial_no: str) -> PrintJob:
    return PrintJob((TextLine("户名: 王𠮷"), TextLine(f"流水号: {serial_no}"), Cut()))


@pytest.fixture
def printer(bus) -> Iterator[EscPosPrinter]:
    device = EscPosPrinter(
        url="usb://0416:5011?interface=0&in_ep=0x81&out_ep=0x03",
        status_timeout_s=0.2,
        idle_poll_s=0.05,
        poll_every_bytes=256,
        reconnect_first_s=0.05,
    )
    device.open()
    device.enable()
    yield device
    if device.state is not DeviceState.CLOSED:
        device.close()


def test_the_driver_prints_and_reads_status_over_usb(printer, simulator) -> None:
    events = EventRecorder(printer)
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.ONLINE)
    job_id = printer.print_job(_job("U0001"))
    events.wait_for(OutputCompleteEvent, lambda e: e.job_id == job_id, timeout=3)
    assert simulator.wait_for_receipts(1)
    assert "流水号: U0001" in simulator.receipts[0].receipt.transcript
    simulator.set_state("cover-open")
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.COVER_OPEN)


def test_unplugged_usb_printer_is_unavailable_then_back(printer, simulator, bus) -> None:
    events = EventRecorder(printer)
    events.wait_for(StatusEvent, lambda e: e.status is PrinterStatus.ONLINE)
    simulator.unplug_after(300)
    job_id = printer.print_job(_job("U0002"))
    events.wait_for(StatusEvent, lambda e: e.status is DeviceState.UNAVAILABLE, timeout=3)
    error = events.wait_for(ErrorEvent, lambda e: e.job_id == job_id, timeout=3)
    assert error.cause is PrinterStatus.UNKNOWN and error.retryable
    assert bus.released  # the dead handle was let go

    simulator.plug_in()
    events.wait_for(StatusEvent, lambda e: e.status is DeviceState.ENABLED, timeout=3)
    printer.retry_output()
    events.wait_for(OutputCompleteEvent, lambda e: e.job_id == job_id, timeout=3)
    assert simulator.receipts[-1].receipt.transcript[0] == "REPRINT / 重打"
    assert len(bus.devices) >= 2  # found again on the bus, not the old handle reused
