"""What the kiosk tells the service manager that started it: systemd's notify protocol
(sd_notify(3)), spoken on the datagram socket named by $NOTIFY_SOCKET.

- READY=1 once the window has painted: the unit (Type=notify) counts as started then.
- WATCHDOG=1 every third of $WATCHDOG_USEC, from a timer on the UI thread: a UI thread that
  hangs stops the pings, and systemd (WatchdogSec=) kills and restarts the app.
- STATUS=... a line for `systemctl status`; STOPPING=1 when it stops.

Started any other way (a terminal, the tests, the demo) there is no socket and nothing is sent.
The protocol is a datagram of a few lines: sdnotify has had no release since 2019, and
python-systemd needs libsystemd's headers to build into a virtual environment.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket

log = logging.getLogger(__name__)

# The UI thread pings three times per watchdog period: one late ping is not yet a hang.
PINGS_PER_PERIOD = 3


class ServiceManager:
    """The link to systemd, or to nothing when the kiosk was not started as a notify unit."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self._address = _socket_address(env.get("NOTIFY_SOCKET", ""))
        self.watchdog_s = _watchdog_period(env)
        self._socket: socket.socket | None = None
        self._failed = False

    @property
    def supervised(self) -> bool:
        return self._address is not None

    @property
    def ping_every_ms(self) -> int | None:
        """How often the UI thread must ping (None: no watchdog asked for)."""
        if self.watchdog_s is None:
            return None
        return max(100, int(self.watchdog_s * 1000 / PINGS_PER_PERIOD))

    def ready(self, status: str) -> None:
        self._send(f"READY=1\nSTATUS={status}\nMAINPID={os.getpid()}")

    def alive(self) -> None:
        self._send("WATCHDOG=1")

    def status(self, text: str) -> None:
        self._send(f"STATUS={text}")

    def stopping(self) -> None:
        self._send("STOPPING=1")

    def _send(self, message: str) -> None:
        if self._address is None or self._failed:
            return
        import socket  # here: not needed before the first frame, and 4 ms to import

        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                self._socket.setblocking(False)  # never wait on the UI thread
            self._socket.sendto(message.encode("utf-8"), self._address)
        except OSError as error:
            # Once: a missing manager must not fill the log at every ping.
            self._failed = True
            log.warning("the service manager cannot be told (%s): %s", message.split("=")[0], error)


def _socket_address(value: str) -> str | bytes | None:
    if not value:
        return None
    if value.startswith("@"):  # an abstract socket: a NUL byte, then the name
        return b"\0" + value[1:].encode()
    if value.startswith("/"):
        return value
    return None  # vsock and other kinds: not for a kiosk


def _watchdog_period(env: Mapping[str, str]) -> float | None:
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    pid = env.get("WATCHDOG_PID")
    if usec <= 0 or (pid and pid != str(os.getpid())):
        return None  # meant for another process (a parent that started us)
    return usec / 1_000_000
