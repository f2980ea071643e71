"""The scanner simulator's command parsing, from raw bytes: in the order the host sent them."""

from __future__ import annotations

import pytest

from drivers.scanner.models import model_named
from drivers.scanner.simulator import take_commands

HONEYWELL = model_named("honeywell")
START, STOP = HONEYWELL.start, HONEYWELL.stop


@pytest.mark.parametrize(
    "sent",
    [
        [START, STOP],
        [STOP, START],  # a start after a stop must not swallow the stop
        [START, START, STOP, START, STOP],
    ],
)
def test_commands_come_out_in_the_order_they_were_sent(sent: list[bytes]) -> None:
    buffer = bytearray(b"".join(sent))
    assert take_commands(buffer, (START, STOP)) == sent
    assert buffer == b""


def test_what_comes_before_a_command_is_dropped_and_a_cut_command_waits() -> None:
    buffer = bytearray(b"noise" + STOP + b"x" + START + START[:2])
    assert take_commands(buffer, (START, STOP)) == [STOP, START]
    assert buffer == START[:2]
    buffer += START[2:]
    assert take_commands(buffer, (START, STOP)) == [START]


def test_a_model_without_a_stop_command_still_reads_its_start() -> None:
    gm65 = model_named("gm65")
    buffer = bytearray(gm65.start * 2)
    assert take_commands(buffer, (gm65.start, gm65.stop)) == [gm65.start, gm65.start]
