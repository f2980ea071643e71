"""The kiosk as a utility's engineer installs it: the Debian package built by `./run package`,
installed with apt into a clean Debian 12 root made by mmdebstrap (its dependencies from the
Debian archive, nothing from this machine), then the installed kiosk started in that root
(chroot, offscreen) against the reference center on loopback, under the stand-in for systemd
with the shipped unit's settings: it paints its idle screen and says so, pings its watchdog,
reaches the center, and when killed is started again.

A later CI tier (packaging): it needs root, mmdebstrap and the Debian archive, and takes a few
minutes (the package is some 230 MiB of wheels; the root some 2 GiB with Qt's libraries and the
CJK font).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.packaging.conftest import PACKAGE, in_root, kiosk_env, notify_folder, write_site
from tests.support.center import RunningCenter
from tests.support.service_supervisor import Supervisor

HERE = Path(__file__).parent


def test_the_package_installs_the_kiosk_its_user_and_its_folders(debian_root: Path) -> None:
    base = debian_root / "opt" / PACKAGE
    assert os.readlink(base / "current").startswith("releases/")
    release = base / os.readlink(base / "current")
    assert (release / "venv" / "bin" / "kiosk").exists() and (
        release / "venv" / ".complete"
    ).exists()
    passwd = (debian_root / "etc" / "passwd").read_text()
    assert "kiosk:" in passwd
    groups = (debian_root / "etc" / "group").read_text().splitlines()
    for group in ("dialout", "video"):
        assert any(line.startswith(f"{group}:") and "kiosk" in line for line in groups), group
    assert (debian_root / "etc" / PACKAGE / "kiosk.toml").is_file()
    assert (debian_root / "usr/lib/systemd/user/kiosk.service").is_file()
    assert (debian_root / "usr/lib/udev/rules.d" / f"70-{PACKAGE}.rules").is_file()
    assert os.readlink(debian_root / "var/lib" / PACKAGE / "logs") == f"/var/log/{PACKAGE}"
    shown = subprocess.run(
        ["chroot", str(debian_root), f"/usr/lib/{PACKAGE}/release", "show"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "current:  releases/" in shown


def test_the_installed_kiosk_paints_reaches_the_center_and_comes_back_when_killed(
    debian_root: Path, running_center: RunningCenter, tmp_path: Path
) -> None:
    write_site(debian_root, "installed-kiosk", running_center.url)
    run_dir, seen_as = notify_folder(debian_root, "kiosk-test")
    command = in_root(debian_root, "/usr/bin/kiosk")
    with Supervisor(command, kiosk_env(), run_dir, socket_seen_as=seen_as) as manager:
        manager.wait_for("ready", timeout=90)  # the window, idle, has painted
        deadline = time.monotonic() + 30
        seen: list[tuple[str, str]] = []
        while not seen and time.monotonic() < deadline:
            with sqlite3.connect(running_center.db_url.removeprefix("sqlite:///")) as db:
                seen = db.execute(
                    "SELECT kiosk_id, version FROM kiosks_seen WHERE kiosk_id = 'installed-kiosk'"
                ).fetchall()
            time.sleep(0.5)
        assert seen == [("installed-kiosk", "0.1.0")]  # its heartbeat reached the center
        time.sleep(manager.settings.watchdog_s * 1.5)
        assert not manager.happened("watchdog")  # its UI thread pings
        first = manager.happened("ready")[0]
        # The kiosk itself: unshare's forked child (sh, chroot and the wrapper each exec it).
        child = subprocess.run(
            ["pgrep", "-P", str(first.pid)], capture_output=True, text=True, check=True
        ).stdout.split()
        os.kill(int(child[0]), signal.SIGKILL)
        manager.wait_for("exited", timeout=30)
        manager.wait_for("ready", 2, timeout=90)
    log = (debian_root / "var" / "log" / PACKAGE / "kiosk.jsonl").read_text("utf-8")
    assert "kiosk ready" in log


def test_the_installed_kiosk_draws_its_idle_screen(debian_root: Path, tmp_path: Path) -> None:
    shots = debian_root / "var" / "lib" / PACKAGE / "shots"
    done = subprocess.run(
        [*in_root(debian_root, "/usr/bin/env", "QT_QPA_PLATFORM=offscreen", "HOME=/tmp",
                  "/usr/bin/kiosk", "screenshots", f"/var/lib/{PACKAGE}/shots", "--only", "idle")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    pictures = sorted(shots.glob("idle-*.png"))
    assert len(pictures) == 4  # zh_CN and en, landscape and portrait
    assert all(p.stat().st_size > 20_000 for p in pictures)  # drawn, with the CJK font
    shutil.copy(pictures[0], tmp_path / pictures[0].name)


def test_the_machine_boots_into_the_kiosk_session(debian_root: Path) -> None:
    etc = debian_root / "etc" / "systemd" / "system"
    session = "base-station-kiosk-session.service"
    assert os.readlink(etc / "default.target").endswith("graphical.target")
    assert (etc / "graphical.target.wants" / session).is_symlink()
    assert os.readlink(etc / "display-manager.service").endswith(session)
    # systemd reads every shipped unit as written (unknown keys, bad values, missing programs).
    units = [f"/usr/lib/systemd/system/{session}"] + [
        f"/usr/lib/systemd/user/{name}" for name in ("kiosk.service",
        "kiosk-out-of-service.service", "kiosk-session.target")
    ]  # fmt: skip
    verified = subprocess.run(
        in_root(debian_root, "/usr/bin/systemd-analyze", "verify", "--man=no", *units,
                user="root"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    complaints = [
        line for line in (verified.stdout + verified.stderr).splitlines()
        # A chroot has no running systemd and no consoles: what only a booted machine has.
        if line.strip() and "tty1" not in line and "Failed to connect" not in line
    ]  # fmt: skip
    assert verified.returncode == 0 or not complaints, complaints


def test_the_installed_kiosk_paints_in_cage(
    debian_root: Path, running_center: RunningCenter
) -> None:
    """The kiosk from the installed files in the session's compositor, as the session runs it:
    cage with wlroots' headless back end (no GPU, no panel here), Qt on Wayland."""
    write_site(
        debian_root,
        "cage-kiosk",
        running_center.url,
        "[screen]\nfullscreen = true\ncursor = false\n",
    )
    uid, gid = next(
        (int(line.split(":")[2]), int(line.split(":")[3]))
        for line in (debian_root / "etc" / "passwd").read_text().splitlines()
        if line.startswith("kiosk:")
    )
    runtime = debian_root / "run" / "kiosk-cage"
    runtime.mkdir(parents=True, exist_ok=True)
    os.chown(runtime, uid, gid)
    runtime.chmod(0o700)  # as logind makes XDG_RUNTIME_DIR
    notify, seen_as = notify_folder(debian_root, "kiosk-cage-notify")
    env = kiosk_env(
        XDG_RUNTIME_DIR="/run/kiosk-cage",
        QT_QPA_PLATFORM="wayland",  # no fallback: Qt stops if it cannot reach cage
        WLR_BACKENDS="headless",
        WLR_RENDERER="pixman",
        WLR_HEADLESS_OUTPUTS="1",
        WLR_LIBINPUT_NO_DEVICES="1",
    )
    command = in_root(debian_root, "/usr/bin/cage", "-d", "--", "/usr/bin/kiosk", "--fullscreen")
    with Supervisor(command, env, notify, socket_seen_as=seen_as) as manager:
        manager.wait_for("ready", timeout=90)  # its first frame, drawn on cage's output
        time.sleep(manager.settings.watchdog_s * 1.5)
        assert not manager.happened("watchdog")
        assert not manager.happened("exited")
        sockets = [p.name for p in runtime.iterdir()]
        assert any(name.startswith("wayland-") for name in sockets), sockets


