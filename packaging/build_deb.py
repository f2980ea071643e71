"""Build the kiosk's Debian package: `./run package [--out DIR] [--version V]`.

What the package holds, and where it puts it on the kiosk:

    /usr/lib/base-station-kiosk/payload/app/     the application (this repository's tracked
                                                 files, without tests and docs)
    /usr/lib/base-station-kiosk/payload/wheels/  every Python package it runs on, as wheels
                                                 (PySide6 is not in Debian), pinned by
                                                 requirements.lock
    /usr/lib/base-station-kiosk/release          the release switcher (installs, checks,
                                                 switches, rolls back)
    /usr/bin/kiosk, /usr/bin/kiosk-sim           the commands, from the current release
    /etc/base-station-kiosk/kiosk.toml           the site's settings (a conffile)
    /usr/lib/systemd/user/                       the kiosk's units (packaging/systemd)
    /usr/lib/systemd/system/                     the kiosk session (cage, on the first console)
    /usr/lib/udev/rules.d/70-base-station-kiosk.rules  stable device names (packaging/udev)

The payload is dpkg's and is replaced by each upgrade. Installing copies it to
/opt/base-station-kiosk/releases/VERSION, which dpkg does not own, builds that release's virtual
environment from the wheels with Debian's python3 (no network), checks it, and switches
/opt/base-station-kiosk/current to it; the release before stays whole beside it, so a new one
that fails to start or to reach the center is rolled back (packaging/base-station-kiosk-release).
The installed package also makes the service user `kiosk`, /var/lib/base-station-kiosk (the
store, the payment journal) and /var/log/base-station-kiosk.

Reproducible: the same commit, requirements.lock, version and SOURCE_DATE_EPOCH (the commit's
time by default) give the same package, byte for byte, on the same architecture.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "base-station-kiosk"
PAYLOAD = Path("usr") / "lib" / PACKAGE / "payload"
# What the kiosk runs from the repository; tests, docs and the CI scripts stay out.
APP_PATHS = ("kiosk", "center", "drivers", "sync", "rules", "config", "assets", "pyproject.toml",
             "README.md", "requirements.lock")  # fmt: skip
# Debian's packages the kiosk needs at run time: Python to build the environment, the Qt
# runtime's system libraries (the wheels bring Qt itself), the CJK font, the barcode decoder.
DEPENDS = (
    "python3 (>= 3.11)",
    "python3-venv",
    "adduser",
    "fonts-noto-cjk",
    "libzbar0",
    "libgl1",
    "libegl1",
    "libfontconfig1",
    "libxkbcommon0",
    "libdbus-1-3",
    "libglib2.0-0",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
)
# The kiosk session's compositor; Debian's cage will not start without Xwayland.
RECOMMENDS = ("cage", "xwayland")
# The kiosk's own units, run by the kiosk user's manager, and the session that starts them.
USER_UNITS = ("kiosk.service", "kiosk-out-of-service.service", "kiosk-session.target")
SYSTEM_UNITS = ("base-station-kiosk-session.service",)
SCRIPTLESS = ("control", "conffiles")  # DEBIAN's files that are not maintainer scripts


def source_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def commit_time() -> int:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True
    )
    return int(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else 0


def app_tree(target: Path, version: str) -> None:
    """The tracked files of the application, as committed (git archive): nothing local. Its
    version, which the kiosk reports to the center, is the package's."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "HEAD", *APP_PATHS],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    pyproject = target / "pyproject.toml"
    text = pyproject.read_text("utf-8")
    stated = f'version = "{source_version()}"'
    if stated not in text:
        raise SystemExit(f"build_deb: pyproject.toml has no line {stated}")
    pyproject.write_text(text.replace(stated, f'version = "{version}"', 1), "utf-8")


