"""Golden bytes of the ESC/POS layer: what a PrintJob becomes on the wire."""

from __future__ import annotations

from PIL import Image, ImageOps

from drivers.contracts import Align, Cut, Feed, PrintJob, QrCode, TextLine, TextSize
from drivers.printer.escpos_bytes import (
    MODELS,
    PrinterModel,
    cut_bytes,
    draw_line,
    feed_bytes,
    font_can_print,
    job_chunks,
    qr_bytes,
    text_line_bytes,
)

MODEL = MODELS["58mm"]


def test_native_qr_is_the_reference_sequence() -> None:
    data = b"https://inv.example/e?id=42"
    store = bytes([len(data) + 3, 0]) + b"\x31\x50\x30" + data
    assert qr_bytes(QrCode(data.decode(), module_size=4, align=Align.LEFT), MODEL) == (
        b"\x1b\x61\x00"
        + bytes.fromhex("1D 28 6B 04 00 31 41 32 00")  # model 2
        + bytes.fromhex("1D 28 6B 03 00 31 43 04")  # module size 4
        + bytes.fromhex("1D 28 6B 03 00 31 45 30")  # error correction L
        + b"\x1d\x28\x6b"
        + store
        + bytes.fromhex("1D 28 6B 03 00 31 51 30")  # print
        + b"\n"
    )


def test_chinese_text_is_gb18030_with_the_full_width_yen_sign() -> None:
    line = TextLine("金额 ¥12.50", bold=True, align=Align.RIGHT)
    assert text_line_bytes(line, MODEL) == bytes.fromhex(
        "1B 61 02 1D 21 00 1B 45 01 BD F0 B6 EE 20 A3 A4 31 32 2E 35 30 0A 1D 21 00 1B 45 00"
    )


def test_sizes_are_gs_exclamation() -> None:
    sizes = {
        TextSize.NORMAL: 0x00,
        TextSize.DOUBLE_HEIGHT: 0x01,
        TextSize.DOUBLE_WIDTH: 0x10,
        TextSize.DOUBLE: 0x11,
    }
    for size, n in sizes.items():
        assert text_line_bytes(TextLine("A", size=size), MODEL)[3:6] == bytes([0x1D, 0x21, n])


def test_feed_and_cuts() -> None:
    assert feed_bytes(Feed(3)) == b"\x1b\x64\x03"
    assert cut_bytes(Cut(partial=True), MODEL) == bytes.fromhex("1B 64 06 1D 56 01")
    assert cut_bytes(Cut(partial=False), MODEL) == bytes.fromhex("1B 64 06 1D 56 00")
    no_cutter = PrinterModel("tear bar", 384, 32, cutter=False)
    assert b"\x1d\x56" not in cut_bytes(Cut(), no_cutter)


def test_chinese_mode_only_where_needed() -> None:
    chinese = PrintJob((TextLine("国网电费"), Cut()))
    ascii_only = PrintJob((TextLine("KIOSK 0001"), Cut()))
    assert job_chunks(chinese, MODEL)[0] == b"\x1b\x40\x1c\x26"
    assert job_chunks(ascii_only, MODEL)[0] == b"\x1b\x40"


def test_what_the_printer_font_carries() -> None:
    assert font_can_print("户名: 王吉 ¥12.50", MODEL)
    assert not font_can_print("王𠮷", MODEL)  # U+20BB7, CJK Extension B
    assert not font_can_print("㐀", MODEL)  # CJK Extension A
    assert not font_can_print("堃", MODEL)  # GBK, not GB 2312: not in every printer font


def test_a_line_with_a_rare_character_goes_as_the_raster_of_its_drawing() -> None:
    line = TextLine("户名: 王𠮷", align=Align.CENTER)
    sent = text_line_bytes(line, MODEL)
    drawing = draw_line(line, MODEL)
    header = sent.index(b"\x1d\x76\x30\x00")
    width_bytes, height = sent[header + 4] | sent[header + 5] << 8, sent[header + 6]
    # At least the printer's line spacing; taller by what the font's descent needs.
    assert drawing.width == MODEL.width_dots and height == drawing.height >= 30
    assert 8 * width_bytes < MODEL.width_dots  # the white right of the text is not sent
    data = sent[header + 8 : header + 8 + width_bytes * height]
    received = Image.frombytes("1", (width_bytes * 8, height), data).point(lambda v: 255 - v)
    on_paper = Image.new("1", drawing.size, 1)
    on_paper.paste(received, (0, 0))
    assert on_paper.tobytes() == drawing.tobytes()
    assert "𠮷".encode("gb18030") not in sent  # never as text the font would lose


def test_a_printer_without_native_qr_gets_a_picture() -> None:
    no_qr = PrinterModel("old", 384, 32, native_qr=False)
    sent = qr_bytes(QrCode("https://inv.example/e?id=42"), no_qr)
    assert b"\x1d\x28\x6b" not in sent and b"\x1d\x76\x30" in sent
    assert len(sent) > 10 * len(qr_bytes(QrCode("https://inv.example/e?id=42"), MODEL))


def test_a_reprint_says_so_first() -> None:
    job = PrintJob((TextLine("缴费凭证"), Cut()))
    chunks = job_chunks(job, MODEL, reprint=True)
    assert chunks[0].startswith(b"\x1b\x40" + cut_bytes(Cut(partial=False), MODEL))
    assert "REPRINT / 重打".encode("gb18030") in chunks[1]
    assert not any("重打".encode("gb18030") in c for c in job_chunks(job, MODEL))


def test_capabilities_are_data() -> None:
    assert MODELS["80mm"].capabilities().paper_width_chars == 48
    assert MODELS["80mm"].width_dots == 576
    assert MODELS["58mm"].capabilities().native_qr


def test_a_line_sent_as_a_picture_keeps_the_feet_of_its_letters() -> None:
    # Lines the printer's own font lacks go as pictures; their g, j, p, y must not lose their
    # descenders on paper: the lowest row of the drawing stays blank.
    drawing = draw_line(TextLine("户名: Ygjpqy 王𠮷"), MODEL).convert("L")
    box = ImageOps.invert(drawing).getbbox()  # the box around the ink
    assert box is not None and box[3] < drawing.height  # a blank row under the lowest ink
