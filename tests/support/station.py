"""A whole kiosk for the technician's and the resident's tests of maintenance and of services
withdrawn: the real drivers talking to the wire simulators (printer, ID-card reader, scanner),
the camera, the real store, and the real center over loopback behind a proxy that can cut the
link. `station` is the fixture; a test clock decides when a lock on maintenance entry runs out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.app import attach_devices, attach_screen_reports, build_window
from kiosk.bootstrap import Kiosk, build_kiosk, build_maintenance
from kiosk.config import load_config
from kiosk.demo_devices import DemoDevices
from kiosk.services.technician_access import hash_secret
from kiosk.store.audit_log import read_entries
from rules.audit_chain import verify_chain
from tests.support.fault_proxy import FaultProxy

PREFIX = "https://95598.js.sgcc.local/bill/"
PIN = "246810"
TECHNICIAN_CARD = "320104198506120010"  # 赵磊 of the simulator's deck
RESIDENT_CARD = "320102195203140026"  # 李秀英
PIN_HASH = hash_secret(PIN)
CARD_HASH = hash_secret(TECHNICIAN_CARD)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Station:
    window: Any
    kiosk: Kiosk
    demo: DemoDevices
    clock: Clock
    link: FaultProxy  # between the kiosk and the center
    center: Any  # the RunningCenter

    @property
    def mode(self) -> Any:
        return self.window.maintenance

    def audit(self) -> list[tuple[str, str, str]]:
        with self.kiosk.store.engine.connect() as connection:
            entries = read_entries(connection)
        assert verify_chain(entries) == []
        return [(entry.actor, entry.action, entry.detail) for entry in entries]


@pytest.fixture
def station(
    qtbot: Any, tmp_path: Path, start_center: Any, request: pytest.FixtureRequest
) -> Iterator[Station]:
    """A test marked `demo_center` gets the center's demo accounts and wallets too."""
    center = start_center(demo_data=request.node.get_closest_marker("demo_center") is not None)
    link = FaultProxy(center.url)
    demo = DemoDevices(tmp_path / "devices", PREFIX).start()
    config = demo.configure(
        load_config(
            overrides={
                "kiosk": {"id": "kiosk-maintenance", "data_dir": str(tmp_path / "kiosk")},
                "center": {"url": link.url, "timeout_seconds": 2},
                "heartbeat": {
                    "device_check_seconds": 0.5,
                    "probe_seconds": 0.2,
                    "idle_probe_seconds": 0.5,
                    "probe_timeout_seconds": 0.5,
                },
                "maintenance": {
                    "pin_hash": PIN_HASH,
                    "technician_cards": [CARD_HASH],
                    "paper_roll_metres": 5,
                },
                "video": {"enabled": False},
                "screen": {"language": "en"},
                "logging": {"level": "WARNING"},
            }
        )
    )
    kiosk = build_kiosk(config)
    kiosk.start()
    clock = Clock()
    assert kiosk.fleet is not None and kiosk.maintenance is not None
    kiosk.maintenance = build_maintenance(
        config,
        kiosk.store,
        kiosk.devices,
        kiosk.fleet,
        kiosk.relay,
        clock=clock,
        paper=kiosk.maintenance.paper,
        payments=kiosk.payments,
    )
    window = build_window(config, kiosk.services)
    qtbot.addWidget(window)
    window.fit(1920, 1080)
    window.show()
    window.finish_building()  # as the app does after the first frame
    attach_devices(window, kiosk)
    attach_screen_reports(window, kiosk)
    window.attach_maintenance(kiosk.maintenance, idle_s=60, clock=clock)
    yield Station(window, kiosk, demo, clock, link, center)
    window.teardown()
    kiosk.close()
    demo.stop()
    link.close()
