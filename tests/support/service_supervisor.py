"""systemd's part in running the kiosk, played by the test: the notify socket, the watchdog,
Restart=on-failure and the start limit, with the values of the shipped unit
(packaging/systemd/kiosk.service).

No systemd runs as the init of this machine, so no real user manager can supervise a process
here; this plays what the unit asks of it, over the same protocol (sd_notify(3): a datagram
socket named in $NOTIFY_SOCKET, $WATCHDOG_USEC). What it records is what systemd would log:
each start, READY=1, a watchdog timeout (SIGABRT, as WatchdogSignal= says), each exit.
"""

from __future__ import annotations

import configparser
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

UNIT = Path(__file__).resolve().parents[2] / "packaging" / "systemd" / "kiosk.service"


@dataclass(frozen=True)
class UnitSettings:
    watchdog_s: float
    restart_s: float
    abort_s: float
    start_limit_burst: int
    start_limit_interval_s: float

    @classmethod
    def of(cls, unit: Path = UNIT) -> UnitSettings:
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = lambda option: option  # type: ignore[assignment,method-assign]
        parser.read(unit, encoding="utf-8")
        service, section = parser["Service"], parser["Unit"]
        assert service["Type"] == "notify" and service["Restart"] == "on-failure"
        assert service["WatchdogSignal"] == "SIGABRT"
        return cls(
            watchdog_s=float(service["WatchdogSec"]),
            restart_s=float(service["RestartSec"]),
            abort_s=float(service["TimeoutAbortSec"]),
            start_limit_burst=int(section["StartLimitBurst"]),
            start_limit_interval_s=float(section["StartLimitIntervalSec"]),
        )


@dataclass
class Happening:
    what: str  # started | ready | watchdog | exited | failed
    pid: int
    at: float
    detail: str = ""


@dataclass
class Supervisor:
    command: Sequence[str]
    env: dict[str, str]
    folder: Path
    settings: UnitSettings = field(default_factory=UnitSettings.of)
    log: list[Happening] = field(default_factory=list)
    # The socket's path as the process sees it, when that differs (a process in a chroot).
    socket_seen_as: str | None = None

    def __post_init__(self) -> None:
        self._socket_path = self.folder / "notify.sock"
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(str(self._socket_path))
        self._socket_path.chmod(0o777)  # a process under another user may send to it
        self._socket.settimeout(0.1)
        self._process: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._supervise, daemon=True)
        self.stderr_files: list[Path] = []

    def __enter__(self) -> Supervisor:
        self._start()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        process = self._process
        if process is not None:
            # The whole group, as systemd stops a unit's control group: a process that started
            # the kiosk under another user (chroot --userspec) does not take it down with it.
            for sig, wait_s in ((signal.SIGTERM, 40.0), (signal.SIGKILL, 10.0)):
                try:
                    os.killpg(process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    process.wait(timeout=wait_s)
                except subprocess.TimeoutExpired:
                    continue
                if not _group_alive(process.pid, wait_s):
                    break
        self._socket.close()

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def happened(self, what: str) -> list[Happening]:
        with self._lock:
            return [h for h in self.log if h.what == what]

    def wait_for(self, what: str, count: int = 1, timeout: float = 60) -> Happening:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.happened(what)
            if len(found) >= count:
                return found[count - 1]
            time.sleep(0.05)
        raise AssertionError(f"no {what} #{count} within {timeout} s: {self.log}")

    def _note(self, what: str, pid: int, detail: str = "") -> None:
        with self._lock:
            self.log.append(Happening(what, pid, time.monotonic(), detail))

    def _start(self) -> None:
        env = {
            **self.env,
            "NOTIFY_SOCKET": self.socket_seen_as or str(self._socket_path),
            "WATCHDOG_USEC": str(int(self.settings.watchdog_s * 1_000_000)),
        }
        stderr = self.folder / f"stderr-{len(self.stderr_files)}.txt"
        self.stderr_files.append(stderr)
        with stderr.open("wb") as sink:
            self._process = subprocess.Popen(
                list(self.command),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=sink,
                start_new_session=True,  # its own process group, stopped whole at the end
            )
        self._note("started", self._process.pid)

    def _supervise(self) -> None:
        ready = False
        last_ping = time.monotonic()
        while not self._stop.is_set():
            process = self._process
            assert process is not None
            try:
                message = self._socket.recv(4096).decode("utf-8", "replace")
            except TimeoutError:
                message = ""
            lines = message.splitlines()
            if "READY=1" in lines:
                ready, last_ping = True, time.monotonic()
                self._note("ready", process.pid)
            if "WATCHDOG=1" in lines:
                last_ping = time.monotonic()
            code = process.poll()
            if code is None and ready and time.monotonic() - last_ping > self.settings.watchdog_s:
                self._note("watchdog", process.pid)
                process.send_signal(signal.SIGABRT)
                try:
                    code = process.wait(timeout=self.settings.abort_s)
                except subprocess.TimeoutExpired:
                    process.kill()  # TimeoutAbortSec= ran out
                    code = process.wait()
            if code is None:
                continue
            self._note("exited", process.pid, str(code))
            if code == 0 or self._stop.is_set():
                return  # Restart=on-failure: a clean exit stays down
            recent = [
                h
                for h in self.happened("started")
                if time.monotonic() - h.at < self.settings.start_limit_interval_s
            ]
            if len(recent) >= self.settings.start_limit_burst:
                self._note("failed", process.pid, "start limit hit: OnFailure= runs")
                return
            time.sleep(self.settings.restart_s)
            ready = False
            self._start()
            last_ping = time.monotonic()


def _group_alive(group: int, wait_s: float) -> bool:
    """Whether any process of the group is still there after up to `wait_s`."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.05)
    return True


def kiosk_command(*args: str) -> list[str]:
    """The `kiosk` console script of this environment."""
    return [str(Path(sys.executable).parent / "kiosk"), *args]
