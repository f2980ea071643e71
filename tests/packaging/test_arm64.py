"""The kiosk on ARM64, emulated: `./run package --arch arm64` (the lock's ARM64 wheels, PySide6
6.7.3 among them: Debian 12's glibc is too old for later ones) installed with apt into a clean
Debian 12 arm64 root made by mmdebstrap, its Debian dependencies the archive's arm64 builds;
the installation builds and checks the release there under qemu, and the installed kiosk draws
its idle screen. Runs where qemu's aarch64 emulator is registered with the kernel (./run test
installs qemu-user-static as root); minutes, emulation being slow."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.conftest import PACKAGE, Packages, in_root

EMULATOR = Path("/proc/sys/fs/binfmt_misc/qemu-aarch64")
AARCH64 = 183  # ELF's e_machine for ARM64


@pytest.fixture(scope="module")
def arm64_root(packages: Packages, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if not (EMULATOR.exists() and EMULATOR.read_text().startswith("enabled")):
        pytest.skip("no aarch64 emulator registered (Debian: qemu-user-static, binfmt_misc)")
    package = packages.build(arch="arm64")
    root = tmp_path_factory.mktemp("arm64") / "root"
    subprocess.run(
        [
            "mmdebstrap", "--arch=arm64", "--variant=apt", "--include=ca-certificates",
            "bookworm", str(root),
            f"--customize-hook=copy-in {package} /tmp",
            "--customize-hook=chroot \"$1\" env DEBIAN_FRONTEND=noninteractive apt-get install"
            f" -y -q --no-install-recommends /tmp/{package.name}",
        ],
        check=True, timeout=2400, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_the_arm64_package_installs_and_draws_the_idle_screen(arm64_root: Path) -> None:
    release = arm64_root / "opt" / PACKAGE / "current"
    assert (release / "venv" / ".complete").is_file()
    site = release / "venv" / "lib" / "python3.11" / "site-packages"
    pyside = [
        p.name.lower() for p in site.glob("*.dist-info") if "pyside6_essentials" in p.name.lower()
    ]
    assert pyside == ["pyside6_essentials-6.7.3.dist-info"]
    header = (site / "PySide6" / "QtCore.abi3.so").read_bytes()[:20]
    assert header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") == AARCH64
    shots = arm64_root / "var" / "lib" / PACKAGE / "shots"
    done = subprocess.run(
        in_root(arm64_root, "/usr/bin/env", "QT_QPA_PLATFORM=offscreen", "HOME=/tmp",
                "/usr/bin/kiosk", "screenshots", f"/var/lib/{PACKAGE}/shots", "--only", "idle"),
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    pictures = sorted(shots.glob("idle-*.png"))
    assert len(pictures) == 4 and all(p.stat().st_size > 20_000 for p in pictures)
