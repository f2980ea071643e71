"""`kiosk audit verify` and `kiosk audit show`: the technician's and the auditor's look at the
kiosk's tamper-evident audit trail (rules.audit_chain).

`verify` checks every entry's hash and its link to the one before, then that the trail holds,
unchanged, the last entry the center received (a trail cut short or rewritten whole disagrees
there). Exit status 0: intact; 1: not intact; 2: the store cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from kiosk.config import KioskConfig

DESCRIPTION = """The kiosk's audit trail: every maintenance step and every order from the center,
each entry chained by hash to the one before it.

    kiosk audit verify [--offline]    check the chain, and against the center's copy
    kiosk audit show [--last N]       the last entries (50)"""


def add_audit_commands(commands: Any) -> None:
    audit = commands.add_parser(
        "audit",
        help="verify or show the tamper-evident audit trail",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = audit.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check the chain and the center's copy")
    verify.add_argument(
        "--offline", action="store_true", help="do not ask the center for its copy's last entry"
    )
    show = actions.add_parser("show", help="print the last entries")
    show.add_argument("--last", type=int, default=50, metavar="N", help="how many (50)")


def run_audit_command(
    args: argparse.Namespace, config: KioskConfig, out: TextIO = sys.stdout
) -> int:
    from kiosk.store import StoreError, open_store
    from kiosk.store.audit_log import read_entries

    try:
        store = open_store(config.kiosk.store_file)
    except StoreError as error:
        print(f"audit: {error}", file=out)
        return 2
    try:
        with store.engine.connect() as connection:
            entries = read_entries(connection)
    finally:
        store.close()
    if args.action == "show":
        for entry in entries[-max(args.last, 0) :] if args.last else []:
            when = entry.at.strftime("%Y-%m-%d %H:%M:%S")
            print(
                f"{entry.seq:>6} {when} {entry.actor:<12} {entry.action:<28} {entry.detail}",
                file=out,
            )
        return 0
    return verify(entries, config, out, ask_center=not args.offline)


def verify(entries: list[Any], config: KioskConfig, out: TextIO, *, ask_center: bool) -> int:
    from rules.audit_chain import verify_chain

    breaks = verify_chain(entries)
    for found in breaks:
        print(f"entry {found.seq}: {found.problem.value}: {found.explanation}", file=out)
    if ask_center:
        breaks_at_center = _against_center(entries, config, out)
    else:
        breaks_at_center = 0
        print("not checked against the center (--offline)", file=out)
    head = f", last {entries[-1].hash[:16]}" if entries else ""
    if breaks or breaks_at_center:
        print(f"audit trail NOT intact: {len(entries)} entries{head}", file=out)
        return 1
    print(f"audit trail intact: {len(entries)} entries{head}", file=out)
    return 0


def _against_center(entries: list[Any], config: KioskConfig, out: TextIO) -> int:
    """How many disagreements with the center's copy (printed); an unreachable center is said,
    and is none."""
    from kiosk.enroll import center_client, kiosk_credentials

    try:
        with center_client(config, kiosk_credentials(config)) as client:
            head = client.audit_head()
    except Exception as error:
        print(f"not checked against the center: {type(error).__name__}: {error}"[:300], file=out)
        return 0
    found = 0
    if head.broken_at is not None:
        print(
            f"entry {head.broken_at}: the center received it not chained to the one before",
            file=out,
        )
        found += 1
    if head.seq == 0:
        print("the center holds no entry of this kiosk yet", file=out)
        return found
    mine = next((entry for entry in entries if entry.seq == head.seq), None)
    if mine is None:
        print(
            f"entry {head.seq}: missing here, but the center holds it (the trail was cut)", file=out
        )
        found += 1
    elif mine.hash != head.hash:
        print(f"entry {head.seq}: differs from the center's copy", file=out)
        found += 1
    else:
        print(f"the center's copy agrees up to entry {head.seq}", file=out)
    return found
