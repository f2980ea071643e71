"""How a driver reaches its device: a URL naming the transport, and a supervisor that keeps the
link up.

URLs (pyserial's `serial_for_url` style, so one setting names any transport):

- `serial:///dev/serial/by-id/usb-...?baud=115200` a serial or USB-CDC port;
- `socket://192.0.2.10:9100` and `tcp://192.0.2.10:9100` raw TCP (network printers);
- `usb://0416:5011?interface=0` a USB printer-class device through pyusb
  (drivers.printer.usb_link, loaded only when asked for);
- any other pyserial URL (`spy://`, `rfc2217://`, `loop://`) as pyserial reads it.

The supervisor owns one link on its own thread: it opens the link, runs the driver's session on
it until the link fails, reports the device lost, and opens it again with a growing, jittered
back-off until it is back, so a device that is unplugged and plugged in again is used again
without a restart.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

import serial

try:
    from termios import error as TermiosError
except ImportError:  # not POSIX
    TermiosError = OSError  # type: ignore[misc,assignment]

log = logging.getLogger(__name__)

# What a vanished port raises: pyserial's own error, the OS's, or (flush on a pty) termios's.
LINK_FAILURES = (serial.SerialException, OSError, TermiosError)


class LinkError(Exception):
    """The device's link cannot be used (bad URL, port gone, closed under us)."""


@dataclass(frozen=True)
class LinkAddress:
    url: str
    scheme: str
    target: str  # device path or host:port
    options: dict[str, str] = field(default_factory=dict)

    def number(self, key: str, default: float) -> float:
        try:
            return float(self.options.get(key, default))
        except ValueError:
            raise LinkError(f"{self.url}: {key} must be a number") from None


def parse_link(url: str) -> LinkAddress:
    parts = urlsplit(url)
    if not parts.scheme:
        raise LinkError(f"{url!r} is not a device URL (e.g. serial:///dev/serial/by-id/...)")
    target = parts.path if parts.scheme == "serial" else parts.netloc + parts.path
    if not target:
        raise LinkError(f"{url!r} names no device")
    return LinkAddress(url, parts.scheme, target, dict(parse_qsl(parts.query)))


def open_link(url: str, *, baud: int = 9600, timeout: float = 0.2) -> serial.SerialBase:
    """Open the link `url` names; `baud` and `timeout` unless the URL says otherwise."""
    address = parse_link(url)
    baudrate = int(address.number("baud", baud))
    read_timeout = address.number("timeout", timeout)
    if address.scheme == "usb":
        # pyserial has no USB bulk transport; this one speaks pyserial's port interface, and
        # pyusb is imported only here, so kiosks without USB devices do not need it.
        from drivers.printer.usb_link import open_usb_port

        return open_usb_port(url, timeout=read_timeout)
    try:
        if address.scheme == "serial":
            return serial.Serial(
                address.target, baudrate=baudrate, timeout=read_timeout, write_timeout=5
            )
        pyserial_url = "socket://" + address.target if address.scheme == "tcp" else url
        if address.scheme == "tcp":
            return serial.serial_for_url(pyserial_url, timeout=read_timeout, write_timeout=5)
        return serial.serial_for_url(url, baudrate=baudrate, timeout=read_timeout)
    except (serial.SerialException, OSError, ValueError) as error:
        raise LinkError(f"cannot open {url}: {error}") from error


class Backoff:
    """Waits that double from `first` to `most`, with jitter so a fleet does not retry in step."""

    def __init__(self, first: float = 0.5, most: float = 30.0, jitter: float = 0.2) -> None:
        self.first, self.most, self.jitter = first, most, jitter
        self._next = first

    def next(self) -> float:
        wait = self._next
        self._next = min(self._next * 2, self.most)
        return wait * (1 + random.uniform(-self.jitter, self.jitter))

    def reset(self) -> None:
        self._next = self.first


class Port(Protocol):
    """What the supervisor needs of an open link: to close it. pyserial ports have it, and so
    can other links (an input device, say) that a driver opens itself through `opener`; how
    such a link is read (by size, by timeout) is between it and the driver's session."""

    def close(self) -> None: ...


Session = Callable[[Any, threading.Event], None]


class LinkSupervisor:
    """Keeps one link up for a driver.

    `session(port, stop)` runs on the supervisor's thread while the link is up; it returns when
    `stop` is set, or raises (`serial.SerialException`, `OSError`, `LinkError`) when the link
    fails. `on_lost(detail)` and `on_back()` tell the driver, which turns them into status events.
    """

    def __init__(
        self,
        name: str,
        url: str,
        session: Session,
        *,
        on_lost: Callable[[str], None],
        on_back: Callable[[], None],
        baud: int = 9600,
        timeout: float = 0.2,
        backoff: Backoff | None = None,
        opener: Callable[[], Port] | None = None,
    ) -> None:
        self.name, self.url = name, url
        self._opener = opener or (lambda: open_link(url, baud=baud, timeout=timeout))
        self._session, self._on_lost, self._on_back = session, on_lost, on_back
        self._backoff = backoff or Backoff()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._port: Any = None
        self.connected = threading.Event()

    def open_once(self) -> None:
        """Open the link now (raises LinkError), so `open()` of a driver can fail plainly."""
        self._port = self._opener()
        self.connected.set()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"{self.name}-link", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        port = self._port
        if port is not None:
            with contextlib.suppress(AttributeError, OSError, serial.SerialException):
                port.cancel_read()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("%s: link thread did not stop within %.0f s", self.name, timeout)
            self._thread = None
        self._close_port()

    def write(self, data: bytes) -> None:
        """Write on the link from any thread; raises LinkError when it is down."""
        port = self._port
        if port is None or not self.connected.is_set():
            raise LinkError(f"{self.name} is not connected")
        try:
            port.write(data)
            port.flush()
        except LINK_FAILURES as error:
            raise LinkError(f"{self.name}: write failed: {error}") from error

    @property
    def port(self) -> Any:
        return self._port if self.connected.is_set() else None

    def _close_port(self) -> None:
        port, self._port = self._port, None
        self.connected.clear()
        if port is not None:
            with contextlib.suppress(OSError, serial.SerialException):
                port.close()

    def _run(self) -> None:
        lost = False
        while not self._stop.is_set():
            if self._port is None:
                try:
                    self.open_once()
                except LinkError as error:
                    if not lost:
                        lost = True
                        self._on_lost(str(error))
                    self._stop.wait(self._backoff.next())
                    continue
            if lost:
                lost = False
                self._backoff.reset()
                log.info("%s: link back", self.name)
                self._on_back()
            try:
                assert self._port is not None
                self._session(self._port, self._stop)
            except (*LINK_FAILURES, LinkError) as error:
                if self._stop.is_set():
                    break
                log.warning("%s: link lost: %s", self.name, error)
                self._close_port()
                lost = True
                self._on_lost(str(error))
                self._stop.wait(self._backoff.next())
            except Exception:
                # A driver bug must not kill the link thread: log, back off, carry on.
                log.exception("%s: session failed", self.name)
                self._close_port()
                self._stop.wait(self._backoff.next())
