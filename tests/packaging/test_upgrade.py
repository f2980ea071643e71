"""An upgrade as a kiosk meets it in the field, in the Debian root the other packaging tests
installed the package into (run after them: it changes that root).

The release running there (the source's version) is left as a power cut leaves it: a payment
waiting for the resident to confirm on the phone, and its events not yet delivered. The next
version is installed with apt over it: the installer copies the release, builds and checks it,
switches to it and starts it, and keeps it once the center has answered it. That version then
delivers the events and settles the payment, as the wallet's ledger at the center says.

A version after that is installed while the center cannot be reached: it fails its check, the
kiosk goes back to the release before, apt says so, and that release runs again on the same
store. (Both versions are this tree under other version numbers, so the store's schema does not
change between them; taking the store down a migration on a rollback is tested on its own in
tests/integration/test_store_versions.py.)
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

from tests.packaging.conftest import (
    PACKAGE,
    Packages,
    apt_install,
    in_root,
    kiosk_env,
    notify_folder,
    write_site,
)
from tests.support.center import RunningCenter
from tests.support.paying import wallet_ledger, wallets_will
from tests.support.service_supervisor import Supervisor

ACCOUNT = "3201000005"
BASE = Path("opt") / PACKAGE
STORE = Path("var/lib") / PACKAGE / "kiosk.db"
SETTLED = {"paid", "failed", "reversed"}

# Run with the old release's own Python: a payment started and cut off by a power cut while the
# resident is still to confirm it on the phone. The back end is not started, so nothing is
# delivered, as when the network went with the power.
CUT_OFF_PAYMENT = """
import os, sys, time
from decimal import Decimal
from kiosk.bootstrap import build_kiosk
from kiosk.config import load_config

kiosk = build_kiosk(load_config())
bill = kiosk.services.look_up_account(sys.argv[1])
progress = kiosk.services.pay_by_code(kiosk.services.order_for_prepay(bill, Decimal("50")),
                                      sys.argv[2])
deadline = time.monotonic() + 60
while not (progress.waiting_for_resident or progress.state.value == "unknown"):
    if time.monotonic() > deadline:
        sys.exit(f"the payment never waited for the resident: {progress}")
    time.sleep(0.1)
    progress = kiosk.services.payment_progress(progress.payment_id)
print(progress.payment_id, flush=True)
os._exit(0)
"""


def _site(root: Path, center_url: str) -> None:
    write_site(root, "upgraded-kiosk", center_url, "timeout_seconds = 3.0\n")


def _store(root: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(root / STORE) as db:
        return db.execute(query).fetchall()


def _waiting_events(root: Path) -> set[str]:
    return {row[0] for row in _store(root, "SELECT id FROM outbox WHERE acknowledged_at IS NULL")}


def _payment_state(root: Path, payment_id: str) -> str:
    [(state,)] = _store(root, f"SELECT state FROM payments WHERE id = '{payment_id}'")
    return str(state)


def _center(center: RunningCenter, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(center.db_url.removeprefix("sqlite:///")) as db:
        return db.execute(query).fetchall()


def _release(root: Path, name: str) -> str:
    return os.readlink(root / BASE / name)


def _nobody_listens() -> str:
    with socket.socket() as nobody:
        nobody.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{nobody.getsockname()[1]}"


def test_an_upgrade_delivers_what_the_old_release_left_and_a_failed_one_rolls_back(
    debian_root: Path, packages: Packages, running_center: RunningCenter
) -> None:
    root = debian_root
    old = _release(root, "current").removeprefix("releases/")
    _site(root, running_center.url)
    # The resident will confirm on the phone, after the power cut.
    wallets_will(running_center, "userpaying_success", after_s=20)
    (root / "tmp" / "cut_off_payment.py").write_text(CUT_OFF_PAYMENT, "utf-8")
    code = f"13{time.time_ns() // 1000 % 10**16:016d}"
    seeded = subprocess.run(
        in_root(root, f"/{BASE}/releases/{old}/venv/bin/python", "/tmp/cut_off_payment.py",
                ACCOUNT, code),
        capture_output=True, text=True, env=kiosk_env(), timeout=180,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    payment_id = seeded.stdout.split()[-1]
    assert _payment_state(root, payment_id) not in SETTLED
    waiting = _waiting_events(root)
    assert waiting  # the payment's own events, not delivered

    new = "0.1.1"
    installed = apt_install(root, packages.build(new), KIOSK_UPDATE_CHECK_S="120")
    said = installed.stdout + installed.stderr
    assert installed.returncode == 0, said[-4000:]
    assert f"release {new} is current: it started and reached the center" in said
    assert (_release(root, "current"), _release(root, "previous")) == (
        f"releases/{new}", f"releases/{old}"
    )  # fmt: skip
    # The release before is still whole, for a rollback: dpkg replaced only the payload.
    assert (root / BASE / "releases" / old / "app" / "kiosk" / "app.py").is_file()
    assert (root / BASE / "releases" / old / "venv" / ".complete").is_file()

    # The new release runs as the session runs it, until the old one's work is done.
    run_dir, seen_as = notify_folder(root, "kiosk-upgrade")
    command = in_root(root, "/usr/bin/kiosk")
    with Supervisor(command, kiosk_env(), run_dir, socket_seen_as=seen_as) as manager:
        manager.wait_for("ready", timeout=90)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if _payment_state(root, payment_id) in SETTLED and not waiting & _waiting_events(root):
                break
            time.sleep(1)
    state = _payment_state(root, payment_id)
    assert state in SETTLED, state
    assert not waiting & _waiting_events(root)
    ids = ", ".join(f"'{event}'" for event in waiting)
    delivered = _center(running_center, f"SELECT id FROM received_events WHERE id IN ({ids})")
    assert {row[0] for row in delivered} == waiting
    order = wallet_ledger(running_center)[payment_id]
    if state == "paid":  # the resident's money is taken once, and the bill knows it
        assert order["charged"] and not order.get("refunded")
    else:  # or given back, when the kiosk had to close it
        assert not order["charged"] or order.get("refunded")

    # A version that cannot reach the center is not kept.
    _site(root, _nobody_listens())
    failed = "0.1.2"
    installed = apt_install(root, packages.build(failed), KIOSK_UPDATE_CHECK_S="10")
    said = installed.stdout + installed.stderr
    assert installed.returncode != 0, said[-4000:]
    assert f"release {failed} fails its check: the center has not answered a heartbeat" in said
    assert f"release {failed} failed its check: {new} runs again" in said
    shown = subprocess.run(
        ["chroot", str(root), f"/usr/lib/{PACKAGE}/release", "show"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert f"current:  releases/{new}" in shown and f"failed:   {failed}" in shown
    # ... and the release it went back to runs on the same store and reaches the center.
    _site(root, running_center.url)
    again = subprocess.run(
        in_root(root, "/usr/bin/kiosk", "update", "check", "--timeout", "60"),
        capture_output=True, text=True, env=kiosk_env(), timeout=180,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr[-3000:]
    seen = _center(
        running_center, "SELECT version FROM kiosks_seen WHERE kiosk_id = 'upgraded-kiosk'"
    )
    assert seen == [(new,)]
    assert _payment_state(root, payment_id) == state
