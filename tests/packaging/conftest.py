"""The packaging tier's shared parts: the package built once (its wheels kept, so a second
version builds in a fraction of the time), one clean Debian 12 root with it installed, and
commands run inside that root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "base-station-kiosk"


def _needs() -> str | None:
    if os.geteuid() != 0:
        return "installing into a Debian root needs root"
    for tool in ("mmdebstrap", "dpkg-deb", "unshare", "chroot"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (./run test installs it when run as root)"
    return None


NEEDS = _needs()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent == Path(__file__).parent:
            if NEEDS is not None:
                item.add_marker(pytest.mark.skip(reason=NEEDS))
            # The first test also builds the package and the root (a few minutes on two cores).
            item.add_marker(pytest.mark.timeout(2400))


class Packages:
    """`./run package` for any version of this tree, the wheels made once for all of them."""

    def __init__(self, out: Path) -> None:
        self.out = out

    def build(
        self, version: str | None = None, product: str = "kiosk", arch: str | None = None
    ) -> Path:
        # The center's wheels hold PostgreSQL's driver too; another architecture has its own.
        wheels = self.out / f"wheels-{product}-{arch or 'here'}"
        wheels.mkdir(exist_ok=True)
        command = [sys.executable, str(ROOT / "packaging" / "build_deb.py"),
                   "--out", str(self.out), "--wheels", str(wheels)]  # fmt: skip
        if version is not None:
            command += ["--version", version]
        if product == "center":
            command.append("--center")
        if arch is not None:
            command += ["--arch", arch]
        subprocess.run(command, check=True, timeout=1800, stdout=subprocess.DEVNULL)
        name = PACKAGE if product == "kiosk" else "base-station-center"
        with (ROOT / "pyproject.toml").open("rb") as file:
            version = version or tomllib.load(file)["project"]["version"]
        here = subprocess.run(
            ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return self.out / f"{name}_{version}_{arch or here}.deb"


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    return Packages(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def package(packages: Packages) -> Path:
    return packages.build()


@pytest.fixture(scope="session")
def debian_root(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("debian") / "root"
    subprocess.run(
        [
            # A stock Debian 12 machine: systemd, the session's cage with its Xwayland; and for
            # the center's package, PostgreSQL and nginx (the root keeps no package lists).
            "mmdebstrap", "--variant=apt",
            "--include=ca-certificates,systemd,cage,xwayland,procps,postgresql,nginx",
            "bookworm", str(root),
            f"--customize-hook=copy-in {package} /tmp",
            "--customize-hook=chroot \"$1\" env DEBIAN_FRONTEND=noninteractive apt-get install"
            f" -y -q --no-install-recommends /tmp/{package.name}",
        ],
        check=True,
        timeout=1800,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    yield root
    shutil.rmtree(root, ignore_errors=True)


def in_root(root: Path, *command: str, user: str = "kiosk") -> list[str]:
    """`command` run in the root as `user` (the kiosk's, unless said), with /dev and /proc
    mounted for it alone (a private mount namespace: nothing stays mounted when it ends)."""
    mounts = f"mount --rbind /dev {root}/dev && mount -t proc proc {root}/proc"
    inside = " ".join(f"'{word}'" for word in command)
    return ["unshare", "--mount", "--fork", "--kill-child", "sh", "-c",
            f"{mounts} && exec chroot --userspec={user}:{user} {root} {inside}"]  # fmt: skip


def apt_install(root: Path, deb: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`apt-get install` of `deb` in the root, as the engineer would: its answer kept."""
    shutil.copy(deb, root / "tmp" / deb.name)
    settings = [f"{name}={value}" for name, value in env.items()]
    return subprocess.run(
        in_root(root, "/usr/bin/env", "DEBIAN_FRONTEND=noninteractive", *settings,
                "/usr/bin/apt-get", "install", "-y", "-q", "--no-install-recommends",
                f"/tmp/{deb.name}", user="root"),
        capture_output=True, text=True, timeout=1800,
    )  # fmt: skip


def kiosk_env(**more: str) -> dict[str, str]:
    """The installed kiosk's environment in the root, as its unit gives it (offscreen here)."""
    return {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": f"/var/lib/{PACKAGE}",
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_CONFIG": f"/etc/{PACKAGE}/kiosk.toml",
        **more,
    }


def write_site(root: Path, kiosk_id: str, center_url: str, more: str = "") -> None:
    """The site's settings in the root's /etc, as the installer writes them; `more` lines go
    after [center]'s url (its own settings, then any other table)."""
    (root / "etc" / PACKAGE / "kiosk.toml").write_text(
        f'[kiosk]\nid = "{kiosk_id}"\ndata_dir = "/var/lib/{PACKAGE}"\n'
        f'[center]\nurl = "{center_url}"\n{more}',
        "utf-8",
    )


def notify_folder(root: Path, name: str) -> tuple[Path, str]:
    """A folder in the root's /run for the stand-in systemd's notify socket: where it is here,
    and what the kiosk inside the root calls it."""
    folder = root / "run" / name
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o777)
    return folder, f"/run/{name}/notify.sock"
