"""A USB receipt printer (USB printer class: ESC/POS out on a bulk OUT endpoint, status replies
back on a bulk IN endpoint) through pyusb, behind pyserial's port interface, so the printer
driver and the LinkSupervisor use it as they use a serial port or a socket.

URL, ids in hex as ``lsusb`` shows them::

    usb://0416:5011
    usb://0416:5011?interface=0&in_ep=0x81&out_ep=0x03&serial=A1B2C3&write_timeout=5

``serial`` picks one of several identical printers by its USB serial number (the stable name,
as /dev/serial/by-id is for serial ports). Without ``in_ep`` / ``out_ep`` the interface's first
bulk endpoints are used. On Linux the ``usblp`` kernel driver is detached from the interface
first, as python-escpos's ``Usb`` printer does; the kiosk user needs a udev rule giving it the
device.

pyusb (``pip install pyusb``, python-escpos's "usb" extra) and libusb (``libusb-1.0-0``) are
looked for only when a usb:// link is opened; without them, opening fails with
``UsbSupportMissing``, saying what to install.
"""

from __future__ import annotations

import contextlib
import errno
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import serial
from serial.serialutil import Timeout

from drivers.link import LinkError, parse_link

# What a USB transfer waits at most at a time, so cancel_read() and close() are heard.
_SLICE_MS = 100
# A bulk IN read asks for a whole packet: asking for less overflows when the printer sends more.
_DEFAULT_PACKET = 64
_LIBUSB_ERROR_TIMEOUT = -7
_DRAIN_READS = 8  # stale status bytes dropped by reset_input_buffer, at most this many packets


class UsbLinkError(LinkError):
    """The USB printer cannot be used."""


class UsbSupportMissing(UsbLinkError):
    """pyusb or the libusb library is not installed."""


class UsbDeviceNotFound(UsbLinkError):
    """No USB device with these ids (and serial number) is attached."""


@dataclass(frozen=True)
class UsbAddress:
    vendor_id: int
    product_id: int
    interface: int = 0
    in_ep: int | None = None
    out_ep: int | None = None
    serial_number: str | None = None
    write_timeout: float = 5.0

    def __str__(self) -> str:
        ids = f"usb://{self.vendor_id:04x}:{self.product_id:04x}"
        return ids + (f" (serial {self.serial_number})" if self.serial_number else "")


_OPTIONS = {"interface", "in_ep", "out_ep", "serial", "write_timeout", "timeout"}


def parse_usb_url(url: str) -> UsbAddress:
    """``usb://VID:PID?...`` -> UsbAddress; LinkError when it is not one."""
    address = parse_link(url)
    if address.scheme != "usb":
        raise LinkError(f"{url!r} is not a usb:// URL")
    vendor, _, product = address.target.partition(":")
    vendor_id, product_id = _hex_id(url, "vendor id", vendor), _hex_id(url, "product id", product)
    unknown = set(address.options) - _OPTIONS
    if unknown:
        raise LinkError(f"{url}: unknown option {', '.join(sorted(unknown))}")
    interface = _number(url, "interface", address.options.get("interface", "0"), 0xFF)
    in_ep = _endpoint(url, "in_ep", address.options.get("in_ep"), inbound=True)
    out_ep = _endpoint(url, "out_ep", address.options.get("out_ep"), inbound=False)
    write_timeout = address.number("write_timeout", 5.0)
    if not 0 < write_timeout <= 60:
        raise LinkError(f"{url}: write_timeout must be 0-60 s")
    return UsbAddress(
        vendor_id,
        product_id,
        interface,
        in_ep,
        out_ep,
        address.options.get("serial") or None,
        write_timeout,
    )


def _hex_id(url: str, what: str, text: str) -> int:
    # Four hex digits, as lsusb and the printer's label print them; "0x" tolerated.
    digits = text[2:] if text.lower().startswith("0x") else text
    if not 1 <= len(digits) <= 4 or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise LinkError(f"{url}: {what} must be hex, e.g. usb://0416:5011, not {text!r}")
    return int(digits, 16)


def _number(url: str, key: str, text: str, most: int) -> int:
    try:
        value = int(text, 0)  # 0x81 or 129
    except ValueError:
        raise LinkError(f"{url}: {key} must be a number, not {text!r}") from None
    if not 0 <= value <= most:
        raise LinkError(f"{url}: {key} must be 0-{most}, not {value}")
    return value


def _endpoint(url: str, key: str, text: str | None, *, inbound: bool) -> int | None:
    if text is None:
        return None
    value = _number(url, key, text, 0xFF)
    if bool(value & 0x80) is not inbound or value & 0x70:
        kind = "IN (0x81-0x8F)" if inbound else "OUT (0x01-0x0F)"
        raise LinkError(f"{url}: {key} must be an {kind} endpoint address, not 0x{value:02X}")
    return value


