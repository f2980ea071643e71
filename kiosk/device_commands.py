"""The `kiosk device` command line: its words only, so `kiosk --help` stays quick.

The work is in kiosk/technician.py, imported when a device command runs.
"""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.config import DEVICE_KINDS

DESCRIPTION = """The technician's commands for the devices, through their real drivers.

    kiosk device list                         every configured device, its driver and its health
    kiosk device test printer|scanner|idcard|camera [--driver D] [--url U] [--wait S]
    kiosk device decode IMAGE...              codes found in image files, with the set decoder

Personal data is printed masked, as on the resident's screen."""


def add_device_commands(commands: Any) -> None:
    """The `device` command and its sub-commands, on the `kiosk` command's parser."""
    device = commands.add_parser(
        "device",
        help="list the devices, test one through its real driver, or decode images",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = device.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="every configured device: driver, address and health")
    test = actions.add_parser("test", help="exercise one device through its real driver")
    test.add_argument("kind", choices=DEVICE_KINDS, help="which device")
    test.add_argument("--driver", help="driver to use instead of the configured one")
    test.add_argument(
        "--url", "--port", dest="url", help="device address instead of the configured one"
    )
    test.add_argument(
        "--wait", type=float, default=30.0, metavar="S", help="seconds to wait for the device (30)"
    )
    decode = actions.add_parser("decode", help="decode the codes in image files")
    decode.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, ...)")
    decode.add_argument("--decoder", help="decoder to use instead of the configured one")
