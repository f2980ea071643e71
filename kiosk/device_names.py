"""Stable names for the kiosk's devices: what `kiosk device list` shows beside each one.

USB numbers its serial ports in the order it finds them, so /dev/ttyUSB0 may be the ID-card
reader today and the scanner after a restart. A configuration names a device by a name that
follows it instead: the ones packaging/udev/70-kiosk-devices.rules gives by vendor and product
(/dev/kiosk-printer, /dev/kiosk-idcard, /dev/kiosk-scanner), or udev's own /dev/serial/by-id/...
and /dev/input/by-id/... A device configured by an unstable node is named, with the stable name
that points to the same device now.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEV = Path("/dev")
KIOSK_PREFIX = "kiosk-"  # the names the kiosk's udev rules give
STABLE_FOLDERS = ("serial/by-id", "serial/by-path", "input/by-id", "input/by-path")
# URL schemes whose path is a device node; others (sim, tcp, usb by ids) name no node.
NODE_SCHEMES = ("serial", "evdev", "v4l2", "file")


@dataclass(frozen=True)
class StableName:
    name: Path  # /dev/kiosk-printer
    node: Path  # /dev/ttyACM0, what it points to now


def stable_names(dev: Path = DEV) -> list[StableName]:
    """Every stable name present under `dev`, with the node it points to now."""
    found = [p for p in sorted(dev.glob(KIOSK_PREFIX + "*")) if p.is_symlink()]
    for folder in STABLE_FOLDERS:
        found += [p for p in sorted((dev / folder).glob("*")) if p.is_symlink()]
    return [StableName(path, path.resolve()) for path in found if path.exists()]


def device_node(url: str) -> Path | None:
    """The device node a device URL opens, if it opens one."""
    if url.startswith("/"):
        return Path(url.split("?", 1)[0])
    parts = urlsplit(url)
    if parts.scheme not in NODE_SCHEMES:
        return None
    path = parts.netloc + parts.path if parts.scheme != "serial" else parts.path
    return Path(path if path.startswith("/") else "/" + path) if path else None


def is_stable(path: Path, dev: Path = DEV) -> bool:
    if path.parent == dev and path.name.startswith(KIOSK_PREFIX):
        return True
    return any(path.parent == dev / folder for folder in STABLE_FOLDERS)


def naming(url: str, names: list[StableName], dev: Path = DEV) -> str | None:
    """A line on how the configured device is named: stable, or what to use instead."""
    node = device_node(url)
    if node is None:
        return None
    if not node.exists():
        return f"{node}: not present (unplugged, or no udev rule gives this name)"
    now = node.resolve()
    if is_stable(node, dev):
        return f"{node} -> {now} (stable name)"
    better = [n.name for n in names if n.node == now]
    advice = (
        f"use {better[0]}"
        if better
        else "give it one: packaging/udev/70-kiosk-devices.rules, by vendor and product"
    )
    return (
        f"{node}: not a stable name (USB may give it to another device after a restart); {advice}"
    )
