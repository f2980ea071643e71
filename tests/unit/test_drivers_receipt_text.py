"""The plain-text picture of a receipt that tests and the demo read."""

from drivers.contracts import Align, Cut, Feed, PrintJob, QrCode, TextLine, TextSize
from drivers.simulated.printer import render_text


def test_alignment_counts_wide_characters_as_two_columns():
    job = PrintJob(
        (
            TextLine("电费缴费凭证", align=Align.CENTER),  # 12 columns
            TextLine("¥12.30", align=Align.RIGHT),
            TextLine("left"),
        )
    )
    lines = render_text(job, width=32).split("\n")
    assert lines[0] == " " * 10 + "电费缴费凭证"
    assert lines[1] == " " * 26 + "¥12.30"
    assert lines[2] == "left"


def test_double_width_text_takes_twice_the_room_and_wraps():
    job = PrintJob((TextLine("ABCDEFGHIJ", size=TextSize.DOUBLE, align=Align.CENTER),))
    lines = render_text(job, width=16).split("\n")
    assert lines == ["ABCDEFGH", "      IJ"]  # IJ is 4 columns wide, centred in 16


def test_long_text_wraps_without_splitting_a_character():
    lines = render_text(PrintJob((TextLine("王𠮷" * 5),)), width=8).split("\n")
    assert lines == ["王𠮷王𠮷", "王𠮷王𠮷", "王𠮷"]


def test_qr_feed_and_cut_are_visible():
    job = PrintJob((QrCode("https://pay/1", align=Align.LEFT), Feed(2), Cut(partial=False)))
    assert render_text(job, width=20).split("\n") == [
        "[QR https://pay/1]",
        "",
        "",
        "------- cut --------",
    ]
