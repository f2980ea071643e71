"""What the kiosk tells systemd, read off a real datagram socket as systemd reads it
(sd_notify(3)): a path socket and an abstract one, the watchdog period meant for this process
only, nothing sent when not supervised, and a manager gone away costing one warning."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.service_manager import ServiceManager


@pytest.fixture
def listening(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    path = tmp_path / "notify"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(2)
    yield str(path), server
    server.close()


def received(server: socket.socket) -> list[str]:
    return server.recv(4096).decode("utf-8").splitlines()


def test_ready_pings_status_and_stopping_reach_the_socket(
    listening: tuple[str, socket.socket],
) -> None:
    path, server = listening
    manager = ServiceManager({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "3000000"})
    assert manager.supervised and manager.watchdog_s == 3.0 and manager.ping_every_ms == 1000
    manager.ready("the kiosk k1 shows its window")
    assert received(server) == [
        "READY=1",
        "STATUS=the kiosk k1 shows its window",
        f"MAINPID={os.getpid()}",
    ]
    manager.alive()
    assert received(server) == ["WATCHDOG=1"]
    manager.status("收费中")  # UTF-8, as systemd reads it
    assert received(server) == ["STATUS=收费中"]
    manager.stopping()
    assert received(server) == ["STOPPING=1"]


def test_an_abstract_socket_is_reached_by_its_name() -> None:
    name = f"kiosk-test-{uuid.uuid4().hex}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(b"\0" + name.encode())
    server.settimeout(2)
    try:
        ServiceManager({"NOTIFY_SOCKET": "@" + name}).alive()
        assert received(server) == ["WATCHDOG=1"]
    finally:
        server.close()


def test_a_watchdog_meant_for_another_process_or_none_is_not_pinged() -> None:
    other = {"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "3000000", "WATCHDOG_PID": "1"}
    assert ServiceManager(other).ping_every_ms is None
    mine = {**other, "WATCHDOG_PID": str(os.getpid())}
    assert ServiceManager(mine).ping_every_ms == 1000
    for usec in ("", "0", "-5", "soon"):
        assert ServiceManager({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": usec}).watchdog_s is None


def test_not_started_by_systemd_nothing_is_sent(tmp_path: Path) -> None:
    manager = ServiceManager({})
    assert not manager.supervised and manager.ping_every_ms is None
    manager.ready("x")
    manager.alive()  # no socket, no error
    assert not ServiceManager({"NOTIFY_SOCKET": "vsock:2:1234"}).supervised


def test_a_manager_gone_away_costs_one_warning_and_never_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    manager = ServiceManager({"NOTIFY_SOCKET": str(tmp_path / "gone"), "WATCHDOG_USEC": "1000000"})
    with caplog.at_level(logging.WARNING, logger="kiosk.service_manager"):
        for _ in range(5):
            manager.alive()
    assert len(caplog.records) == 1
    assert "cannot be told" in caplog.records[0].getMessage()
