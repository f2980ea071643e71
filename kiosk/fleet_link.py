"""Wiring the kiosk into its fleet: the connectivity watch, the heartbeat, remote commands,
device faults.

Part of the composition root (kiosk/bootstrap.py calls `build_fleet_link`); nothing here runs
until `start()`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
from collections.abc import Mapping
from dataclasses import dataclass

from drivers.contracts import Device
from kiosk.config import NOT_A_SETTING, KioskConfig
from kiosk.domain.connectivity import LinkRules
from kiosk.services.connectivity import Connectivity
from kiosk.services.device_faults import DeviceFaults
from kiosk.services.heartbeat import HealthReport, HeartbeatSender
from kiosk.services.paper_roll import PaperCounter
from kiosk.services.ports import UnitOfWork
from kiosk.services.remote_commands import RemoteCommands
from kiosk.store import Store
from kiosk.store.kiosk_state import write_state
from kiosk.store.unit_of_work import UnitOfWork as StoreUnitOfWork
from sync.client import CenterClient
from sync.protocol import PROTOCOL_VERSION
from sync.protocol.fleet import RemoteCommand, Versions
from sync.protocol.signing import command_verifies
from sync.relay import Relay


class StoredKioskState:
    """kiosk_state rows of the store, for `RemoteCommands`."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def read(self, key: str) -> str | None:
        return self._store.kiosk_state(key)

    def write(self, uow: UnitOfWork, key: str, value: str) -> None:
        # Only the store's unit of work is ever given here: the fleet link is built on the store.
        assert isinstance(uow, StoreUnitOfWork)
        write_state(uow.connection, key, value)


@dataclass
class FleetLink:
    connectivity: Connectivity
    remote_commands: RemoteCommands
    heartbeat: HeartbeatSender
    probe_client: CenterClient
    device_faults: DeviceFaults
    health: HealthReport

    def start(self) -> None:
        self.connectivity.start()
        self.heartbeat.start()
        self.device_faults.start()

    def stop(self) -> None:
        self.device_faults.stop()
        self.heartbeat.stop()
        self.connectivity.stop()
        self.probe_client.close()


def config_hash(config: KioskConfig) -> str:
    """A short fingerprint of the settings, so the center sees which kiosks run which."""
    settings = dataclasses.asdict(config)
    for field in dataclasses.fields(config):
        if field.metadata.get(NOT_A_SETTING):  # e.g. which file they were read from
            del settings[field.name]
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def app_version() -> str:
    try:
        return importlib.metadata.version("base-station-kiosk")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def build_fleet_link(
    config: KioskConfig,
    store: Store,
    center: CenterClient,
    relay: Relay,
    devices: Mapping[str, Device],
    paper: PaperCounter | None = None,
) -> FleetLink:
    settings = config.heartbeat
    probe_client = center.with_timeout(settings.probe_timeout_seconds)
    connectivity = Connectivity(
        probe_client.health,
        LinkRules(
            failures_to_go_offline=settings.failures_to_go_offline,
            successes_to_come_back=settings.successes_to_come_back,
            idle_probe_s=settings.idle_probe_seconds,
            quick_probe_s=settings.probe_seconds,
        ),
    )
    # Every call to the center, whoever makes it, tells whether the center is there.
    center.watch_outcomes(connectivity.record)
    credentials = center.credentials
    verify = None
    if credentials is not None:
        secret, kiosk_id = credentials.secret, credentials.kiosk_id

        def verify(command: RemoteCommand) -> bool:
            return command_verifies(secret, kiosk_id, command.signed_fields(), command.signature)

    commands = RemoteCommands(
        store.unit_of_work, StoredKioskState(store), kiosk_id=config.kiosk.id, verify=verify
    )
    commands.sync_now_hooks.append(relay.notify)
    versions = Versions(
        app=app_version(), protocol=PROTOCOL_VERSION, config_hash=config_hash(config)
    )
    health = HealthReport(
        devices,
        relay.status,
        config.kiosk.data_dir,
        versions,
        locked=lambda: commands.lock_state is not None,
        station_id=config.kiosk.station_id,
        paper_left_pct=(lambda: paper.roll.left_pct) if paper is not None else None,
    )
    heartbeat = HeartbeatSender(
        center,
        commands,
        health,
        kiosk_id=config.kiosk.id,
        interval=config.heartbeat.interval_seconds,
    )
    # Back online: report at once, and hear any command that waited.
    connectivity.watch(lambda online: heartbeat.beat_now() if online else None)
    faults = DeviceFaults(
        devices,
        store.unit_of_work,
        kiosk_id=config.kiosk.id,
        interval_s=settings.device_check_seconds,
    )
    return FleetLink(connectivity, commands, heartbeat, probe_client, faults, health)
