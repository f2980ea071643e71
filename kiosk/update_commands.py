"""The `kiosk update` commands: what the release switcher (packaging/release)
asks of a release while it installs or rolls back one, run as the kiosk's own user.

    kiosk update check [--timeout S]   start this release (offscreen) on the site's store,
                                       devices and center; exit 0 once it has painted its
                                       window, brought its back end up and had a heartbeat
                                       answered by the center; 1 otherwise
    kiosk update store                 the store's migration and the newest this release knows
    kiosk update move-store REVISION   migrate the store up or down to REVISION (a rollback
                                       takes it down with the newer release's own scripts);
                                       a copy of the store is kept beside it first
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from kiosk.config import KioskConfig

CHECK_TIMEOUT_S = 120.0


def add_update_commands(commands: Any) -> None:
    update = commands.add_parser(
        "update",
        help="what an update asks of a release: start and reach the center; the store's schema",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = update.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="start this release and see it reach the center")
    check.add_argument(
        "--timeout", type=float, default=CHECK_TIMEOUT_S, metavar="S",
        help="give up after S seconds (default: %(default)s)",
    )  # fmt: skip
    actions.add_parser("store", help="the store's migration and this release's newest")
    move = actions.add_parser("move-store", help="migrate the store up or down to a revision")
    move.add_argument("revision", metavar="REVISION")


def run_update_command(
    args: argparse.Namespace, config: KioskConfig, out: TextIO = sys.stdout
) -> int:
    from kiosk.store.database import HEAD_REVISION, move_store_to, store_revision

    path = config.kiosk.store_file
    if args.action == "check":
        from kiosk.app import run

        return run(config, demo=False, check_s=args.timeout)
    if args.action == "store":
        at = store_revision(path) if path.exists() else None
        print(f"store {at or 'none'} release {HEAD_REVISION}", file=out)
        return 0
    if not path.exists():
        print(f"update: no store at {path}: nothing to move", file=out)
        return 0
    try:
        was = move_store_to(path, args.revision)
    except Exception as error:  # StoreError, or Alembic's own, which names the missing script
        print(f"update: the store cannot be moved to {args.revision}: {error}", file=out)
        return 1
    if was == args.revision:
        print(f"update: the store is at {was} already", file=out)
    else:
        print(f"update: store moved from {was} to {args.revision}", file=out)
    return 0
