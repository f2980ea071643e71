"""The devices whose input reaches the resident's screen, and what they read, as the UI sees them.

The screens know these types from here, not from the driver contracts: the UI's one way into the
rest of the kiosk is `kiosk.services`.
"""

from drivers.contracts import Device, DeviceEvent, IdCard

__all__ = ["Device", "DeviceEvent", "IdCard"]
