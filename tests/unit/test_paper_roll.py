"""The receipt roll's estimate: a job's length from its lines, what is left of a roll."""

from __future__ import annotations

import pytest

from drivers.contracts import Cut, Feed, PrintJob, QrCode, TextLine, TextSize
from kiosk.services.paper_roll import CUT_MM, LINE_MM, PaperRoll, job_length_mm


def test_a_jobs_length_adds_up_its_lines() -> None:
    assert job_length_mm(PrintJob((TextLine("电费"),))) == pytest.approx(LINE_MM)
    tall = PrintJob((TextLine("缴费凭证", size=TextSize.DOUBLE),))
    assert job_length_mm(tall) == pytest.approx(2 * LINE_MM)
    assert job_length_mm(PrintJob((Feed(3), Cut()))) == pytest.approx(3 * LINE_MM + CUT_MM)
    qr = job_length_mm(PrintJob((QrCode("https://example.invalid/x", module_size=6),)))
    assert 25 < qr < 35  # some 25 mm square and a line


def test_a_typical_receipt_is_some_centimetres() -> None:
    receipt = PrintJob(
        (*(TextLine(f"line {n}") for n in range(20)), QrCode("x" * 40), Feed(2), Cut())
    )
    assert 100 < job_length_mm(receipt) < 140


def test_what_is_left_of_a_roll() -> None:
    roll = PaperRoll(50_000)
    assert roll.left_pct == 100
    job = PrintJob((Feed(255),) * 40)  # ~38 m of feed
    used = roll.after(job)
    assert used.left_pct == 24 and round(used.left_mm) == 11_750
    assert used.after(job).left_mm == 0 and used.after(job).left_pct == 0
