"""A USB keyboard-wedge scanner read from its Linux input device, grabbed so only the kiosk
sees its keys.

Configured as ``evdev:///dev/input/by-id/usb-<vendor>_<model>-event-kbd`` (the by-id name
survives re-plugging and other keyboards). With ``grab=True`` (the default) the driver takes
the device for itself (EVIOCGRAB) from open to close: a code scanned at any moment, even while
the scanner is disabled, never types into the kiosk's screens. Without the grab the same keys
also reach the desktop; that is only for tests and for devices that cannot be grabbed.

The link supervisor owns the device and its reconnects (unplugged: the read fails with ENODEV,
the device is reported unavailable and opened again with back-off); the session only moves
bytes into the pure ``WedgeFramer`` and turns what comes out into events, as the serial
scanner does: a code is a ``DataEvent(ScannedCode(..., KEYBOARD))`` once per dedup window,
a refusal an ``ErrorEvent`` whose cause is the ``KeyRejectReason``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import select
import threading

from drivers.contracts import (
    DeviceState,
    DeviceUnavailable,
    HealthStatus,
    ScanSource,
)
from drivers.link import Backoff, LinkError, LinkSupervisor, parse_link
from drivers.scanner.evdev_keys import INPUT_EVENT, KeyedCode, RejectedKeys, WedgeFramer
from drivers.scanner.framing import MAX_CODE_BYTES
from drivers.scanner.linked_scanner import LinkedScanner

log = logging.getLogger(__name__)

EVIOCGRAB = 0x40044590  # _IOW('E', 0x90, int), linux/input.h
READ_BYTES = INPUT_EVENT.size * 128  # evdev reads whole records only
POLL_S = 0.05  # how soon the reading thread notices it is asked to stop
UDEV_HINT = (
    "install a udev rule that gives the kiosk user this scanner "
    '(SUBSYSTEM=="input", KERNEL=="event*", ATTRS{idVendor}=="<vid>", ATTRS{idProduct}=="<pid>", '
    'OWNER="<kiosk user>", MODE="0600"; then udevadm trigger) '
    "or add the kiosk user to the group 'input'"
)


class GrabFailed(DeviceUnavailable, LinkError):
    """The scanner's input device cannot be taken; the message names the fix.

    A ``DeviceUnavailable`` for whoever opens the scanner, a ``LinkError`` for the supervisor,
    which keeps retrying (a udev rule applied late, or another program letting go).
    """


class ScannerAccessDenied(GrabFailed):
    """The kiosk user may not read the device (no udev rule, not in the group ``input``)."""


class ScannerHeldElsewhere(GrabFailed):
    """Another program has grabbed the device."""


class NotAnInputDevice(GrabFailed):
    """The URL names something that is not an evdev input device."""


def grab_refusal(error: OSError, path: str) -> GrabFailed:
    """The typed error, with its fix, for an ``OSError`` met opening or grabbing ``path``."""
    if error.errno in (errno.EACCES, errno.EPERM):
        return ScannerAccessDenied(f"no permission to read {path}: {UDEV_HINT}")
    if error.errno == errno.EBUSY:
        return ScannerHeldElsewhere(
            f"{path} is grabbed by another program (a second kiosk, a desktop key tool): stop it"
        )
    if error.errno in (errno.ENOTTY, errno.EINVAL):
        return NotAnInputDevice(
            f"{path} is not an input device: use the scanner's "
            "/dev/input/by-id/usb-...-event-kbd (see ls -l /dev/input/by-id)"
        )
    return GrabFailed(f"cannot grab {path}: {error}")


def evdev_path(url: str) -> str:
    """The device path of an ``evdev:///dev/input/...`` URL; ValueError for anything else."""
    try:
        address = parse_link(url)
    except LinkError as error:
        raise ValueError(str(error)) from None
    if address.scheme != "evdev" or not address.target.startswith("/"):
        raise ValueError(
            f"{url!r} is not an input device URL: use evdev:///dev/input/by-id/usb-...-event-kbd"
        )
    return address.target


