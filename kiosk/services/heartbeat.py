"""The heartbeat: every few seconds the kiosk tells the center how it is, and hears back the
commands waiting for it, which `RemoteCommands` carries out once each and which are then
acknowledged. A lost acknowledgement is no harm: the center hands the command over again, and
the kiosk answers with the outcome it recorded the first time.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from drivers.contracts import Device
from kiosk.services.remote_commands import RemoteCommands
from sync.protocol.fleet import (
    CommandAck,
    DeviceHealth,
    Heartbeat,
    HeartbeatAnswer,
    KioskHealth,
    Versions,
)

log = logging.getLogger(__name__)


class FleetCenter(Protocol):
    """The center's fleet routes (sync.client.CenterClient)."""

    def heartbeat(self, beat: Heartbeat) -> HeartbeatAnswer: ...

    def ack_command(self, command_id: str, ack: CommandAck) -> None: ...


class QueueStatus(Protocol):
    """What the heartbeat reports of the outbox (sync.relay.RelayStatus)."""

    @property
    def depth(self) -> int | None: ...
    @property
    def parked(self) -> int | None: ...
    @property
    def oldest_unsent(self) -> dt.datetime | None: ...
    @property
    def last_success(self) -> dt.datetime | None: ...


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def device_health(devices: Mapping[str, Device]) -> list[DeviceHealth]:
    """Each device as its driver sees it; a driver that fails to say is a fault, not a crash."""
    report = []
    for name, device in devices.items():
        try:
            health = device.check_health()
            report.append(
                DeviceHealth(name=name, status=health.status.value, detail=health.detail[:200])
            )
        except Exception as error:
            report.append(
                DeviceHealth(
                    name=name, status="fault", detail=f"health check failed: {error}"[:200]
                )
            )
    return report


def free_disk_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


class HealthReport:
    """Gathers the kiosk's health for one heartbeat."""

    def __init__(
        self,
        devices: Mapping[str, Device],
        relay_status: Callable[[], QueueStatus],
        data_dir: Path,
        versions: Versions,
        locked: Callable[[], bool],
        *,
        station_id: str | None = None,
        paper_left_pct: Callable[[], int] | None = None,
    ) -> None:
        self._station_id = station_id
        self._paper_left_pct = paper_left_pct
        # Set once the screens' services exist: when the resident's session began, if one runs.
        self.session_since: Callable[[], dt.datetime | None] = lambda: None
        self._devices = devices
        self._relay_status = relay_status
        self._data_dir = data_dir
        self._versions = versions
        self._locked = locked

    def __call__(self) -> KioskHealth:
        relay = self._relay_status()
        return KioskHealth(
            devices=device_health(self._devices),
            queue_depth=relay.depth,
            queue_parked=relay.parked,
            oldest_unsent=relay.oldest_unsent,
            last_sync=relay.last_success,
            disk_free_bytes=free_disk_bytes(self._data_dir),
            locked=self._locked(),
            versions=self._versions,
            station_id=self._station_id,
            paper_left_pct=self._paper_left_pct() if self._paper_left_pct is not None else None,
            session_since=self.session_since(),
        )


class HeartbeatSender:
    """`start()` the thread, `beat_now()` to beat at once, `stop()` on the way out."""

    def __init__(
        self,
        center: FleetCenter,
        commands: RemoteCommands,
        health: Callable[[], KioskHealth],
        *,
        kiosk_id: str,
        interval: float = 30.0,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._center = center
        self._commands = commands
        self._health = health
        self._kiosk_id = kiosk_id
        self._interval = interval
        self._clock = clock
        self._wake = threading.Condition()
        self._asked = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.last_beat: dt.datetime | None = None  # the last heartbeat the center answered

    def beat_once(self) -> int:
        """One heartbeat and its commands; how many commands came. Raises the center's errors."""
        beat = Heartbeat(kiosk_id=self._kiosk_id, sent_at=self._clock(), health=self._health())
        answer = self._center.heartbeat(beat)
        self.last_beat = self._clock()
        for command in answer.commands:
            ack = self._commands.carry_out(command)
            try:
                self._center.ack_command(str(command.id), ack)
            except Exception as error:
                # Done and recorded here; the center asks again and gets the same answer.
                log.warning("command %s not acknowledged yet: %s", command.id, error)
        return len(answer.commands)

    def beat_now(self) -> None:
        with self._wake:
            self._asked = True
            self._wake.notify_all()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the heartbeat is already started")
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping:
            try:
                self.beat_once()
            except Exception as error:
                # Offline is normal here: the connectivity watch tells the screens.
                log.info("heartbeat not delivered: %s", f"{type(error).__name__}: {error}"[:300])
            with self._wake:
                self._wake.wait_for(lambda: self._stopping or self._asked, self._interval)
                self._asked = False