def test_the_shipped_units_under_a_booted_systemd(
    debian_root: Path, running_center: RunningCenter
) -> None:
    """The root booted by systemd-nspawn, systemd its PID 1; at boot, booted_units.sh starts
    the kiosk's shipped user units in the kiosk user's own manager (offscreen: there is no panel
    in a container) and kills it, freezes it, then breaks its settings. The kiosk session itself
    is skipped there by its own condition: a container has no tty1 and no display."""
    if shutil.which("systemd-nspawn") is None:
        pytest.skip("systemd-nspawn is not installed (Debian: systemd-container)")
    root = debian_root
    write_site(root, "booted-kiosk", running_center.url)
    user_units = root / "etc" / "systemd" / "user"
    made = [user_units / f"{unit}.d" / "offscreen.conf" for unit in ("kiosk.service",
            "kiosk-out-of-service.service")]  # fmt: skip
    for drop_in in made:
        drop_in.parent.mkdir(parents=True, exist_ok=True)
        drop_in.write_text("[Service]\nEnvironment=QT_QPA_PLATFORM=offscreen\n", "utf-8")
    system = root / "etc" / "systemd" / "system"
    probe = system / "kiosk-units-test.service"
    probe.write_text(
        "[Unit]\nAfter=multi-user.target systemd-logind.service dbus.service\n"
        "[Service]\nType=oneshot\nExecStart=/var/tmp/booted_units.sh\nTimeoutStartSec=600\n"
        "StandardOutput=journal+console\n[Install]\nWantedBy=multi-user.target\n",
        "utf-8",
    )
    wants = system / "multi-user.target.wants" / probe.name
    wants.parent.mkdir(parents=True, exist_ok=True)
    wants.symlink_to(f"/etc/systemd/system/{probe.name}")
    shutil.copy(HERE / "booted_units.sh", root / "var" / "tmp" / "booted_units.sh")
    made += [probe, wants]
    try:
        booted = subprocess.run(
            ["systemd-nspawn", "--register=no", "--keep-unit", "-q", "-D", str(root), "-b"],
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
    finally:
        for path in made:
            path.unlink(missing_ok=True)
    said = (root / "var" / "tmp" / "units.out").read_text("utf-8")
    lines = [line.removeprefix("units: ") for line in said.splitlines()]
    assert "done" in lines, said + booted.stdout[-3000:]
    assert "user manager: active" in lines
    assert "started: active running" in lines  # READY=1 reached systemd
    assert "after 5 s: active restarts 0" in lines  # the pings keep it alive
    killed = next(line for line in lines if line.startswith("killed:"))
    assert killed.endswith("restarts 1") and _ms(killed) < 10_000, killed
    frozen = next(line for line in lines if line.startswith("frozen:"))
    assert frozen.endswith("restarts 2") and _ms(frozen) < 15_000, frozen
    assert "watchdog timeout in the journal" in lines
    failed = next(line for line in lines if line.startswith("bad setting:"))
    # Restarts stop at the start limit (5 starts in 2 minutes, the first three above among them).
    assert failed.startswith("bad setting: kiosk failed after restarts"), failed
    assert "out of service: active" in lines
    print("\n".join(lines))  # the figures, for the note


def _ms(line: str) -> int:
    return int(line.split(" in ")[1].split(" ms")[0])
