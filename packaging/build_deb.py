"""Build the kiosk's Debian package, or the center's: `./run package [--center] [--out DIR]
[--version V] [--wheels DIR]`.

The center's (base-station-center) ships the same payload with PostgreSQL's driver and installs
it with the same release switcher under /opt/base-station-center; its service, settings, nginx
site and database set-up are in packaging/center. The rest of this note is the kiosk's.

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
that fails to start or to reach the center is rolled back (packaging/release).
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
# What the kiosk and the center run from the repository; tests, docs and CI scripts stay out.
APP_PATHS = ("kiosk", "center", "drivers", "sync", "rules", "config", "assets", "pyproject.toml",
             "README.md", "requirements.lock")  # fmt: skip
SCRIPTLESS = ("control", "conffiles")  # DEBIAN's files that are not maintainer scripts


@dataclass(frozen=True)
class Product:
    """One Debian package of this repository: what differs between the kiosk's and the
    center's. Both ship the application with its wheels as a payload and install it with the
    release switcher (packaging/release)."""

    name: str
    summary: str
    description: tuple[str, ...]
    depends: tuple[str, ...]
    recommends: tuple[str, ...]
    extras: str  # the application's optional parts its environment needs, e.g. "[postgres]"
    commands: tuple[str, ...]  # /usr/bin wrappers for the current release's commands
    lib_files: dict[str, str]  # /usr/lib/NAME/<key> from packaging/<value>
    etc_files: dict[str, str]  # conffiles: /etc/<key> from packaging/<value>
    units: dict[str, tuple[str, ...]]  # systemd's "user" or "system" units, from packaging/
    debian: str  # the folder of its maintainer scripts
    udev_rules: str | None = None
    command_env: str | None = None  # a settings file the commands read first, when readable

    @property
    def payload(self) -> Path:
        return Path("usr") / "lib" / self.name / "payload"


KIOSK = Product(
    name="base-station-kiosk",
    summary="self-service kiosk for unstaffed electricity business base stations",
    description=(
        "Residents pay bills, print receipts and invoices, do simple business with their ID",
        "card and talk to staff by video; technicians service it in maintenance mode.",
    ),
    # Python to build the environment, the Qt runtime's system libraries (the wheels bring Qt
    # itself), the CJK font, the barcode decoder.
    depends=("python3 (>= 3.11)", "python3-venv", "adduser", "fonts-noto-cjk", "libzbar0",
             "libgl1", "libegl1", "libfontconfig1", "libxkbcommon0", "libdbus-1-3",
             "libglib2.0-0", "libwayland-client0", "libwayland-cursor0", "libwayland-egl1",
             # The kiosk user's own systemd, which runs its units: a login session needs both
             # (without pam_systemd, user@.service has no runtime folder and stops at once).
             "libpam-systemd", "dbus"),
    # The kiosk session's compositor; Debian's cage will not start without Xwayland.
    recommends=("cage", "xwayland"),
    extras="",
    commands=("kiosk", "kiosk-sim"),
    lib_files={"release": "release", "session": "session/kiosk-session"},
    etc_files={"base-station-kiosk/kiosk.toml": "debian/kiosk.toml"},
    units={
        # The kiosk's own units, run by the kiosk user's manager, and the session starting them.
        "user": ("systemd/kiosk.service", "systemd/kiosk-out-of-service.service",
                 "systemd/kiosk-session.target"),
        "system": ("systemd/base-station-kiosk-session.service",),
    },
    debian="debian",
    udev_rules="udev/70-kiosk-devices.rules",
)  # fmt: skip

CENTER = Product(
    name="base-station-center",
    summary="reference central platform for the base-station kiosks",
    description=(
        "The region's center: the kiosks' protocol, payments, the staff console and video",
        "help, on PostgreSQL, its workers behind nginx.",
    ),
    depends=("python3 (>= 3.11)", "python3-venv", "adduser", "openssl"),
    recommends=("postgresql (>= 15)", "nginx"),
    extras="[postgres]",
    commands=("kiosk-center",),
    lib_files={"release": "release", "setup-database": "center/setup-database"},
    etc_files={
        "base-station-center/center.env": "center/center.env",
        "nginx/sites-available/base-station-center": "center/nginx-site",
    },
    units={"system": ("center/base-station-center.service",)},
    debian="center/debian",
    # `kiosk-center enroll-token ...` run as kiosk-center reaches the service's own database.
    command_env="/etc/base-station-center/center.env",
)

PRODUCTS = {"kiosk": KIOSK, "center": CENTER}
PACKAGES = {product.name for product in PRODUCTS.values()}


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


PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
# Another Debian architecture than the builder's: the machine its wheels must run on. Debian 12
# has Python 3.11 and glibc 2.36, so no wheel may need a newer glibc.
FOREIGN = {
    "arm64": {
        "machine": "aarch64",
        "platforms": [f"manylinux_2_{minor}_aarch64" for minor in range(36, 16, -1)]
        + ["manylinux2014_aarch64", "linux_aarch64"],
    },
}
DEBIAN_PYTHON = "3.11"


def wheels(app: Path, target: Path, extras: str, arch: str) -> None:
    """Every package the application runs on, at requirements.lock's versions, as wheels for
    `arch` (on the builder's own, the few published only as sources are built here: pure
    Python), plus what an editable install of the application needs offline."""
    lock = app / "requirements.lock"
    if arch == architecture():
        subprocess.run(
            [*PIP, "wheel", "-w", str(target), "-c", str(lock), f"{app}{extras}"], check=True
        )
        for built in target.glob("base_station_kiosk-*.whl"):
            built.unlink()  # the application itself is installed from app/, editable
    else:
        foreign_wheels(app, target, extras, arch)
    # The build back end of the editable install, at the lock's version too.
    subprocess.run(
        [*PIP, "download", "-d", str(target), "--only-binary=:all:", "-c", str(lock), "setuptools"],
        check=True,
    )


def foreign_wheels(app: Path, target: Path, extras: str, arch: str) -> None:
    """The wheels of another architecture: which packages the application needs is what it
    needs here; their versions are the lock's for that machine (pip would judge the lock's
    markers by this one), and every one must come as a wheel for it."""
    from packaging.requirements import Requirement  # PyPA's, which pip and pytest bring

    if arch not in FOREIGN:
        raise SystemExit(f"build_deb: cannot build for {arch} (known: {', '.join(FOREIGN)})")
    machine = FOREIGN[arch]
    with tempfile.TemporaryDirectory() as here:
        wheels(app, Path(here), extras, architecture())
        needed = {_canonical(wheel.name.split("-")[0]) for wheel in Path(here).glob("*.whl")}
    there = {
        "python_version": DEBIAN_PYTHON, "python_full_version": f"{DEBIAN_PYTHON}.2",
        "platform_machine": str(machine["machine"]), "sys_platform": "linux",
        "platform_system": "Linux", "os_name": "posix", "implementation_name": "cpython",
        "platform_python_implementation": "CPython", "extra": "",
    }  # fmt: skip
    pins = []
    for line in (app / "requirements.lock").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith((" ", "#")):
            continue
        requirement = Requirement(line)
        if _canonical(requirement.name) in needed and (
            requirement.marker is None or requirement.marker.evaluate(there)
        ):
            pins.append(f"{requirement.name}{requirement.specifier}")
    platforms = [arg for name in machine["platforms"] for arg in ("--platform", name)]
    subprocess.run(
        [*PIP, "download", "--no-deps", "--only-binary=:all:", "-d", str(target), *platforms,
         "--implementation", "cp", "--python-version", DEBIAN_PYTHON, "--abi",
         f"cp{DEBIAN_PYTHON.replace('.', '')}", "--abi", "abi3", "--abi", "none", *pins],
        check=True,
    )  # fmt: skip


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def control(product: Product, version: str, arch: str, installed_kib: int) -> str:
    return "\n".join(
        [
            f"Package: {product.name}",
            f"Version: {version}",
            f"Architecture: {arch}",
            "Maintainer: Base-station kiosk maintainers <maintainers@example.invalid>",
            f"Installed-Size: {installed_kib}",
            f"Depends: {', '.join(product.depends)}",
            f"Recommends: {', '.join(product.recommends)}",
            "Section: misc",
            "Priority: optional",
            f"Description: {product.summary}",
            *(f" {line}" for line in product.description),
            "",
        ]
    )


def _copy(source: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PACKAGING / source, target)


def stage(product: Product, root: Path, version: str, arch: str, wheel_cache: Path | None) -> None:
    payload = root / product.payload
    app_tree(payload / "app", version)
    (payload / "VERSION").write_text(f"{version}\n", "utf-8")
    if wheel_cache is not None:
        if not any(wheel_cache.glob("*.whl")):  # an empty cache is filled, for the next build
            wheels(payload / "app", wheel_cache, product.extras, arch)
        shutil.copytree(wheel_cache, payload / "wheels")
    else:
        wheels(payload / "app", payload / "wheels", product.extras, arch)
    lib = root / "usr" / "lib" / product.name
    for name, source in product.lib_files.items():
        _copy(source, lib / name)
    for command in product.commands:
        wrapper = root / "usr" / "bin" / command
        wrapper.parent.mkdir(parents=True, exist_ok=True)
        settings = ""
        if product.command_env is not None:
            env = product.command_env
            settings = f"if [ -r {env} ]; then set -a; . {env}; set +a; fi\n"
        wrapper.write_text(
            f"#!/bin/sh\n# The current release's command (/opt/{product.name}/current).\n"
            f'{settings}exec /opt/{product.name}/current/venv/bin/{command} "$@"\n',
            "utf-8",
        )
    for name, source in product.etc_files.items():
        _copy(source, root / "etc" / name)
    for kind, sources in product.units.items():
        for source in sources:
            _copy(source, root / "usr" / "lib" / "systemd" / kind / Path(source).name)
    if product.udev_rules is not None:
        _copy(product.udev_rules, root / "usr/lib/udev/rules.d" / f"70-{product.name}.rules")
    debian = root / "DEBIAN"
    debian.mkdir()
    for script in ("postinst", "prerm", "postrm"):
        text = (PACKAGING / product.debian / script).read_text("utf-8")
        (debian / script).write_text(text.replace("@VERSION@", version), "utf-8")
    conffiles = "".join(f"/etc/{name}\n" for name in product.etc_files)
    (debian / "conffiles").write_text(conffiles, "utf-8")
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) // 1024
    (debian / "control").write_text(control(product, version, arch, size), "utf-8")


def normalise(root: Path, epoch: int) -> None:
    """Modes and times that do not depend on the build machine: the same input, the same bytes."""
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_symlink():
            continue
        script = path.parent.name in ("bin", "DEBIAN") and path.name not in SCRIPTLESS
        script = script or (path.parent.parent.name == "lib" and path.parent.name in PACKAGES)
        executable = path.is_dir() or bool(path.stat().st_mode & 0o111) or script
        path.chmod(0o755 if executable else 0o644)
        os.utime(path, (epoch, epoch), follow_symlinks=False)


def build(
    out: Path,
    wheel_cache: Path | None = None,
    version: str | None = None,
    product: Product = KIOSK,
    arch: str | None = None,
) -> Path:
    version = version or source_version()
    arch = arch or architecture()
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or commit_time())
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "root"
        stage(product, root, version, arch, wheel_cache)
        normalise(root, epoch)
        deb = out / f"{product.name}_{version}_{arch}.deb"
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
    parser.add_argument(
        "--center",
        action="store_true",
        help="the center's package (base-station-center) instead of the kiosk's",
    )
    parser.add_argument(
        "--arch",
        help="a Debian architecture other than this machine's (arm64): its wheels are "
        "downloaded, not built, so every package must publish one",
    )
    args = parser.parse_args(argv)
    product = CENTER if args.center else KIOSK
    deb = build(args.out, args.wheels, args.version, product, args.arch)
    digest = hashlib.sha256(deb.read_bytes()).hexdigest()
    print(f"{deb} {deb.stat().st_size // (1024 * 1024)} MiB sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
