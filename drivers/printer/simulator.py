"""A receipt printer on a pseudo-terminal or a TCP port: it reads ESC/POS, answers status, and
makes pictures.

On a pty the simulator holds the master end; the driver opens the slave (or the stable link to
it) with real pyserial, exactly as it opens /dev/serial/by-id/... on a kiosk. With ``tcp_port``
it listens on loopback instead, as a network printer on port 9100, and the driver connects to
``tcp://127.0.0.1:PORT``. The same byte handler serves both (sim_lines only moves bytes). Each
receipt (what lies between two cuts) is saved as ``receipt-NNNN.png`` with its transcript.

States answer DLE EOT with the golden replies (status.GOLDEN_REPLIES); in any state but normal
and near-end the mechanism does not print, and the data sent meanwhile is lost, as on paper.
Faults: the roll ends after N bytes, the cable is pulled after N bytes (``unplug``: the pty
goes away, as a USB port does, or the socket closes and nothing listens; ``plug_in`` brings a new
one behind the same link or port), status
requests are not answered (timeout) or answered with garbage.

Standalone: ``python -m drivers.printer.simulator --out receipts --state near-end [--tcp 9100]``.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from drivers.printer.escpos_bytes import MODELS, PrinterModel
from drivers.printer.escpos_reader import CutPaper, EscPosReader, PaperQuery, StatusQuery
from drivers.printer.receipt_picture import PrintedReceipt, ReceiptPaper
from drivers.printer.sim_lines import BulkLine, PtyLine, TcpLine
from drivers.printer.status import GOLDEN_REPLIES

STATES = tuple(GOLDEN_REPLIES)
_PRINTING_STATES = ("normal", "near-end")
_GS_R_PAPER = {"near-end": 0x03, "paper-out": 0x0F}


@dataclass(frozen=True)
class SavedReceipt:
    receipt: PrintedReceipt
    path: Path | None  # the PNG, when the simulator has an output folder
    torn: bool  # the paper ran out under it: only part of it printed


class PrinterSimulator:
    def __init__(
        self,
        out_dir: Path | str | None = None,
        *,
        state: str = "normal",
        model: PrinterModel = MODELS["58mm"],
        baud: int | None = None,
        link: Path | str | None = None,
        seed: int = 0,
        tcp_port: int | None = None,
        line: PtyLine | TcpLine | BulkLine | None = None,
    ) -> None:
        """``tcp_port``: listen on 127.0.0.1 at that port (0: any free one) instead of a pty;
        ``line``: any other line (a BulkLine: the endpoints of a USB printer)."""
        if state not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}, not {state!r}")
        if tcp_port is not None and link is not None:
            raise ValueError("a stable link names a pty; a TCP printer has its port")
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.model = model
        self.baud = baud  # None: as fast as the pty goes; else paced like a serial line
        self.link = Path(link) if link is not None else None
        if line is None:
            line = TcpLine(tcp_port) if tcp_port is not None else PtyLine(self.link)
        self.line = line
        self.state = state
        self.answer_status = True  # False: status requests time out
        self.garbage_status = False  # True: status requests get bytes that are no status
        self.bytes_received = 0
        self.receipts: list[SavedReceipt] = []
        self._random = random.Random(seed)
        self._paper = ReceiptPaper(model)
        self._reader = EscPosReader()
        self._changed = threading.Condition()
        self._paper_out_in: int | None = None
        self._unplug_in: int | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # plugging

    @property
    def path(self) -> str:
        """The pty (or its stable link), or host:port for a TCP printer."""
        return self.line.path

    @property
    def url(self) -> str:
        """What to point the kiosk at: serial://... or tcp://127.0.0.1:PORT."""
        return self.line.url

    @property
    def plugged_in(self) -> bool:
        return self.line.plugged_in

    def start(self) -> PrinterSimulator:
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        self.plug_in()
        self._stopping.clear()
        self._thread = threading.Thread(target=self._serve, name="printer-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None
        self.unplug()

    def __enter__(self) -> PrinterSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def plug_in(self) -> None:
        """A fresh pty behind the same link, or listening again on the same port: it is back."""
        if not self.line.plugged_in:
            self._reader = EscPosReader()  # a power cycle: a half-read command is forgotten
            self.line.plug_in()
        with self._changed:
            self._changed.notify_all()

    def unplug(self) -> None:
        """The cable is pulled: the port disappears (or the connection drops) under the driver."""
        self.line.unplug()
        with self._changed:
            self._changed.notify_all()

    # the technician's hands and the faults

    def set_state(self, state: str) -> None:
        if state not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}, not {state!r}")
        with self._changed:
            if state not in _PRINTING_STATES and not self._paper.blank:
                self._save(self._paper.tear_off(), torn=True)
            self.state = state
            self._changed.notify_all()

    def paper_out_after(self, n_bytes: int) -> None:
        """The roll ends once ``n_bytes`` more bytes have come in."""
        self._paper_out_in = n_bytes

    def unplug_after(self, n_bytes: int) -> None:
        """The cable is pulled once ``n_bytes`` more bytes have come in."""
        self._unplug_in = n_bytes

    def send(self, data: bytes) -> None:
        """Bytes from the printer that nobody asked for (line noise, a confused printer)."""
        self.line.send(data)

    def wait_for_receipts(self, count: int, timeout: float = 5.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: len(self.receipts) >= count, timeout)

    def wait_until_unplugged(self, timeout: float = 5.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: not self.line.plugged_in, timeout)

    # serving, on the simulator's thread

    def _serve(self) -> None:
        line_free_at = 0.0
        while not self._stopping.is_set():
            data = self.line.receive(0.05)
            if data is None:  # unplugged
                with self._changed:
                    self._changed.wait(0.05)
                continue
            if not data:
                continue
            if self.baud:
                # Each byte takes 10 bit times on the line (8N1): keep that pace.
                line_free_at = max(line_free_at, time.monotonic()) + len(data) * 10 / self.baud
                delay = line_free_at - time.monotonic()
                if delay > 0:
                    self._stopping.wait(delay)
            self._take(data)

    def _take(self, data: bytes) -> None:
        for countdown in ("_paper_out_in", "_unplug_in"):
            left = getattr(self, countdown)
            if left is not None and len(data) >= left:
                setattr(self, countdown, None)
                self._take(data[:left])
                if countdown == "_unplug_in":
                    self.unplug()
                    return  # the rest never reached the printer
                self.set_state("paper-out")
                self._take(data[left:])
                return
            if left is not None:
                setattr(self, countdown, left - len(data))
        self.bytes_received += len(data)
        for command in self._reader.feed(data):
            if isinstance(command, StatusQuery):
                self._answer_status(command.n)
            elif isinstance(command, PaperQuery):
                self._answer(bytes([_GS_R_PAPER.get(self.state, 0x00)]))
            elif self.state not in _PRINTING_STATES:
                continue  # the mechanism is stopped: the data is lost
            elif isinstance(command, CutPaper):
                blank = self._paper.blank
                receipt = self._paper.tear_off()
                if not blank:  # a blank piece cut off is no receipt
                    with self._changed:
                        self._save(receipt, torn=False)
            else:
                self._paper.apply(command)

    def _answer_status(self, n: int) -> None:
        if not 1 <= n <= 4:
            return
        if self.garbage_status:
            # Bit 0 set: never a valid DLE EOT reply.
            self._answer(bytes([self._random.randrange(256) | 0x01]))
        else:
            self._answer(bytes([GOLDEN_REPLIES[self.state][n - 1]]))

    def _answer(self, reply: bytes) -> None:
        if self.answer_status:
            with contextlib.suppress(OSError):
                self.send(reply)

    def _save(self, receipt: PrintedReceipt, *, torn: bool) -> None:
        path = None
        if self.out_dir is not None:
            stem = f"receipt-{len(self.receipts) + 1:04d}" + ("-torn" if torn else "")
            path = self.out_dir / f"{stem}.png"
            receipt.picture.save(path)
            path.with_suffix(".txt").write_text(receipt.text() + "\n", encoding="utf-8")
        self.receipts.append(SavedReceipt(receipt, path, torn))
        self._changed.notify_all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kiosk-sim printer",
        description="A simulated ESC/POS receipt printer on a pseudo-terminal.",
    )
    parser.add_argument("--out", default="receipts", help="folder for the receipt pictures")
    parser.add_argument("--state", choices=STATES, default="normal")
    parser.add_argument("--paper", choices=sorted(MODELS), default="58mm")
    parser.add_argument("--baud", type=int, default=0, help="pace like a serial line (0: no)")
    parser.add_argument("--link", help="stable path to create for the port (like by-id)")
    parser.add_argument(
        "--tcp",
        type=int,
        nargs="?",
        const=0,
        metavar="PORT",
        help="listen on 127.0.0.1:PORT as a network printer (no PORT: a free one), not a pty",
    )
    parser.add_argument("--no-status", action="store_true", help="never answer status (timeout)")
    parser.add_argument("--garbage-status", action="store_true", help="answer status with noise")
    parser.add_argument("--paper-out-after", type=int, metavar="BYTES")
    parser.add_argument("--unplug-after", type=int, metavar="BYTES")
    args = parser.parse_args(argv)
    if args.tcp is not None and args.link:
        parser.error("--link names a pty; a network printer (--tcp) has its port")

    simulator = PrinterSimulator(
        args.out,
        state=args.state,
        model=MODELS[args.paper],
        baud=args.baud or None,
        link=args.link,
        tcp_port=args.tcp,
    )
    simulator.answer_status = not args.no_status
    simulator.garbage_status = args.garbage_status
    if args.paper_out_after is not None:
        simulator.paper_out_after(args.paper_out_after)
    if args.unplug_after is not None:
        simulator.unplug_after(args.unplug_after)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        simulator.start()
    except OSError as error:  # e.g. the TCP port is taken: say so, no traceback
        print(f"kiosk-sim printer: cannot start: {error}", file=sys.stderr)
        return 2
    try:
        print(f"printer simulator ({args.state}): point the kiosk at {simulator.url}", flush=True)
        print(f"receipts go to {Path(args.out).resolve()}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while not done.wait(0.5):
                pass
    finally:
        simulator.stop()
    print(f"{len(simulator.receipts)} receipt(s) printed", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
