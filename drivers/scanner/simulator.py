"""A serial code scanner on a pseudo-terminal, speaking as a real one does.

It writes each code followed by its suffix (CR, CR LF or LF); in a triggered model it reads
only after the model's start command (acknowledging it as the model does) and a code shown in
the meantime waits in front of it. Faults: garbage bytes, a partial line, unplug and plug in.
``path`` is a stable name (a symlink, like /dev/serial/by-id) that survives an unplug.

Standalone: ``python -m drivers.scanner.simulator [--model honeywell] [--code TEXT ...]``
prints the device path, sends the ``--code`` codes, then each line typed on stdin; the stdin
lines ``!garbage``, ``!partial``, ``!unplug`` and ``!plug`` inject faults. Ctrl-C ends it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import select
import signal
import sys
import tempfile
import threading
import time
import tty
from collections import deque
from pathlib import Path

from drivers.scanner.models import MODELS, model_named

SUFFIXES = {"cr": b"\r", "crlf": b"\r\n", "lf": b"\n"}
GARBAGE = bytes([0x00, 0xFF, 0x1B, 0x7F, 0x81, 0x02, 0xFE]) + b"\x80\x80\r\n"


def take_commands(buffer: bytearray, commands: tuple[bytes, ...]) -> list[bytes]:
    """The whole ``commands`` in ``buffer``, in the order they came. Each one found is removed
    from ``buffer`` with what came before it; the rest (maybe a command cut in two) stays."""
    found: list[bytes] = []
    known = [command for command in commands if command]
    while True:
        places = [(buffer.find(command), command) for command in known if command in buffer]
        if not places:
            return found
        at, command = min(places)
        del buffer[: at + len(command)]
        found.append(command)


class ScannerSimulator:
    def __init__(
        self,
        link: Path | str | None = None,
        model: str = "continuous",
        suffix: str = "cr",
        read_timeout_s: float = 3.0,
    ) -> None:
        if suffix not in SUFFIXES:
            raise ValueError(f"suffix must be one of {', '.join(SUFFIXES)}")
        self.model = model_named(model)
        self._commands = (self.model.start, self.model.stop)
        self.suffix = SUFFIXES[suffix]
        self.read_timeout_s = read_timeout_s
        self._link = Path(link) if link else None
        self._master: int | None = None
        self._slave: int | None = None
        self._reader: threading.Thread | None = None
        self._reader_stop = threading.Event()
        self._lock = threading.Lock()
        self._waiting: deque[bytes] = deque()  # codes in front of a scanner not yet triggered
        self._triggered_until = 0.0
        self.triggers = 0  # start commands received
        self.stops = 0
        self.commands: list[bytes] = []  # start and stop commands, in the order obeyed
        self.triggered = threading.Event()  # set on each start command; tests clear it

    @property
    def path(self) -> str:
        if self._link is not None:
            return str(self._link)
        if self._slave is None:
            raise RuntimeError("simulator not plugged in")
        return os.ttyname(self._slave)

    @property
    def reading(self) -> bool:
        """A triggered model reads now: started, and not yet stopped, timed out or done."""
        with self._lock:
            return time.monotonic() < self._triggered_until

    @property
    def plugged_in(self) -> bool:
        return self._master is not None

    def plug_in(self) -> None:
        if self._master is not None:
            return
        master, slave = pty.openpty()
        tty.setraw(slave)
        self._master, self._slave = master, slave
        if self._link is not None:
            with contextlib.suppress(FileNotFoundError):
                self._link.unlink()
            self._link.symlink_to(os.ttyname(slave))
        self._reader_stop.clear()
        self._reader = threading.Thread(
            target=self._read_commands, args=(master,), name="scanner-sim", daemon=True
        )
        self._reader.start()

    def unplug(self) -> None:
        """The cable is pulled: the driver's port fails and the stable name disappears."""
        self._reader_stop.set()
        if self._reader is not None:
            self._reader.join(2)
            self._reader = None
        if self._link is not None:
            with contextlib.suppress(FileNotFoundError):
                self._link.unlink()
        master, slave, self._master, self._slave = self._master, self._slave, None, None
        for fd in (master, slave):
            if fd is not None:
                os.close(fd)

    start = plug_in
    stop = unplug

    def __enter__(self) -> ScannerSimulator:
        self.plug_in()
        return self

    def __exit__(self, *exc: object) -> None:
        self.unplug()

    # what a person does in front of it

    def show(self, code: str, suffix: str | None = None) -> None:
        """Hold a code in front of the scanner: read now, or on the next trigger."""
        line = code.encode("utf-8") + (SUFFIXES[suffix] if suffix else self.suffix)
        with self._lock:
            if self.model.triggered and time.monotonic() >= self._triggered_until:
                self._waiting.append(line)
                return
            self._triggered_until = 0.0  # a good read ends a trigger
        self.send_raw(line)

    def send_garbage(self) -> None:
        self.send_raw(GARBAGE)

    def send_partial(self, code: str) -> None:
        """Half a code and no suffix, as when the cable is pulled mid-line."""
        data = code.encode("utf-8")
        self.send_raw(data[: max(1, len(data) // 2)])

    def send_raw(self, data: bytes) -> None:
        master = self._master
        if master is None:
            return  # unplugged: nothing reaches the host
        os.write(master, data)

    # commands from the host

    def _read_commands(self, master: int) -> None:
        buffer = bytearray()
        while not self._reader_stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(master, 256)
            except OSError:
                return
            buffer += data
            self._obey(buffer)
            del buffer[:-16]  # commands are short; keep a tail for one split across reads

    def _obey(self, buffer: bytearray) -> None:
        """Act on each whole command in ``buffer`` in the order it came, as the device does.

        A stop sent after a start in the same read must leave the scanner stopped, and a stop
        sent before a start must still be counted: never skip one command to find another.
        """
        for command in take_commands(buffer, self._commands):
            self.commands.append(command)
            if command == self.model.start:
                self._trigger()
            else:
                self._halt()

    def _trigger(self) -> None:
        self.triggers += 1
        if self.model.acknowledgement:
            self.send_raw(self.model.acknowledgement)
        with self._lock:
            line = self._waiting.popleft() if self._waiting else None
            self._triggered_until = 0.0 if line else time.monotonic() + self.read_timeout_s
        if line:
            self.send_raw(line)
        self.triggered.set()

    def _halt(self) -> None:
        self.stops += 1
        with self._lock:
            self._triggered_until = 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kiosk-sim scanner", description="A serial code scanner on a pseudo-terminal."
    )
    parser.add_argument("--model", choices=sorted(MODELS), default="continuous")
    parser.add_argument("--suffix", choices=sorted(SUFFIXES), default="cr")
    parser.add_argument("--code", action="append", default=[], help="a code to send (repeat)")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between --code")
    parser.add_argument(
        "--link", help="stable path to create for the device (default: a temporary one)"
    )
    args = parser.parse_args(argv)
    link = Path(args.link) if args.link else Path(tempfile.mkdtemp()) / "scanner"
    simulator = ScannerSimulator(link, args.model, args.suffix)
    done = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: done.set())
    simulator.plug_in()
    print(f"scanner ({args.model}, suffix {args.suffix}) at serial://{simulator.path}", flush=True)
    threading.Thread(target=_serve_stdin, args=(simulator,), daemon=True).start()
    try:
        for code in args.code:
            simulator.show(code)
            if done.wait(args.interval):
                break
        done.wait()
    finally:
        simulator.unplug()
    return 0


def _serve_stdin(simulator: ScannerSimulator) -> None:
    faults = {
        "!garbage": simulator.send_garbage,
        "!partial": lambda: simulator.send_partial("PARTIAL-LINE"),
        "!unplug": simulator.unplug,
        "!plug": simulator.plug_in,
    }
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        if text in faults:
            faults[text]()
        elif text:
            simulator.show(text)


if __name__ == "__main__":
    raise SystemExit(main())
