"""DLE EOT, GS r 1 and ASB replies: every documented reply, and UNKNOWN for anything else."""

from __future__ import annotations

import pytest

from drivers.contracts import PrinterStatus
from drivers.printer.status import (
    GOLDEN_REPLIES,
    InvalidStatusReply,
    parse_asb,
    parse_condition,
    parse_error_cause,
    parse_gs_r_paper,
    parse_offline_cause,
    parse_paper,
    parse_printer,
    status_of,
    status_request,
)

EXPECTED = {
    "normal": PrinterStatus.ONLINE,
    "near-end": PrinterStatus.PAPER_NEAR_END,
    "paper-out": PrinterStatus.PAPER_OUT,
    "cover-open": PrinterStatus.COVER_OPEN,
    "offline": PrinterStatus.OFFLINE,
    "cutter-error": PrinterStatus.OFFLINE,
}


def _replies(state: str) -> tuple[bytes, bytes, bytes, bytes]:
    return tuple(bytes([b]) for b in GOLDEN_REPLIES[state])  # type: ignore[return-value]


@pytest.mark.parametrize("state", sorted(EXPECTED))
def test_each_golden_state_reads_as_its_status(state: str) -> None:
    assert status_of(_replies(state)) is EXPECTED[state]
    assert parse_condition(_replies(state)).status is EXPECTED[state]


def test_details_name_the_cause() -> None:
    assert parse_condition(_replies("cutter-error")).detail == "autocutter error"
    assert parse_condition(_replies("paper-out")).detail == "paper out"
    assert parse_condition(_replies("offline")).detail == "offline"
    assert parse_condition(_replies("normal")).detail == "online"


def test_requests() -> None:
    assert [status_request(n) for n in (1, 4)] == [b"\x10\x04\x01", b"\x10\x04\x04"]
    with pytest.raises(ValueError):
        status_request(5)


def test_the_documented_bits() -> None:
    assert not parse_printer(b"\x12").offline
    assert parse_printer(b"\x1a").offline
    assert parse_printer(b"\x32").waiting_for_recovery
    assert parse_offline_cause(b"\x16").cover_open
    assert parse_offline_cause(b"\x32").stopped_at_paper_end
    assert parse_offline_cause(b"\x52").error
    assert parse_error_cause(b"\x1a").autocutter
    assert parse_error_cause(b"\x32").unrecoverable
    near, out, both = parse_paper(b"\x1e"), parse_paper(b"\x72"), parse_paper(b"\x7e")
    assert (near.near_end, near.paper_out) == (True, False)
    assert (out.near_end, out.paper_out) == (False, True)
    assert (both.near_end, both.paper_out) == (True, True)


@pytest.mark.parametrize("reply", [b"", b"\x00", b"\xff", b"\x13", b"\x92", b"\x12\x12"])
def test_anything_but_a_reply_is_invalid_never_paper_out(reply: bytes) -> None:
    for parse in (parse_printer, parse_offline_cause, parse_error_cause, parse_paper):
        with pytest.raises(InvalidStatusReply):
            parse(reply)
    assert status_of((b"\x12", b"\x12", b"\x12", reply)) is PrinterStatus.UNKNOWN


def test_a_timeout_is_unknown() -> None:
    assert status_of((None, None, None, None)) is PrinterStatus.UNKNOWN
    assert status_of((b"\x12", b"\x12", b"\x12", None)) is PrinterStatus.UNKNOWN
    assert status_of((b"\x12",)) is PrinterStatus.UNKNOWN


def test_gs_r_paper_sensor() -> None:
    assert parse_gs_r_paper(b"\x03").near_end
    assert parse_gs_r_paper(b"\x0c").paper_out
    assert parse_gs_r_paper(b"\x00") == parse_paper(b"\x12")
    for bad in (b"", b"\x90", b"\x10", b"\x00\x00"):
        with pytest.raises(InvalidStatusReply):
            parse_gs_r_paper(bad)


def test_automatic_status_back() -> None:
    assert parse_asb(b"\x10\x00\x00\x00").status is PrinterStatus.ONLINE
    assert parse_asb(b"\x18\x00\x00\x00").status is PrinterStatus.OFFLINE
    assert parse_asb(b"\x38\x00\x00\x00").status is PrinterStatus.COVER_OPEN
    assert parse_asb(b"\x10\x00\x03\x00").status is PrinterStatus.PAPER_NEAR_END
    assert parse_asb(b"\x18\x00\x0f\x00").status is PrinterStatus.PAPER_OUT
    autocutter = parse_asb(b"\x18\x08\x00\x00")
    assert (autocutter.status, autocutter.detail) == (PrinterStatus.OFFLINE, "autocutter error")
    for bad in (b"", b"\x10\x00\x00", b"\x00\x00\x00\x00", b"\x10\x80\x00\x00"):
        with pytest.raises(InvalidStatusReply):
            parse_asb(bad)
