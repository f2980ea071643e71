"""An ID-card reader on a pseudo-terminal, speaking the SAM protocol byte for byte.

The simulator holds the pty's master; the driver opens the slave's path (or ``link``, a stable
symlink like /dev/serial/by-id, which is what unplugging removes). Replies go out at the wire
speed of ``baud`` (a pty does not emulate baud), so timings look like a real reader's.

Controls, from Python (tests, the demo) or typed on stdin when run standalone: place card N,
remove it, inject faults (``Fault``), unplug and plug back, fail the SAM self-test.

    python -m drivers.idcard.simulator --card 1 --link /tmp/idcard
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import random
import select
import signal
import sys
import threading
import time
import tty
from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from drivers.contracts import IdCard, mask
from drivers.idcard.card_text import build_card_text
from drivers.idcard.errors import BadLength, ChecksumMismatch, FrameError, UnknownCommand
from drivers.idcard.protocol import (
    CardRecord,
    Command,
    FrameAssembler,
    SamStatus,
    build_read_data,
    build_reply,
    parse_request,
)
from drivers.simulated.idcard import load_deck

SAM_ID = bytes.fromhex("0501000020230615000000010000000A")  # 16 bytes, synthetic
NO_FINGERPRINT = b""  # cards without fingerprints answer 30 10 with a zero-length third block


class Fault(Enum):
    """A fault to inject into the next replies (the next reads, for the two read faults)."""

    PULL_MID_READ = "pull"  # the card is lifted during a read: read failed, card gone
    READ_FAILS = "readfail"  # a read fails, the card stays (worn card, placed askew)
    GARBAGE = "garbage"  # line noise before the reply
    BAD_CHECKSUM = "checksum"  # the reply's check byte is wrong
    NO_ANSWER = "timeout"  # the request is ignored
    PARTIAL_FRAME = "partial"  # half the reply, then nothing


FOREVER = -1
_READ_FAULTS = (Fault.PULL_MID_READ, Fault.READ_FAILS)  # taken by reads, not by any reply


def faulty(fault: Fault, reply: bytes, rng: random.Random) -> bytes:
    """What goes on the wire instead of ``reply`` under ``fault``."""
    if fault is Fault.GARBAGE:
        # Never AA: noise that happened to hold a preamble would be a different fault.
        noise = bytes(
            rng.choice([b for b in range(256) if b != 0xAA]) for _ in range(rng.randint(1, 24))
        )
        return noise + reply
    if fault is Fault.BAD_CHECKSUM:
        return reply[:-1] + bytes([reply[-1] ^ 0x5A])
    if fault is Fault.PARTIAL_FRAME:
        return reply[: max(1, len(reply) // 2)]
    if fault is Fault.NO_ANSWER:
        return b""
    return reply


class IdCardSimulator:
    def __init__(
        self,
        deck: Sequence[IdCard] | None = None,
        *,
        link: str | os.PathLike[str] | None = None,
        baud: int | None = 115200,
        seed: int = 0,
    ) -> None:
        self.deck: tuple[IdCard, ...] = tuple(deck if deck is not None else load_deck())
        self._link = Path(link) if link else None
        self._seconds_per_byte = 10 / baud if baud else 0.0  # 8N1: ten bits a byte
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._card: IdCard | None = None
        self._selected = False
        self._faults: dict[Fault, int] = {}
        self.sam_failed = False
        self.requests: list[Command] = []  # every request understood, in order
        self.bytes_in = self.bytes_out = 0
        self._master = self._slave = -1
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the port --------------------------------------------------------------------------------

    @property
    def path(self) -> str:
        """What to point the kiosk at: the stable link if there is one, else the pty."""
        if self._link is not None:
            return str(self._link)
        return os.ttyname(self._slave)

    def start(self) -> str:
        self.plug()
        return self.path

    def stop(self) -> None:
        self.unplug()

    def __enter__(self) -> IdCardSimulator:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def plug(self) -> None:
        """Connect: a new pty (and the link pointing at it), served on a thread."""
        if self._thread is not None:
            return
        self._master, self._slave = pty.openpty()
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        if self._link is not None:
            with contextlib.suppress(FileNotFoundError):
                self._link.unlink()
            self._link.symlink_to(os.ttyname(self._slave))
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._serve, args=(self._master,), name="idcard-sim", daemon=True
        )
        self._thread.start()

    def unplug(self) -> None:
        """Disconnect: the link vanishes and the port's other end is closed under the driver."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join(2)
        if self._link is not None:
            with contextlib.suppress(FileNotFoundError):
                self._link.unlink()
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._master = self._slave = -1

    # --- cards and faults ------------------------------------------------------------------------

    def place(self, index: int) -> IdCard:
        """Lay the deck's card ``index`` on the reader."""
        card = self.deck[index]
        with self._lock:
            self._card, self._selected = card, False
        return card

    def remove(self) -> None:
        with self._lock:
            self._card, self._selected = None, False

    @property
    def card(self) -> IdCard | None:
        return self._card

    def inject(self, fault: Fault, times: int = 1) -> None:
        """Apply ``fault`` to the next ``times`` replies (FOREVER until ``clear_faults``)."""
        with self._lock:
            self._faults[fault] = times

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    # --- answering -------------------------------------------------------------------------------

    def answer(self, command: Command) -> tuple[SamStatus, bytes]:
        """The reader's reply to ``command`` in its present state (no fault applied)."""
        with self._lock:
            reading = command in (Command.READ_CARD, Command.READ_CARD_FINGERPRINT)
            if reading and self._take_fault(Fault.PULL_MID_READ):
                self._card, self._selected = None, False
                return SamStatus.READ_FAILED, b""
            if reading and self._take_fault(Fault.READ_FAILS):
                return SamStatus.READ_FAILED, b""
            card = self._card
            if command is Command.RESET_SAM:
                return SamStatus.OK, b""
            if command is Command.SAM_STATUS:
                return (SamStatus.SAM_SELF_TEST_FAILED if self.sam_failed else SamStatus.OK), b""
            if command is Command.READ_SAM_ID:
                return SamStatus.OK, SAM_ID
            if command is Command.FIND_CARD:
                return (SamStatus.FIND_OK, bytes(4)) if card else (SamStatus.NO_CARD, b"")
            if command is Command.SELECT_CARD:
                self._selected = card is not None
                return (SamStatus.OK, bytes(8)) if card else (SamStatus.SELECT_FAILED, b"")
            if card is None or not self._selected:
                return SamStatus.READ_FAILED, b""
            if command is Command.READ_ADDRESS:
                return SamStatus.NO_SUCH_ITEM, b""  # no address appended on our cards
            fingerprint = NO_FINGERPRINT if command is Command.READ_CARD_FINGERPRINT else None
            record = CardRecord(build_card_text(card), card.photo, fingerprint)
            return SamStatus.OK, build_read_data(record)

    def _take_fault(self, fault: Fault) -> bool:
        left = self._faults.get(fault, 0)
        if left == 0:
            return False
        if left > 0:
            self._faults[fault] = left - 1
        return True

    def _wire_reply(self, frame: bytes) -> bytes:
        try:
            command, _data = parse_request(frame)
        except ChecksumMismatch:
            return build_reply(SamStatus.CHECKSUM_ERROR)
        except UnknownCommand:
            return build_reply(SamStatus.BAD_COMMAND)
        except FrameError:
            return build_reply(SamStatus.LENGTH_ERROR)
        self.requests.append(command)
        reply = build_reply(*self.answer(command))
        with self._lock:
            fault = next((f for f in Fault if f not in _READ_FAULTS and self._take_fault(f)), None)
        return faulty(fault, reply, self._rng) if fault else reply

    # --- the serving thread ----------------------------------------------------------------------

    def _serve(self, master: int) -> None:
        assembler = FrameAssembler()
        while not self._stop.is_set():
            readable, _, _ = select.select([master], [], [], 0.05)
            if not readable:
                continue
            try:
                data = os.read(master, 4096)
            except BlockingIOError:
                continue
            except OSError:
                return  # closed under us: unplugged
            self.bytes_in += len(data)
            while True:
                try:
                    frame = assembler.feed(data)
                except BadLength:
                    self._send(master, build_reply(SamStatus.LENGTH_ERROR))
                    break
                data = b""
                if frame is None:
                    break
                # The request's own wire time: the pty delivered it at once.
                self._stop.wait(len(frame) * self._seconds_per_byte)
                self._send(master, self._wire_reply(frame))

    def _send(self, master: int, data: bytes) -> None:
        """Write at the wire speed; gives up when nobody reads (the driver is gone)."""
        start, sent = time.monotonic(), 0
        while sent < len(data) and not self._stop.is_set():
            chunk = data[sent : sent + 64]
            # A chunk is handed over when its last byte would have crossed the wire.
            due = start + (sent + len(chunk)) * self._seconds_per_byte
            if due > time.monotonic():
                self._stop.wait(due - time.monotonic())
            _, writable, _ = select.select([], [master], [], 0.5)
            if not writable:
                return
            try:
                written = os.write(master, chunk)
            except BlockingIOError:
                continue
            except OSError:
                return
            sent += written
            self.bytes_out += written


