"""The link supervisor on a real pseudo-terminal: open, lose, and get the device back."""

from __future__ import annotations

import os
import pty
import threading
import tty

import pytest
import serial

from drivers.link import Backoff, LinkError, LinkSupervisor, open_link, parse_link
from tests.support.waiting import eventually


def test_urls_name_transport_target_and_options() -> None:
    address = parse_link("serial:///dev/serial/by-id/usb-x?baud=115200")
    assert (address.scheme, address.target, address.number("baud", 9600)) == (
        "serial",
        "/dev/serial/by-id/usb-x",
        115200,
    )
    assert parse_link("tcp://192.0.2.10:9100").target == "192.0.2.10:9100"
    for bad in ("", "/dev/ttyUSB0", "serial://"):
        with pytest.raises(LinkError):
            parse_link(bad)
    with pytest.raises(LinkError, match="cannot open"):
        open_link("serial:///dev/no-such-port")


def test_backoff_doubles_to_its_ceiling_and_resets() -> None:
    backoff = Backoff(first=1, most=8, jitter=0)
    assert [backoff.next() for _ in range(5)] == [1, 2, 4, 8, 8]
    backoff.reset()
    assert backoff.next() == 1


def test_a_lost_device_is_reported_and_picked_up_again(tmp_path) -> None:
    master, slave = pty.openpty()
    tty.setraw(slave)
    link_path = tmp_path / "device"
    os.symlink(os.ttyname(slave), link_path)  # like /dev/serial/by-id: a stable name
    received: list[bytes] = []
    lost, back = threading.Event(), threading.Event()

    def session(port: serial.SerialBase, stop: threading.Event) -> None:
        while not stop.is_set():
            data = port.read(64)
            if data:
                received.append(data)
            if not link_path.exists():
                raise LinkError("device gone")

    supervisor = LinkSupervisor(
        "test",
        f"serial://{link_path}",
        session,
        on_lost=lambda detail: lost.set(),
        on_back=back.set,
        timeout=0.05,
        backoff=Backoff(first=0.05, most=0.2),
    )
    supervisor.open_once()
    supervisor.start()
    try:
        os.write(master, b"hello")
        assert eventually(lambda: b"".join(received) == b"hello")
        link_path.unlink()  # unplugged
        assert lost.wait(3)
        with pytest.raises(LinkError):
            supervisor.write(b"x")
        os.symlink(os.ttyname(slave), link_path)  # plugged in again
        assert back.wait(3)
        os.write(master, b"again")
        assert eventually(lambda: b"again" in b"".join(received))
        supervisor.write(b"ping")
        assert os.read(master, 4) == b"ping"
    finally:
        supervisor.stop()
        os.close(master)
        os.close(slave)
