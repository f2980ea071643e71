"""A throwaway PostgreSQL server for the test run (and the fleet benchmark).

`initdb` + `pg_ctl` in a fresh temporary folder, listening on a free loopback port with trust
authentication, stopped and deleted at the end. Each center gets a database of its own
(`new_database()`), so centers never see each other's rows. When the server binaries are not
installed the `postgres_server` fixture skips with the reason; `./run test` as root installs
the `postgresql` package so CI always has them.

PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user (the
Debian package creates it), in a folder that user owns.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

START_TIMEOUT_S = 60
SUPERUSER = "kiosk"
UNPRIVILEGED_USER = "postgres"


class PostgresUnavailable(RuntimeError):
    """No local PostgreSQL server can be started here; the message says why."""


@dataclass
class PostgresServer:
    host: str
    port: int
    data_dir: Path
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@{self.host}:{self.port}/{database}"

    def new_database(self, prefix: str = "center") -> str:
        """An empty database of its own; its SQLAlchemy URL."""
        import psycopg  # the driver ships with the project (requirements.lock)

        name = f"{prefix}_{os.getpid()}_{next(self._numbers)}"
        dsn = f"host={self.host} port={self.port} user={SUPERUSER} dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def find_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, then Debian's versioned folders."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(os.path.realpath(on_path)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "pg_ctl").exists() and (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server until the block ends; PostgresUnavailable when none can start."""
    binaries = find_binaries()
    if binaries is None:
        raise PostgresUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH nor in "
            "/usr/lib/postgresql/*/bin: install the `postgresql` package (./run test does, as root)"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError as missing:
        raise PostgresUnavailable(f"the psycopg driver is not installed: {missing}") from None
    run_as = _unprivileged_user()
    root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    data_dir = root / "data"
    if run_as is not None:
        os.chown(root, run_as.pw_uid, run_as.pw_gid)
    port = _free_port()
    log_file = root / "server.log"
    try:
        _as(run_as, [binaries / "initdb", "-D", data_dir, "-U", SUPERUSER, "--auth=trust",
                     "--encoding=UTF8", "--locale=C", "--no-sync"])  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=300 -c shared_buffers=128MB"
        )
        _as(run_as, [binaries / "pg_ctl", "-D", data_dir, "-l", log_file, "-o", options,
                     "-w", "-t", str(START_TIMEOUT_S), "start"])  # fmt: skip
    except subprocess.CalledProcessError as failed:
        log = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise PostgresUnavailable(
            f"PostgreSQL did not start ({failed.cmd[0]} exited {failed.returncode}): "
            f"{(failed.stderr or '')[-1000:]} {log}"
        ) from None
    try:
        yield PostgresServer("127.0.0.1", port, data_dir)
    finally:
        subprocess.run(
            _command(run_as, [binaries / "pg_ctl", "-D", data_dir, "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
            timeout=START_TIMEOUT_S,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One server for the whole run; skips (saying why) where PostgreSQL is not installed."""
    try:
        with running_postgres() as server:
            yield server
    except PostgresUnavailable as why:
        pytest.skip(f"no PostgreSQL: {why}")


def _unprivileged_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        raise PostgresUnavailable(
            f"running as root and there is no `{UNPRIVILEGED_USER}` user to run the server as"
        ) from None


def _command(run_as: pwd.struct_passwd | None, argv: list[object]) -> list[str]:
    words = [str(word) for word in argv]
    return words if run_as is None else ["runuser", "-u", run_as.pw_name, "--", *words]


def _as(run_as: pwd.struct_passwd | None, argv: list[object]) -> None:
    subprocess.run(_command(run_as, argv), capture_output=True, text=True, check=True, timeout=120)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