def wheels(app: Path, target: Path) -> None:
    """Every package the application runs on, at requirements.lock's versions, as wheels (the
    few published only as sources are built here: pure Python), plus what an editable install
    of the application needs offline."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    lock = app / "requirements.lock"
    subprocess.run([*pip, "wheel", "-w", str(target), "-c", str(lock), str(app)], check=True)
    for built in target.glob(f"{PACKAGE.replace('-', '_')}-*.whl"):
        built.unlink()  # the application itself is installed from app/, editable
    # The build back end of the editable install, at the lock's version too.
    subprocess.run(
        [*pip, "download", "-d", str(target), "--only-binary=:all:", "-c", str(lock), "setuptools"],
        check=True,
    )


def control(version: str, arch: str, installed_kib: int) -> str:
    return "\n".join(
        [
            f"Package: {PACKAGE}",
            f"Version: {version}",
            f"Architecture: {arch}",
            "Maintainer: Base-station kiosk maintainers <maintainers@example.invalid>",
            f"Installed-Size: {installed_kib}",
            f"Depends: {', '.join(DEPENDS)}",
            f"Recommends: {', '.join(RECOMMENDS)}",
            "Section: misc",
            "Priority: optional",
            "Description: self-service kiosk for unstaffed electricity business base stations",
            " Residents pay bills, print receipts and invoices, do simple business with their ID",
            " card and talk to staff by video; technicians service it in maintenance mode.",
            "",
        ]
    )


def stage(root: Path, version: str, arch: str, wheel_cache: Path | None) -> None:
    payload = root / PAYLOAD
    app_tree(payload / "app", version)
    (payload / "VERSION").write_text(f"{version}\n", "utf-8")
    if wheel_cache is not None:
        if not any(wheel_cache.glob("*.whl")):  # an empty cache is filled, for the next build
            wheels(payload / "app", wheel_cache)
        shutil.copytree(wheel_cache, payload / "wheels")
    else:
        wheels(payload / "app", payload / "wheels")
    packaging = ROOT / "packaging"
    lib = root / "usr" / "lib" / PACKAGE
    lib.mkdir(parents=True, exist_ok=True)
    shutil.copy2(packaging / "base-station-kiosk-release", lib / "release")
    shutil.copy2(packaging / "session" / "kiosk-session", lib / "session")
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for command in ("kiosk", "kiosk-sim"):
        wrapper = bin_dir / command
        wrapper.write_text(
            "#!/bin/sh\n# The current release's command (/opt/base-station-kiosk/current).\n"
            f'exec /opt/{PACKAGE}/current/venv/bin/{command} "$@"\n',
            "utf-8",
        )
    etc = root / "etc" / PACKAGE
    etc.mkdir(parents=True)
    shutil.copy2(packaging / "debian" / "kiosk.toml", etc / "kiosk.toml")
    for kind, names in (("user", USER_UNITS), ("system", SYSTEM_UNITS)):
        units = root / "usr" / "lib" / "systemd" / kind
        units.mkdir(parents=True)
        for name in names:
            shutil.copy2(packaging / "systemd" / name, units / name)
    rules = root / "usr" / "lib" / "udev" / "rules.d"
    rules.mkdir(parents=True)
    shutil.copy2(packaging / "udev" / "70-kiosk-devices.rules", rules / f"70-{PACKAGE}.rules")
    debian = root / "DEBIAN"
    debian.mkdir()
    for script in ("postinst", "prerm", "postrm"):
        text = (packaging / "debian" / script).read_text("utf-8")
        (debian / script).write_text(text.replace("@VERSION@", version), "utf-8")
    (debian / "conffiles").write_text(f"/etc/{PACKAGE}/kiosk.toml\n", "utf-8")
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) // 1024
    (debian / "control").write_text(control(version, arch, size), "utf-8")


def normalise(root: Path, epoch: int) -> None:
    """Modes and times that do not depend on the build machine: the same input, the same bytes."""
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_symlink():
            continue
        script = path.parent.name in ("bin", "DEBIAN", PACKAGE) and path.name not in SCRIPTLESS
        executable = path.is_dir() or bool(path.stat().st_mode & 0o111) or script
        path.chmod(0o755 if executable else 0o644)
        os.utime(path, (epoch, epoch), follow_symlinks=False)


def build(out: Path, wheel_cache: Path | None = None, version: str | None = None) -> Path:
    version = version or source_version()
    arch = architecture()
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or commit_time())
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "root"
        stage(root, version, arch, wheel_cache)
        normalise(root, epoch)
        deb = out / f"{PACKAGE}_{version}_{arch}.deb"
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./run package", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the .deb goes")
    parser.add_argument(
        "--wheels",
        type=Path,
        help="a folder of wheels for this lock: used when it has some, else filled (a cache)",
    )
    parser.add_argument(
        "--version",
        help="the package's version (default: pyproject.toml's), e.g. a site's own build number",
    )
    args = parser.parse_args(argv)
    deb = build(args.out, args.wheels, args.version)
    digest = hashlib.sha256(deb.read_bytes()).hexdigest()
    print(f"{deb} {deb.stat().st_size // (1024 * 1024)} MiB sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