# --- standalone ----------------------------------------------------------------------------------

HELP = """commands: place N | remove | fault NAME [TIMES] | clear | sam ok|failed | unplug | plug
          | list | quit      faults: """ + ", ".join(f.value for f in Fault)


def _control(simulator: IdCardSimulator, line: str) -> str:
    """Run one typed command; returns what to print."""
    words = line.split()
    if not words:
        return ""
    verb, args = words[0], words[1:]
    try:
        if verb == "place":
            card = simulator.place(int(args[0]))
            return f"placed {card.kind.name} {mask(card.name, 1, 0)}"
        if verb == "remove":
            simulator.remove()
            return "removed"
        if verb == "fault":
            times = int(args[1]) if len(args) > 1 else 1
            simulator.inject(Fault(args[0]), times)
            return f"fault {args[0]} x{times if times >= 0 else 'forever'}"
        if verb == "clear":
            simulator.clear_faults()
            return "faults cleared"
        if verb == "sam":
            simulator.sam_failed = args[0] == "failed"
            return f"SAM {'failed' if simulator.sam_failed else 'ok'}"
        if verb == "unplug":
            simulator.unplug()
            return "unplugged"
        if verb == "plug":
            simulator.plug()
            return f"plugged in at {simulator.path}"
        if verb == "list":
            return "\n".join(
                f"{i}: {card.kind.name} {mask(card.name, 1, 0)} {mask(card.id_number, 2, 2)}"
                for i, card in enumerate(simulator.deck)
            )
    except (IndexError, ValueError) as error:
        return f"? {error}"
    return HELP


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kiosk-sim idcard", description="A SAM-protocol ID-card reader on a pseudo-terminal."
    )
    parser.add_argument("--card", type=int, help="deck position of a card placed at start")
    parser.add_argument("--link", help="stable path (symlink) to the port, like /dev/serial/by-id")
    parser.add_argument("--baud", type=int, default=115200, help="wire speed to pace at (0: none)")
    parser.add_argument("--deck", type=Path, help="residents TOML (default: the demo residents)")
    parser.add_argument("--sam-failed", action="store_true", help="SAM self-test fails")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME[=TIMES]",
        help=f"inject a fault at start ({', '.join(f.value for f in Fault)}); TIMES -1: always",
    )
    options = parser.parse_args(argv)
    try:
        deck = load_deck(options.deck) if options.deck else None
        simulator = IdCardSimulator(deck, link=options.link, baud=options.baud or None)
        if options.card is not None:
            simulator.place(options.card)
        for spec in options.fault:
            name, _, times = spec.partition("=")
            simulator.inject(Fault(name), int(times or 1))
    except (IndexError, ValueError, OSError) as error:
        print(f"kiosk-sim idcard: {error}", file=sys.stderr)
        return 2
    simulator.sam_failed = options.sam_failed
    done = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: done.set())
    simulator.start()
    print(simulator.path, flush=True)

    def read_commands() -> None:
        for line in sys.stdin:
            if line.strip() == "quit":
                done.set()
                return
            reply = _control(simulator, line)
            if reply:
                print(reply, flush=True)
        # stdin closed (e.g. run in the background): serve on until signalled.

    threading.Thread(target=read_commands, name="idcard-sim-stdin", daemon=True).start()
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
