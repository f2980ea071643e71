"""The real center over HTTP on loopback, for any test tier.

`running_center`: one center with demo data for the whole session (do not change its data in
ways other tests would see: post events with fresh ids). `start_center(...)`: a private center
with options (slow answers, no demo data), stopped when the test ends.

`center_db_url`: a fresh, empty center database, once on SQLite and once on PostgreSQL (skipped
with the reason where no PostgreSQL server can start). `center_on_each_database`: a center with
demo data on it, for a module; a center test module runs on both with
`running_center = center_on_each_database` (or by asking for it under its own name).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import requests

from center.database import Database, open_database
from center.kiosk_auth import issue_enrolment_token
from center.server import RunningCenter, serve_center
from sync.client import CenterClient
from sync.credentials import Credentials

DEMO_TODAY = dt.date(2026, 11, 24)
ROOT = Path(__file__).resolve().parents[2]

DATABASES = ("sqlite", "postgresql")

__all__ = ["DATABASES", "DEMO_TODAY", "TEST_KIOSK", "RunningCenter", "kiosk_http", "serve_center"]


@pytest.fixture(scope="module", params=DATABASES)
def center_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_server").new_database()
    return f"sqlite:///{tmp_path_factory.mktemp('center') / 'center.db'}"


@pytest.fixture(scope="module")
def signed_center(center_db_url: str) -> Iterator[RunningCenter]:
    """A center requiring signatures, once on SQLite and once on PostgreSQL."""
    with serve_center(center_db_url, today=DEMO_TODAY, require_signatures=True) as center:
        yield center


@pytest.fixture(scope="module")
def signed_center_db(signed_center: RunningCenter) -> Iterator[Database]:
    """The signed center's own database, for a test to look behind its answers."""
    database = open_database(signed_center.db_url)
    yield database
    database.close()


def enrol(center: RunningCenter, database: Database, kiosk_id: str) -> Credentials:
    """Enrol `kiosk_id` at `center` as an operator and the kiosk would: its credentials."""
    token = issue_enrolment_token(database.sessions, kiosk_id, dt.datetime.now(dt.UTC))
    with CenterClient(center.url, kiosk_id) as client:
        return client.enroll(token)


@pytest.fixture(scope="module")
def center_on_each_database(center_db_url: str) -> Iterator[RunningCenter]:
    with serve_center(center_db_url, today=DEMO_TODAY) as center:
        yield center


@pytest.fixture(scope="session")
def running_center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCenter]:
    db_file = tmp_path_factory.mktemp("center") / "center.db"
    with serve_center(f"sqlite:///{db_file}", today=DEMO_TODAY) as center:
        yield center


@pytest.fixture
def start_center(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., RunningCenter]]:
    """start_center(answer_delay=2.0, demo_data=False, today=..., signed=True) -> a fresh
    running center; `signed`: it refuses requests not signed by an enrolled kiosk."""
    with ExitStack() as stack:

        def start(
            *,
            answer_delay: float = 0.0,
            demo_data: bool = True,
            today: dt.date = DEMO_TODAY,
            signed: bool = False,
        ) -> RunningCenter:
            db_file = tmp_path_factory.mktemp("center") / "center.db"
            return stack.enter_context(
                serve_center(
                    f"sqlite:///{db_file}",
                    today=today,
                    answer_delay=answer_delay,
                    demo_data=demo_data,
                    require_signatures=signed,
                )
            )

        yield start


def center_worker(
    db_url: str, *, signed: bool = True, host: str = "127.0.0.1"
) -> tuple[subprocess.Popen[bytes], RunningCenter]:
    """One more center process (`kiosk-center` as a worker behind the balancer would run) on
    `db_url`, on a free port: the process, and the center as tests use one."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        port = int(probe.getsockname()[1])
    command = [sys.executable, "-m", "center", "--db", db_url, "--host", host, "--port",
               str(port), "--log-level", "warning"]  # fmt: skip
    if not signed:
        command.append("--no-require-signatures")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Listening on every address ("0.0.0.0"), it is still reached here on loopback.
    url = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/v1/health", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError("the center worker did not start")
    return process, RunningCenter(url, None, db_url, None, None)  # type: ignore[arg-type]


# Who a raw HTTP request says it is, to a center that does not check signatures (development
# mode: a kiosk is who X-Kiosk-Id says). Signed requests: tests/integration/test_link_security.py.
TEST_KIOSK = "test-kiosk"


class KioskHttp:
    """Plain HTTP as one kiosk, for a center without signatures: requests' functions with
    X-Kiosk-Id added (no shared session, so threads may use one)."""

    def __init__(self, kiosk_id: str) -> None:
        self.kiosk_id = kiosk_id

    def request(self, method: str, url: str, **options: Any) -> requests.Response:
        headers = {"X-Kiosk-Id": self.kiosk_id, **options.pop("headers", {})}
        return requests.request(method, url, headers=headers, **options)

    def get(self, url: str, **options: Any) -> requests.Response:
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> requests.Response:
        return self.request("POST", url, **options)

    def put(self, url: str, **options: Any) -> requests.Response:
        return self.request("PUT", url, **options)


def kiosk_http(kiosk_id: str = TEST_KIOSK) -> KioskHttp:
    return KioskHttp(kiosk_id)
