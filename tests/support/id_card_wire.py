"""An ID-card reader as the kiosk has one: the real SAM driver on a pseudo-terminal, against the
wire simulator holding the demo residents' cards, polling fast enough for a test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from drivers.idcard.reader import SamSerialIdCardReader
from drivers.idcard.simulator import IdCardSimulator
from drivers.simulated.idcard import load_deck
from tests.support.devices import running


@contextmanager
def card_reader(folder: Path) -> Iterator[tuple[IdCardSimulator, SamSerialIdCardReader]]:
    """(the simulator to place cards on, the running reader), closed and stopped after."""
    cards = IdCardSimulator(load_deck(), link=folder / "idcard", baud=None)
    cards.start()
    reader = SamSerialIdCardReader(
        url=f"serial://{cards.path}?baud=115200",
        poll_interval=0.02,
        reply_timeout=0.2,
        reconnect_after=0.05,
        idle_check=0.1,
    )
    reader_running = running(reader)
    next(reader_running)
    try:
        yield cards, reader
    finally:
        next(reader_running, None)
        cards.stop()