def is_usb_timeout(error: BaseException) -> bool:
    """pyusb's USBTimeoutError, or an older pyusb's USBError carrying ETIMEDOUT / libusb's code."""
    return (
        type(error).__name__ == "USBTimeoutError"
        or getattr(error, "errno", None) == errno.ETIMEDOUT
        or getattr(error, "backend_error_code", None) == _LIBUSB_ERROR_TIMEOUT
    )


@dataclass(frozen=True)
class UsbBus:
    """The three things this transport needs from pyusb beyond the device object itself."""

    find: Callable[[UsbAddress], Any]  # the device, or None
    claim_interface: Callable[[Any, int], None]
    release: Callable[[Any], None]


def pyusb_bus() -> UsbBus:
    """pyusb's bus; UsbSupportMissing when pyusb is not installed."""
    try:
        import usb.core
        import usb.util
    except ImportError as error:
        raise UsbSupportMissing(
            "USB printers need pyusb (pip install pyusb, or python-escpos[usb]) and libusb-1.0"
        ) from error

    def find(address: UsbAddress) -> Any:
        def same_serial(device: Any) -> bool:
            if address.serial_number is None:
                return True
            try:
                return device.serial_number == address.serial_number
            except (OSError, ValueError):  # no permission to read the string descriptor
                return False

        try:
            return usb.core.find(
                idVendor=address.vendor_id, idProduct=address.product_id, custom_match=same_serial
            )
        except usb.core.NoBackendError as error:
            raise UsbSupportMissing(
                "USB printers need the libusb-1.0 library (apt install libusb-1.0-0)"
            ) from error

    return UsbBus(find, usb.util.claim_interface, usb.util.dispose_resources)


def open_usb_port(url: str, *, timeout: float = 0.2, bus: UsbBus | None = None) -> UsbPort:
    """Find the printer ``url`` names, claim its interface and return it as a port."""
    address = parse_usb_url(url)
    bus = bus if bus is not None else pyusb_bus()
    try:
        device = bus.find(address)
    except OSError as error:  # pyusb's USBError: a bus that cannot be listed (permissions)
        raise UsbLinkError(f"cannot look for {address} on the USB bus: {error}") from error
    if device is None:
        raise UsbDeviceNotFound(f"no USB printer {address} is attached")
    return UsbPort.claim(device, address, timeout=timeout, bus=bus)