class InputDevicePort:
    """One open input device: reads with a timeout; holds the grab until closed."""

    def __init__(self, path: str, grab: bool) -> None:
        try:
            self._fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EPERM):
                raise grab_refusal(error, path) from error
            raise LinkError(f"cannot open {path}: {error.strerror}") from error
        self.grabbed = False
        if grab:
            try:
                fcntl.ioctl(self._fd, EVIOCGRAB, 1)
            except OSError as error:
                os.close(self._fd)
                raise grab_refusal(error, path) from error
            self.grabbed = True
        self._poll = select.poll()
        self._poll.register(self._fd, select.POLLIN | select.POLLPRI)

    def read(self, timeout: float) -> bytes:
        """What arrived within ``timeout`` (b"" if nothing); raises when the device is gone."""
        if not self._poll.poll(timeout * 1000):
            return b""
        try:
            data = os.read(self._fd, READ_BYTES)
        except BlockingIOError:
            return b""
        if not data:  # end of file: the other end hung up (an unplugged device reads ENODEV)
            raise LinkError("input device closed")
        return data

    def drain(self) -> None:
        """Drop what is waiting now, without waiting for more."""
        with contextlib.suppress(BlockingIOError):
            while os.read(self._fd, READ_BYTES):
                pass

    def close(self) -> None:
        if self.grabbed:
            with contextlib.suppress(OSError):
                fcntl.ioctl(self._fd, EVIOCGRAB, 0)  # closing releases it too; say so early
        with contextlib.suppress(OSError):
            os.close(self._fd)


class HidScanner(LinkedScanner):
    _framer: WedgeFramer

    def __init__(
        self,
        url: str,
        name: str | None = None,
        grab: bool = True,
        dedup_window_s: float = 1.5,
        max_code_chars: int = MAX_CODE_BYTES,
        max_gap_s: float = 1.0,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__(name, dedup_window_s)
        if not isinstance(grab, bool):
            raise ValueError(f"grab must be true or false, not {grab!r}")
        self.url = url
        self.path = evdev_path(url)  # a bad URL is a config error now, not a retry loop later
        self.grab = grab
        self._framer = WedgeFramer(max_code_chars, max_gap_s)
        self._supervisor = LinkSupervisor(
            self.name,
            url,
            self._session,
            on_lost=self._become_unavailable,
            on_back=self._on_back,
            backoff=backoff,
            opener=lambda: InputDevicePort(self.path, self.grab),
        )
        # Set by the session once stale input is gone: the state turns ENABLED before that.
        self._listening = threading.Event()

    # lifecycle hooks

    def _on_open(self) -> None:
        self._listening.clear()  # closed while unavailable, it was never disabled
        # A GrabFailed is typed with its fix: the technician must act, retrying will not do.
        super()._on_open()

    def _on_enable(self) -> None:
        self._flushed.clear()
        self._fresh_start.set()
        if self._supervisor.port is not None:
            # Wait for the session to drop stale keys, so a code scanned from now on is read.
            self._flushed.wait(1.0)

    def _on_disable(self) -> None:
        self._listening.clear()
        self._repeats.reset()

    def _health_when_open(self) -> tuple[HealthStatus, str]:
        mode = "grabbed" if self.grab else "not grabbed: its keys also reach the screen"
        if self.rejected:
            return HealthStatus.WARNING, f"{mode}; {self.rejected} unreadable scans since open"
        return (HealthStatus.OK if self.grab else HealthStatus.WARNING), mode

    def _listening_again(self) -> None:
        self._listening.set()

    # the link

    def _session(self, port: InputDevicePort, stop: threading.Event) -> None:
        while not stop.is_set():
            self._start_fresh_if_asked(port.drain)
            data = port.read(POLL_S)
            if data:
                self._take(self._framer.feed(data))

    def _take(self, codes: list[KeyedCode]) -> None:
        enabled = self.state is DeviceState.ENABLED and self._listening.is_set()
        for code in codes:
            if isinstance(code, RejectedKeys):
                self._refuse(code.reason, f"{code.length} chars", tell=enabled)
                continue
            if enabled:
                self._deliver(code.text, ScanSource.KEYBOARD)
