"""Device faults as queued events: a printer out of paper at 03:12, a scanner unplugged, and
when each came back. The heartbeat tells the center how the devices are now; these events keep
what happened while nobody was looking, the link down included.

Each change of a device's health (ok, warning, fault) is one event in the outbox, aggregate
`device` / `<kiosk id>/<device name>`, so the center gets a device's story in order. The
devices are checked every few seconds, and at once when a driver reports a change of status or
an error. The details are the drivers' own short technician texts, never personal data.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from drivers.contracts import DataEvent, Device
from kiosk.services.heartbeat import device_health
from kiosk.services.listeners import Listeners
from kiosk.services.ports import UnitOfWorkFactory
from sync.periodic import Periodic
from sync.protocol.events import (
    DeviceEvent,
    DeviceFault,
    DeviceLevel,
    DeviceRecovered,
    DeviceWarning,
)

log = logging.getLogger(__name__)

OK = DeviceLevel.OK
# The event for each health a device comes to. "unknown" (a status not read yet, or missed
# once) is no change to report: the heartbeat shows it while it lasts, and a device that is
# really gone reads as a fault.
EVENTS: dict[DeviceLevel, type[DeviceEvent]] = {
    DeviceLevel.OK: DeviceRecovered,
    DeviceLevel.WARNING: DeviceWarning,
    DeviceLevel.FAULT: DeviceFault,
}
EVENT_TYPES = {level.value: event.event_type for level, event in EVENTS.items()}


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class DeviceFaults:
    """`check_once()`, or `start()` checking in the background; `stop()` on the way out."""

    def __init__(
        self,
        devices: Mapping[str, Device],
        unit_of_work: UnitOfWorkFactory,
        *,
        kiosk_id: str,
        interval_s: float = 10.0,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._devices = devices
        self._unit_of_work = unit_of_work
        self._kiosk_id = kiosk_id
        self._clock = clock
        # A device never seen is taken as well: one faulty at start is reported as a fault.
        self._last: dict[str, DeviceLevel] = {}
        self._checking = threading.Lock()
        self._loop = Periodic("device-faults", self._check_quietly, lambda: interval_s)
        self._unsubscribe: list[Callable[[], None]] = []
        self._levels: dict[str, str] = {}  # every device's health at the last check
        self._level_listeners: Listeners[Callable[[dict[str, str]], None]] = Listeners("devices")

    @property
    def levels(self) -> dict[str, str]:
        """Each device's health at the last check ("ok", "warning", "fault", "unknown")."""
        return dict(self._levels)

    def watch(self, listener: Callable[[dict[str, str]], None]) -> Callable[[], None]:
        """`listener(levels)` on the checking thread whenever a device's health changes."""
        return self._level_listeners.watch(listener)

    def check_once(self) -> int:
        """Queue one event per device whose health changed since the last check; how many."""
        with self._checking:
            now = self._clock()
            health_now = device_health(self._devices)
            levels: dict[str, str] = {h.name: h.status for h in health_now}
            if levels != self._levels:
                self._levels = levels
                self._level_listeners.tell(dict(levels))
            changed = [
                h
                for h in health_now
                if h.status in EVENTS and self._last.get(h.name, OK) != h.status
            ]
            if not changed:
                return 0
            with self._unit_of_work() as uow:
                for health in changed:
                    level = DeviceLevel(health.status)
                    event = EVENTS[level](
                        device=health.name,
                        status=level,
                        was=self._last.get(health.name, OK),
                        detail=health.detail,
                    )
                    uow.outbox.add(
                        event, aggregate_id=f"{self._kiosk_id}/{health.name}", occurred_at=now
                    )
                uow.commit()
            # Only once committed: a failed commit is tried again at the next check.
            for health in changed:
                self._last[health.name] = DeviceLevel(health.status)
                log.info("device %s: %s (%s)", health.name, health.status, health.detail)
            return len(changed)

    def start(self) -> None:
        self._loop.start()
        for device in self._devices.values():
            self._unsubscribe.append(device.subscribe(self._on_device_event))

    def stop(self, timeout: float = 5.0) -> bool:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        return self._loop.stop(timeout)

    def _on_device_event(self, event: Any) -> None:
        # On the driver's thread: only a wake-up, the check runs on ours. Not for every scan.
        if not isinstance(event, DataEvent):
            self._loop.wake()

    def _check_quietly(self) -> None:
        try:
            self.check_once()
        except Exception:
            # The store failing must not end the watch; the change is queued next time.
            log.exception("device faults not recorded")
