"""A serial (USB-CDC) code scanner: 9600 8N1, each code ended by CR, CR LF or LF.

The link supervisor owns the port and its reconnects; the session only moves bytes into the
framer and turns what comes out into events: a clean code is a ``DataEvent(ScannedCode)``
(once per dedup window), anything else an ``ErrorEvent`` whose cause is the ``RejectReason``,
never a code. Triggered models get their start command when enabled, after each read, every
``retrigger_s`` and when the scanner comes back; their stop command when disabled.

Commands go out one at a time under ``_commands``, and the session decides to send a start
only while holding it: so once ``disable()`` has sent the stop no start can follow it, and a
disabled kiosk never leaves the scanner reading until its own read timeout.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time

import serial

from drivers.contracts import (
    DeviceState,
    HealthStatus,
    ScanSource,
)
from drivers.link import Backoff, LinkError, LinkSupervisor, parse_link
from drivers.scanner.framing import MAX_CODE_BYTES, CodeLine, LineFramer, RejectedLine
from drivers.scanner.linked_scanner import LinkedScanner
from drivers.scanner.models import model_named

log = logging.getLogger(__name__)


class SerialScanner(LinkedScanner):
    _framer: LineFramer

    def __init__(
        self,
        url: str,
        name: str | None = None,
        model: str = "continuous",
        dedup_window_s: float = 1.5,
        retrigger_s: float = 5.0,
        max_code_bytes: int = MAX_CODE_BYTES,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__(name, dedup_window_s)
        try:
            parse_link(url)  # a bad URL is a config error now, not a retry loop later
        except LinkError as error:
            raise ValueError(str(error)) from None
        if not isinstance(retrigger_s, int | float) or not 0.1 <= retrigger_s <= 600:
            raise ValueError(f"retrigger_s must be 0.1-600 seconds, not {retrigger_s!r}")
        self.url = url
        self.model = model_named(model)
        self._retrigger_s = float(retrigger_s)
        self._framer = LineFramer(max_code_bytes, ignore=(self.model.acknowledgement,))
        self._supervisor = LinkSupervisor(
            self.name,
            url,
            self._session,
            on_lost=self._become_unavailable,
            on_back=self._on_back,
            baud=9600,
            timeout=0.1,
            backoff=backoff,
        )
        self._trigger_now = threading.Event()  # ask the session to send the start command
        # Held to decide on and write a command: a start never overtakes disable()'s stop.
        self._commands = threading.Lock()

    # lifecycle hooks

    def _on_enable(self) -> None:
        self._flushed.clear()
        self._fresh_start.set()
        self._trigger_now.set()
        port = self._supervisor.port
        if port is not None:
            # Wait for the session to drop stale input, so a code shown from now on is read.
            with contextlib.suppress(AttributeError, OSError, serial.SerialException):
                port.cancel_read()
            self._flushed.wait(1.0)

    def _on_disable(self) -> None:
        self._repeats.reset()
        if self.model.stop:
            # The state is already IDLE: a start the session decided on before that is on the
            # wire once we hold the lock, and the session sends no other, so the stop is last.
            with self._commands:
                self._send(self.model.stop)

    def _health_when_open(self) -> tuple[HealthStatus, str]:
        mode = f"{self.model.name} mode"
        if self.rejected:
            return HealthStatus.WARNING, f"{mode}; {self.rejected} unreadable lines since open"
        return HealthStatus.OK, mode

    # the link

    def _on_back(self) -> None:
        super()._on_back()
        self._trigger_now.set()

    def _session(self, port: serial.SerialBase, stop: threading.Event) -> None:
        next_trigger = 0.0
        while not stop.is_set():
            self._start_fresh_if_asked(port.reset_input_buffer)
            if self.model.triggered:
                next_trigger = self._trigger_if_due(port, next_trigger)
            data = port.read(max(1, port.in_waiting))
            if data:
                self._take(self._framer.feed(data))

    def _trigger_if_due(self, port: serial.SerialBase, next_trigger: float) -> float:
        """Send the start command if enabled and asked or due; the next time one is due."""
        with self._commands:
            # Checked under the lock: disable() turns the state IDLE before it sends the stop.
            if self.state is not DeviceState.ENABLED:
                return next_trigger
            now = time.monotonic()
            if not self._trigger_now.is_set() and now < next_trigger:
                return next_trigger
            self._trigger_now.clear()
            port.write(self.model.start)
            return now + self._retrigger_s

    def _take(self, lines: list[CodeLine | RejectedLine]) -> None:
        enabled = self.state is DeviceState.ENABLED
        for line in lines:
            if isinstance(line, RejectedLine):
                self._refuse(line.reason, f"{line.length} bytes", tell=enabled)
                continue
            if not enabled:
                continue  # a code read while disabled is not for anyone
            if self.model.triggered:
                self._trigger_now.set()  # a triggered scanner stops after a good read
            self._deliver(line.text, ScanSource.SERIAL)

    def _send(self, command: bytes) -> None:
        try:
            self._supervisor.write(command)
        except LinkError as error:
            log.info("%s: command not sent: %s", self.name, error)
