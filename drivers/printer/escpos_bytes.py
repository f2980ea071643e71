"""A PrintJob as the ESC/POS bytes a Chinese receipt printer understands.

Pure: no port, no thread. Text goes as GB18030 in Chinese mode (``FS &``); the printer's own font
carries GB 2312, so a line with anything else in it (a rare character of a name such as 𠮷,
CJK Extension A/B) is drawn with the CJK font and sent as a raster image (``GS v 0``): every
character of a name comes out right, at the cost of more bytes. The e-invoice QR is native
(``GS ( k``), about 25 times less data than a picture of it. python-escpos builds the commands it
does well (raster images, QR, cut) on its collecting ``Dummy`` printer.

A job is returned as chunks that end on command boundaries, so the driver can ask the printer's
status between them without cutting a command in two.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageOps

from drivers.contracts import (
    REPRINT_MARK,
    Align,
    Cut,
    Feed,
    PrinterCapabilities,
    PrintJob,
    PrintLine,
    QrCode,
    TextLine,
    TextSize,
)
from drivers.printer.fonts import cjk_font, font_metrics

ESC, GS, FS, LF = b"\x1b", b"\x1d", b"\x1c", b"\n"
INITIALIZE = ESC + b"@"
CHINESE_MODE_ON = FS + b"&"
CHINESE_MODE_OFF = FS + b"."
_ALIGN = {Align.LEFT: 0, Align.CENTER: 1, Align.RIGHT: 2}
_SIZE = {TextSize.NORMAL: 0x00, TextSize.DOUBLE_HEIGHT: 0x01, TextSize.DOUBLE_WIDTH: 0x10}
_SIZE[TextSize.DOUBLE] = 0x11

# U+00A5 is not in GB 2312; the full-width yen sign (A3 A4) is, and is what Chinese receipts use.
_FONT_SUBSTITUTES = str.maketrans({"\u00a5": "\uffe5"})


@dataclass(frozen=True)
class PrinterModel:
    """What one kind of printer can do, as data (python-escpos's capabilities, our fields)."""

    name: str
    width_dots: int  # printable width: 384 on 58 mm paper, 576 on 80 mm (203 dpi)
    width_chars: int  # normal-size ASCII columns (12x24 font)
    font_dots: int = 24  # height of the built-in font; raster lines are drawn this high
    charset: str = "gb2312"  # what the built-in Chinese font carries
    native_qr: bool = True
    cutter: bool = True

    def capabilities(self) -> PrinterCapabilities:
        return PrinterCapabilities(
            paper_width_chars=self.width_chars, native_qr=self.native_qr, cutter=self.cutter
        )


MODELS: dict[str, PrinterModel] = {
    "58mm": PrinterModel("58mm", width_dots=384, width_chars=32),
    "80mm": PrinterModel("80mm", width_dots=576, width_chars=48),
}


def font_can_print(text: str, model: PrinterModel) -> bool:
    """True when the printer's own font carries every character of ``text``."""
    for ch in text.translate(_FONT_SUBSTITUTES):
        if " " <= ch <= "~":
            continue
        try:
            ch.encode(model.charset)
        except UnicodeEncodeError:
            return False
    return True


def encode_text(text: str) -> bytes:
    """GB18030 bytes of a line the font can print (GB 2312 encodes the same in GB18030)."""
    return text.translate(_FONT_SUBSTITUTES).encode("gb18030")


def _collector(model: PrinterModel) -> Dummy:
    printer = Dummy()
    # The profile's data is shared by every Dummy: give this one its own copy, with the width.
    data = copy.deepcopy(printer.profile.profile_data)
    data["media"]["width"]["pixels"] = model.width_dots
    printer.profile.profile_data = data
    return printer


def raster_bytes(image: Image.Image, model: PrinterModel) -> bytes:
    """``GS v 0`` for a picture at most the paper's width."""
    printer = _collector(model)
    printer.image(image, impl="bitImageRaster", center=False)
    return printer.output


def draw_line(line: TextLine, model: PrinterModel) -> Image.Image:
    """The line drawn as the printer would print it: paper-wide, black on white, one bit deep.

    Wraps at the paper's width; double width and height are the normal drawing scaled up.
    """
    x_scale = 2 if line.size in (TextSize.DOUBLE_WIDTH, TextSize.DOUBLE) else 1
    y_scale = 2 if line.size in (TextSize.DOUBLE_HEIGHT, TextSize.DOUBLE) else 1
    font = cjk_font(model.font_dots)
    width = model.width_dots // x_scale
    rows = _wrap_pixels(line.text, width, font)
    ascent, descent = font_metrics(font)
    # Like the printer's line spacing, so it reads the same; taller if the font needs it, or
    # the feet of g, j, p, y (and of some rare characters) would be cut off on paper.
    row_height = max(model.font_dots + 6, ascent + descent + 2)
    canvas = Image.new("L", (width, row_height * len(rows)), 255)
    pen = ImageDraw.Draw(canvas)
    for index, row in enumerate(rows):
        used = int(font.getlength(row))
        x = {Align.LEFT: 0, Align.CENTER: (width - used) // 2, Align.RIGHT: width - used}
        pen.text(
            (max(x[line.align], 0), index * row_height + 1 + ascent),
            row,
            font=font,
            fill=0,
            anchor="ls",  # on the baseline: the whole descent fits under it
            stroke_width=1 if line.bold else 0,
            stroke_fill=0,
        )
    if x_scale != 1 or y_scale != 1:
        canvas = canvas.resize((width * x_scale, canvas.height * y_scale), Image.Resampling.NEAREST)
    return canvas.point(lambda v: 255 if v > 128 else 0).convert("1")


def _trimmed(picture: Image.Image) -> Image.Image:
    box = ImageOps.invert(picture.convert("L")).getbbox()
    right = -(-box[2] // 8) * 8 if box else 8  # whole bytes
    return picture.crop((0, 0, min(right, picture.width), picture.height))


def _wrap_pixels(text: str, width: int, font: object) -> list[str]:
    rows, current = [], ""
    for ch in text:
        if current and font.getlength(current + ch) > width:  # type: ignore[attr-defined]
            rows.append(current)
            current = ""
        current += ch
    rows.append(current)
    return rows


def text_line_bytes(line: TextLine, model: PrinterModel) -> bytes:
    if not font_can_print(line.text, model):
        # Alignment and size are drawn into the picture; the printer gets left-aligned pixels,
        # with the white right of the text left off: on a serial line every byte is time.
        return ESC + b"a\x00" + raster_bytes(_trimmed(draw_line(line, model)), model)
    return (
        ESC
        + b"a"
        + bytes([_ALIGN[line.align]])
        + GS
        + b"!"
        + bytes([_SIZE[line.size]])
        + ESC
        + b"E"
        + bytes([1 if line.bold else 0])
        + encode_text(line.text)
        + LF
        + GS
        + b"!\x00"
        + ESC
        + b"E\x00"
    )


def qr_bytes(qr: QrCode, model: PrinterModel) -> bytes:
    """Native ``GS ( k`` (model 2, error correction L) or, on a printer without it, a picture."""
    printer = _collector(model)
    printer.qr(qr.data, ec=0, size=qr.module_size, model=2, native=model.native_qr)
    return ESC + b"a" + bytes([_ALIGN[qr.align]]) + printer.output + LF


def feed_bytes(feed: Feed) -> bytes:
    return ESC + b"d" + bytes([feed.lines])


def cut_bytes(cut: Cut, model: PrinterModel) -> bytes:
    printer = _collector(model)
    if model.cutter:
        printer.cut(mode="PART" if cut.partial else "FULL")
    else:
        printer.ln(6)  # past the tear bar
    return printer.output


def line_bytes(line: PrintLine, model: PrinterModel) -> bytes:
    if isinstance(line, TextLine):
        return text_line_bytes(line, model)
    if isinstance(line, QrCode):
        return qr_bytes(line, model)
    if isinstance(line, Feed):
        return feed_bytes(line)
    return cut_bytes(line, model)


def job_chunks(job: PrintJob, model: PrinterModel, *, reprint: bool = False) -> list[bytes]:
    """The job's bytes, one chunk per line after the start (initialize, Chinese mode).

    ``reprint``: the job may have printed in part before. The copy starts by cutting off what
    part of it hangs at the print head (after a pulled cable it is still there), and says
    "REPRINT / 重打" at the top.
    """
    lines = (REPRINT_MARK, *job.lines) if reprint else job.lines
    start = INITIALIZE
    if reprint and model.cutter:
        start += cut_bytes(Cut(partial=False), model)
    if any(isinstance(line, TextLine) and not line.text.isascii() for line in lines):
        start += CHINESE_MODE_ON
    return [start, *(line_bytes(line, model) for line in lines)]


def job_bytes(job: PrintJob, model: PrinterModel, *, reprint: bool = False) -> bytes:
    return b"".join(job_chunks(job, model, reprint=reprint))
