"""A second host on this machine, for faults that must cross a real link: a network namespace
joined to this one by a veth pair (iproute2), whose link a test takes down and up again.

Needs the right to make namespaces (root, or CAP_NET_ADMIN); `other_host()` skips the test
with the reason where it is refused. Chromium is started inside it through `browser_command`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE_IP, THERE_IP = "10.213.0.1", "10.213.0.2"


@dataclass(frozen=True)
class OtherHost:
    namespace: str
    link: str  # this side of the veth pair
    here: str  # this host's address on the link
    there: str  # the other host's address

    def link_down_for(self, seconds: float) -> None:
        """The cable pulled, then put back: nothing crosses for `seconds`."""
        _ip("link", "set", self.link, "down")
        try:
            time.sleep(seconds)
        finally:
            _ip("link", "set", self.link, "up")

    def browser_command(self, folder: Path, browser: str) -> Path:
        """An executable that starts `browser` inside the other host (for Playwright)."""
        script = folder / "browser-there"
        script.write_text(f'#!/bin/sh\nexec ip netns exec {self.namespace} {browser} "$@"\n')
        script.chmod(0o755)
        return script


def _ip(*args: str, namespace: str | None = None) -> None:
    command = (
        ["ip", *args] if namespace is None else ["ip", "netns", "exec", namespace, "ip", *args]
    )
    subprocess.run(command, check=True, capture_output=True, timeout=10)


@contextmanager
def other_host() -> Iterator[OtherHost]:
    if shutil.which("ip") is None:
        pytest.skip("iproute2 (ip) is not installed")
    tag = f"{os.getpid() % 100000}"
    namespace, here, there = f"kiosk-t{tag}", f"kt{tag}h", f"kt{tag}t"
    try:
        _ip("netns", "add", namespace)
    except subprocess.CalledProcessError as error:
        pytest.skip(f"no network namespace may be made here: {error.stderr.decode().strip()}")
    try:
        _ip("link", "add", here, "type", "veth", "peer", "name", there)
        _ip("link", "set", there, "netns", namespace)
        _ip("addr", "add", f"{HERE_IP}/30", "dev", here)
        _ip("link", "set", here, "up")
        _ip("addr", "add", f"{THERE_IP}/30", "dev", there, namespace=namespace)
        _ip("link", "set", there, "up", namespace=namespace)
        _ip("link", "set", "lo", "up", namespace=namespace)
        yield OtherHost(namespace, here, HERE_IP, THERE_IP)
    finally:
        subprocess.run(["ip", "link", "del", here], capture_output=True, timeout=10)
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True, timeout=10)
