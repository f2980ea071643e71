"""The center as a region installs it: `./run package --center` built and installed with apt
into the same clean Debian 12 root as the kiosk's package, PostgreSQL and nginx there from the
Debian archive. Then, in a network namespace of its own (center_region.sh): PostgreSQL
started, the database made by the package's own script, the workers started exactly as the
shipped unit says with the settings and secrets the installation made, nginx with the site and
the certificate made at install; and a kiosk enrolled through it reaching it, signed, over TLS.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.packaging.conftest import Packages, apt_install

HERE = Path(__file__).parent
CENTER = "base-station-center"


def test_the_center_package_installs_and_serves_a_region(
    debian_root: Path, packages: Packages
) -> None:
    root = debian_root
    installed = apt_install(root, packages.build(product="center"))
    said = installed.stdout + installed.stderr
    assert installed.returncode == 0, said[-4000:]
    assert "made a certificate for" in said  # TLS: made here, never shipped
    etc = root / "etc" / CENTER
    secrets = (etc / "secrets.env").read_text()
    assert "KIOSK_CENTER_OPERATOR_TOKEN=" in secrets and len(secrets.splitlines()[1]) > 60
    assert oct((etc / "secrets.env").stat().st_mode & 0o777) == "0o640"
    assert oct((etc / "tls" / "center.key").stat().st_mode & 0o777) == "0o600"
    assert (root / "etc/systemd/system/multi-user.target.wants" / f"{CENTER}.service").is_symlink()
    assert (root / "etc/nginx/sites-enabled" / CENTER).is_symlink()

    shutil.copy(HERE / "center_region.sh", root / "tmp" / "center_region.sh")
    run = subprocess.run(
        ["unshare", "--net", "--mount", "--fork", "--kill-child", "sh", "-c",
         f"ip link set lo up && mount --rbind /dev {root}/dev && mount -t proc proc {root}/proc"
         f" && exec chroot {root} /bin/sh /tmp/center_region.sh"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    lines = [
        line.removeprefix("region: ")
        for line in run.stdout.splitlines()
        if line.startswith("region: ")
    ]
    assert "health through nginx: 200" in lines
    assert "simulators: 404" in lines  # the wallet simulators are off in a real center
    assert "plain http: 200" not in lines  # the center is served over HTTPS only
    assert "workers: 2" in lines
    assert "operator token on a command line" not in lines
    assert "seen: region-kiosk-01 0.1.0" in lines  # the kiosk's signed heartbeat, in PostgreSQL
    assert "schema: 0002" in lines  # made at the migrations' head
    assert "tables owned by: kiosk-center" in lines
    assert "passes its check" in output
