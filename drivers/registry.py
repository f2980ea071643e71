"""Resolve a logical device in config to a driver, through the ``kiosk.drivers`` entry points.

A driver is registered as ``"<kind>.<driver>" = "package.module:Class"``: a new device model is
one installed module, chosen in config, with no change elsewhere. Nothing is registered at
import time; every call asks the installed metadata afresh.
"""

from __future__ import annotations

import inspect
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from drivers.contracts import Camera, CodeScanner, Device, IdCardReader, ReceiptPrinter

GROUP = "kiosk.drivers"

# Which contract a driver of each kind must fulfil.
CONTRACTS: dict[str, type[Device]] = {
    "printer": ReceiptPrinter,
    "scanner": CodeScanner,
    "idcard": IdCardReader,
    "camera": Camera,
}


class DriverError(Exception):
    """Base of the errors met while choosing and building a driver."""


class UnknownDriver(DriverError, LookupError):
    """No installed driver has that kind and name."""


class InvalidDriverOptions(DriverError, ValueError):
    """The driver exists but refuses the options given in config."""


class BrokenDriver(DriverError):
    """The entry point does not load, or does not give a device of the right kind."""


def _entry_points_of(kind: str) -> dict[str, EntryPoint]:
    prefix = f"{kind}."
    return {
        ep.name.removeprefix(prefix): ep
        for ep in entry_points(group=GROUP)
        if ep.name.startswith(prefix)
    }


def available_drivers(kind: str) -> list[str]:
    """Names of the installed drivers of ``kind`` (e.g. ``["escpos", "simulated"]``)."""
    return sorted(_entry_points_of(kind))


def load_driver(kind: str, driver: str, options: dict[str, Any] | None = None) -> Device:
    """Build the device for ``kind`` (printer, scanner, idcard, camera) with driver ``driver``.

    ``options`` are the driver's keyword arguments (``url``, ``name``, ...). The device is
    returned closed: the caller opens it.
    """
    if kind not in CONTRACTS:
        raise UnknownDriver(f"unknown device kind {kind!r}; known kinds: {', '.join(CONTRACTS)}")
    found = _entry_points_of(kind)
    if driver not in found:
        installed = ", ".join(sorted(found)) or "none"
        raise UnknownDriver(
            f"no {kind} driver named {driver!r} is installed; installed {kind} drivers: {installed}"
        )
    try:
        cls = found[driver].load()
    except Exception as exc:
        raise BrokenDriver(f"{kind} driver {driver!r} does not load: {exc}") from exc
    contract = CONTRACTS[kind]
    if not (isinstance(cls, type) and issubclass(cls, contract)):
        raise BrokenDriver(f"{kind} driver {driver!r} is not a {contract.__name__}")

    options = dict(options or {})
    try:
        inspect.signature(cls).bind(**options)
    except TypeError as exc:
        raise InvalidDriverOptions(f"{kind} driver {driver!r}: {exc}") from None
    try:
        return cls(**options)
    except ValueError as exc:
        raise InvalidDriverOptions(f"{kind} driver {driver!r}: {exc}") from exc
