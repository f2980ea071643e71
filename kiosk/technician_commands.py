"""The `kiosk technician` commands: the hashes of a technician's PIN and card, for the
[maintenance] settings that open maintenance mode (kiosk/services/technician_access.py)."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

TECHNICIAN_DESCRIPTION = """Make the hashes maintenance mode checks, to put in [maintenance]:

    kiosk technician pin     asks for a PIN (4 to 12 digits) twice; prints pin_hash = "..."
    kiosk technician card    asks for a technician's ID number; prints a technician_cards entry

Neither the PIN nor the ID number is printed, kept or logged."""


def add_technician_commands(commands: Any) -> None:
    technician = commands.add_parser(
        "technician",
        help="make the hash of a technician PIN or card for the configuration",
        description=TECHNICIAN_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = technician.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("pin", help="hash a technician PIN")
    actions.add_parser("card", help="hash a technician's ID number")


def run_technician_command(
    args: argparse.Namespace, ask: Any = None, out: TextIO = sys.stdout
) -> int:
    import getpass

    from kiosk.services.technician_access import hash_secret
    from rules.id_number import is_valid_id_number

    ask = ask or getpass.getpass
    if args.action == "pin":
        pin = ask("technician PIN: ")
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            print("technician: a PIN is 4 to 12 digits", file=out)
            return 2
        if ask("the same PIN again: ") != pin:
            print("technician: the two PINs differ", file=out)
            return 2
        print(f'pin_hash = "{hash_secret(pin)}"', file=out)
        return 0
    id_number = ask("the technician's ID number: ").strip().upper()
    if not is_valid_id_number(id_number):
        print("technician: not a valid ID number (its check digit is wrong)", file=out)
        return 2
    print(f'technician_cards = ["{hash_secret(id_number)}"]  # add to the list', file=out)
    return 0
