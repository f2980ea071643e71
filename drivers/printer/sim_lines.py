"""Where the simulated printer's bytes come in and its answers go out: a pseudo-terminal (a serial
or USB-CDC printer) or a TCP socket on loopback (a network printer on port 9100).

A line only moves bytes; the simulator behind it parses them, keeps the printer's state and draws
the receipts, the same for every line. "Unplugging" a line takes it away under the driver: the
pty disappears as a USB serial port does; the socket is closed and nothing listens any more, as
when a network printer is switched off. Plugging it in again brings it back at the same address.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import socket
import threading
import tty
from pathlib import Path


class PtyLine:
    """A pseudo-terminal: the simulator holds the master, the driver opens the slave's path."""

    def __init__(self, link: Path | None = None) -> None:
        self.link = link  # a stable path to the pty, like /dev/serial/by-id/...
        self._lock = threading.RLock()
        self._master: int | None = None
        self._slave: int | None = None
        self._tty = ""

    @property
    def path(self) -> str:
        """What to point the kiosk at: the stable link if there is one, else the pty itself."""
        return str(self.link) if self.link is not None else self._tty

    @property
    def url(self) -> str:
        return f"serial://{self.path}"

    @property
    def plugged_in(self) -> bool:
        return self._master is not None

    def plug_in(self) -> None:
        with self._lock:
            if self._master is not None:
                return
            master, slave = pty.openpty()
            tty.setraw(slave)
            self._tty = os.ttyname(slave)
            # The simulator keeps the slave open too, so the master reads nothing, not EIO,
            # while no driver has the port open.
            self._master, self._slave = master, slave
            if self.link is not None:
                with contextlib.suppress(FileNotFoundError):
                    self.link.unlink()
                self.link.symlink_to(self._tty)

    def unplug(self) -> None:
        with self._lock:
            if self._master is None:
                return
            for fd in (self._master, self._slave):
                with contextlib.suppress(OSError):
                    os.close(fd)  # type: ignore[arg-type]
            self._master = self._slave = None
            if self.link is not None:
                with contextlib.suppress(FileNotFoundError):
                    self.link.unlink()

    def receive(self, timeout: float) -> bytes | None:
        """Bytes from the driver (b"" when none came in time); None while unplugged."""
        with self._lock:
            master = self._master
        if master is None:
            return None
        try:
            ready, _, _ = select.select([master], [], [], timeout)
            return os.read(master, 512) if ready else b""
        except (OSError, ValueError):
            return b""  # unplugged under us

    def send(self, data: bytes) -> None:
        with self._lock:
            if self._master is not None:
                os.write(self._master, data)


class TcpLine:
    """A listening socket on ``host``; one driver connection at a time, as a JetDirect port.

    ``port`` 0 takes a free port the first time; plugging in again listens on that same port.
    """

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        self.host, self.port = host, port
        self._lock = threading.RLock()
        self._listener: socket.socket | None = None
        self._client: socket.socket | None = None

    @property
    def path(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"tcp://{self.path}"

    @property
    def plugged_in(self) -> bool:
        return self._listener is not None

    @property
    def connected(self) -> bool:
        return self._client is not None

    def plug_in(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            # The old connections linger in TIME_WAIT: listening on the same port again must work.
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                listener.bind((self.host, self.port))
                listener.listen(1)
            except OSError:
                listener.close()
                raise
            self.port = listener.getsockname()[1]
            self._listener = listener

    def unplug(self) -> None:
        with self._lock:
            for sock in (self._client, self._listener):
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.close()
            self._client = self._listener = None

    def receive(self, timeout: float) -> bytes | None:
        """Bytes from the driver (b"" when none came in time); None while unplugged."""
        with self._lock:
            listener, client = self._listener, self._client
        if listener is None:
            return None
        waiting_on = client if client is not None else listener
        try:
            ready, _, _ = select.select([waiting_on], [], [], timeout)
            if not ready:
                return b""
            if client is None:
                accepted, _ = listener.accept()
                accepted.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with self._lock:
                    if self._listener is listener:
                        self._client = accepted
                        return b""
                accepted.close()  # unplugged while accepting
                return b""
            data = client.recv(4096)
        except (OSError, ValueError):
            data = b""  # reset by the driver, or closed under us by unplug()
        if not data:
            self._hang_up(client)
        return data

    def send(self, data: bytes) -> None:
        with self._lock:
            client = self._client
        if client is None:
            return  # nobody connected: the answer goes nowhere, as on the wire
        try:
            client.sendall(data)
        except OSError:
            self._hang_up(client)

    def _hang_up(self, client: socket.socket | None) -> None:
        """The driver went away: drop its connection and take the next one."""
        if client is None:
            return
        with self._lock:
            if self._client is client:
                self._client = None
        with contextlib.suppress(OSError):
            client.close()


class BulkLine:
    """A USB printer's two bulk endpoints, in process: OUT carries the print data, IN the replies.

    No virtual USB bus can take a simulated device without root (dummy_hcd, usbip), so a test's
    stand-in for pyusb's device object moves the bytes with ``host_write`` and ``host_read``.
    Each plug-in is a new ``generation``: a device handle from before the unplug stays dead, as a
    real one does.
    """

    def __init__(self, vendor_id: int = 0x0416, product_id: int = 0x5011) -> None:
        self.vendor_id, self.product_id = vendor_id, product_id
        self.generation = 0
        self._plugged = False
        self._out = bytearray()  # host -> printer
        self._in = bytearray()  # printer -> host
        self._changed = threading.Condition()

    @property
    def path(self) -> str:
        return f"{self.vendor_id:04x}:{self.product_id:04x}"

    @property
    def url(self) -> str:
        return f"usb://{self.path}"

    @property
    def plugged_in(self) -> bool:
        return self._plugged

    def plug_in(self) -> None:
        with self._changed:
            if not self._plugged:
                self._plugged = True
                self.generation += 1
                self._out.clear()
                self._in.clear()
                self._changed.notify_all()

    def unplug(self) -> None:
        with self._changed:
            self._plugged = False
            self._changed.notify_all()

    # the printer's side

    def receive(self, timeout: float) -> bytes | None:
        with self._changed:
            self._changed.wait_for(lambda: self._out or not self._plugged, timeout)
            if not self._plugged:
                return None
            data = bytes(self._out)
            self._out.clear()
            return data

    def send(self, data: bytes) -> None:
        with self._changed:
            if self._plugged:
                self._in += data
                self._changed.notify_all()

    # the host's side (the bulk transfers)

    def host_write(self, generation: int, data: bytes) -> int:
        """Bulk OUT; ConnectionError once the device this handle was for is gone."""
        with self._changed:
            self._check(generation)
            self._out += data
            self._changed.notify_all()
            return len(data)

    def host_read(self, generation: int, size: int, timeout: float) -> bytes:
        """Bulk IN: up to ``size`` bytes, b"" when nothing came within ``timeout``."""
        with self._changed:
            self._changed.wait_for(lambda: self._in or not self._live(generation), timeout)
            self._check(generation)
            data = bytes(self._in[:size])
            del self._in[:size]
            return data

    def _live(self, generation: int) -> bool:
        return self._plugged and generation == self.generation

    def _check(self, generation: int) -> None:
        if not self._live(generation):
            raise ConnectionError("the USB device is gone")