class UsbPort(serial.SerialBase):
    """A claimed USB printer as a pyserial port: write, flush, read with a timeout, cancel_read.

    Only moves bytes; a lost device (unplugged: ENODEV, EIO, a pipe error) raises
    ``serial.SerialException`` as a vanished serial port does, so the supervisor reports it.
    """

    def __init__(
        self,
        device: Any,
        address: UsbAddress,
        *,
        in_ep: int,
        out_ep: int,
        packet_size: int,
        timeout: float | None,
        release: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(timeout=timeout, write_timeout=address.write_timeout)
        self.address = address
        self._device = device
        self._in_ep, self._out_ep = in_ep, out_ep
        self._packet_size = packet_size
        self._release = release
        self._pending = bytearray()
        self._cancel = threading.Event()
        self._port = str(address)
        self.is_open = True

    @classmethod
    def claim(
        cls, device: Any, address: UsbAddress, *, timeout: float | None, bus: UsbBus
    ) -> UsbPort:
        """Take the interface from the kernel's printer driver, configure, find the endpoints."""
        number = address.interface
        try:
            _detach_kernel_driver(device, number)
            try:
                configuration = device.get_active_configuration()
            except OSError:  # not configured yet; configuring twice would reset the printer
                configuration = None
            if configuration is None:
                device.set_configuration()
                configuration = device.get_active_configuration()
            in_ep, out_ep, packet_size = _bulk_endpoints(configuration, address)
            bus.claim_interface(device, number)
        except OSError as error:
            bus.release(device)
            hint = " (busy, or no permission: check the udev rule)" if _denied(error) else ""
            raise UsbLinkError(
                f"cannot claim {address} interface {number}: {error}{hint}"
            ) from error
        except UsbLinkError:
            bus.release(device)
            raise
        return cls(
            device,
            address,
            in_ep=in_ep,
            out_ep=out_ep,
            packet_size=packet_size,
            timeout=timeout,
            release=bus.release,
        )

    # pyserial's port interface

    def open(self) -> None:
        if not self.is_open:
            raise serial.SerialException(f"{self._port}: open it again with open_usb_port()")

    def close(self) -> None:
        if not self.is_open:
            return
        self.is_open = False
        self._cancel.set()
        if self._release is not None:
            with contextlib.suppress(OSError):  # unplugged: nothing is left to release
                self._release(self._device)

    def _reconfigure_port(self, *args: object) -> None:
        """No line settings on USB: baud rate and the like mean nothing here."""

    @property
    def in_waiting(self) -> int:
        return len(self._pending)

    def read(self, size: int = 1) -> bytes:
        self._require_open()
        self._cancel.clear()
        deadline = Timeout(self._timeout)
        while len(self._pending) < size and not self._cancel.is_set():
            left = deadline.time_left()
            if left is not None and left <= 0 and self._timeout is not None:
                break
            # pyusb reads 0 ms as "wait for ever": always wait at least 1 ms.
            wait_ms = _SLICE_MS if left is None else max(1, min(_SLICE_MS, int(left * 1000)))
            self._pending += self._transfer_in(wait_ms)
            if deadline.expired():
                break
        data = bytes(self._pending[:size])
        del self._pending[:size]
        return data

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._require_open()
        view = memoryview(bytes(data))
        deadline = Timeout(self._write_timeout)
        sent = 0
        while sent < len(view):
            left = deadline.time_left()
            wait_ms = max(1, int(left * 1000)) if left is not None else 0
            try:
                sent += int(self._device.write(self._out_ep, view[sent:], wait_ms))
            except OSError as error:
                if is_usb_timeout(error):
                    raise serial.SerialTimeoutException("Write timeout") from error
                raise serial.SerialException(f"{self._port}: write failed: {error}") from error
        return sent

    def flush(self) -> None:
        """A bulk write returns once the printer took the data: nothing waits in a buffer."""
        self._require_open()

    def reset_input_buffer(self) -> None:
        """Drop what came in, and what the printer still holds (a late status reply)."""
        self._require_open()
        self._pending.clear()
        for _ in range(_DRAIN_READS):
            if not self._transfer_in(1):
                break

    def reset_output_buffer(self) -> None:
        self._require_open()

    def cancel_read(self) -> None:
        self._cancel.set()

    def cancel_write(self) -> None:
        """A bulk write cannot be withdrawn; it ends at its write timeout."""

    # the bulk IN pipe

    def _transfer_in(self, wait_ms: int) -> bytes:
        try:
            return bytes(self._device.read(self._in_ep, self._packet_size, wait_ms))
        except OSError as error:
            if is_usb_timeout(error):
                return b""
            raise serial.SerialException(f"{self._port}: read failed: {error}") from error

    def _require_open(self) -> None:
        if not self.is_open:
            raise serial.PortNotOpenError()


def _detach_kernel_driver(device: Any, interface: int) -> None:
    # Only libusb1 can tell or detach; other backends raise NotImplementedError.
    try:
        active = device.is_kernel_driver_active(interface)
    except NotImplementedError:
        return
    if active:
        try:
            device.detach_kernel_driver(interface)
        except NotImplementedError:
            return


_BULK = 0x02


def _bulk_endpoints(configuration: Any, address: UsbAddress) -> tuple[int, int, int]:
    """The IN and OUT endpoint addresses and the IN packet size, from the interface descriptor."""
    try:
        interface = configuration[(address.interface, 0)]
    except (IndexError, KeyError, OSError) as error:
        raise UsbLinkError(f"{address} has no interface {address.interface}") from error
    bulk = [ep for ep in interface if ep.bmAttributes & 0x03 == _BULK]
    found_in = [ep for ep in bulk if ep.bEndpointAddress & 0x80]
    found_out = [ep for ep in bulk if not ep.bEndpointAddress & 0x80]
    in_ep = _pick(address, "in_ep", address.in_ep, found_in)
    out_ep = _pick(address, "out_ep", address.out_ep, found_out)
    packet = next(
        (ep.wMaxPacketSize for ep in found_in if ep.bEndpointAddress == in_ep), _DEFAULT_PACKET
    )
    return in_ep, out_ep, int(packet) or _DEFAULT_PACKET


def _pick(address: UsbAddress, key: str, wanted: int | None, found: list[Any]) -> int:
    addresses = [int(ep.bEndpointAddress) for ep in found]
    if wanted is None:
        if not addresses:
            # Without IN the status cannot be read, and every job would wait as "unknown".
            direction = "IN (status replies)" if key == "in_ep" else "OUT (print data)"
            raise UsbLinkError(f"{address} interface {address.interface} has no bulk {direction}")
        return addresses[0]
    if wanted not in addresses:
        listed = ", ".join(f"0x{a:02X}" for a in addresses) or "none"
        raise UsbLinkError(f"{address}: {key}=0x{wanted:02X} is not a bulk endpoint ({listed})")
    return wanted


def _denied(error: OSError) -> bool:
    return getattr(error, "errno", None) in (errno.EACCES, errno.EBUSY, errno.EPERM)
