"""The reference center as a child process on loopback, for demo mode and screenshots.

A child rather than a thread: the kiosk stays the process it is in production, and the center's
web server cannot stall the kiosk's UI thread through the interpreter lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import requests

log = logging.getLogger(__name__)


class CenterDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class EmbeddedCenter:
    """Starts `kiosk-center` with demo data in `folder`; `url` is set once it answers.
    `signed`: it requires signed requests, from kiosks enrolled with `enrolment_token`."""

    def __init__(
        self,
        folder: Path,
        *,
        today: dt.date | None = None,
        answer_delay: float = 0.0,
        start_timeout: float = 30.0,
        signed: bool = False,
    ) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._today = today
        self._answer_delay = answer_delay
        self._start_timeout = start_timeout
        self._signed = signed
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> EmbeddedCenter:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "center",
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--db", self.db_url,
            "--demo-data",
            "--simulated-wallets",
            "--log-level", "warning",
            "--exit-with-parent",
        ]  # fmt: skip
        if self._today:
            command += ["--today", self._today.isoformat()]
        if self._answer_delay:
            command += ["--answer-delay", str(self._answer_delay)]
        if not self._signed:
            command.append("--no-require-signatures")
        self._log = (self.folder / "center.log").open("ab")
        self._process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self._start_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise CenterDidNotStart(
                    f"the reference center exited with {self._process.returncode}; "
                    f"see {self.folder / 'center.log'}"
                )
            try:
                if requests.get(self.url + "/v1/health", timeout=1 + self._answer_delay).ok:
                    log.info("reference center answering", extra={"url": self.url})
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise CenterDidNotStart(
            f"the reference center did not answer within {self._start_timeout:.0f} s"
        )

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.folder / 'center.db'}"

    def enrolment_token(self, kiosk_id: str) -> str:
        """A one-time enrolment token for `kiosk_id`, as the operator gets it from the CLI."""
        made = subprocess.run(
            [sys.executable, "-m", "center", "--log-level", "warning", "enroll-token",
             "--db", self.db_url, "--kiosk-id", kiosk_id],
            capture_output=True, text=True, timeout=self._start_timeout, check=False,
        )  # fmt: skip
        if made.returncode != 0:
            raise CenterDidNotStart(f"no enrolment token: {made.stderr.strip()[-500:]}")
        return made.stdout.strip()

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        self._process = None
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self) -> EmbeddedCenter:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
