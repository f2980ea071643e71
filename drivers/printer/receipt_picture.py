"""Paper for the simulated printer: ESC/POS commands drawn as a picture of the receipt.

Text is drawn with the CJK font at the printer font's height, raster lines are pasted dot for dot,
native QR symbols are drawn with the ``qrcode`` package. Beside the picture, a transcript (the
text lines, ``[raster WxH]``, ``[QR data]``) lets tests and technicians read what was printed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import qrcode
from PIL import Image, ImageChops, ImageDraw

from drivers.printer.escpos_bytes import PrinterModel
from drivers.printer.escpos_reader import (
    ChineseMode,
    Command,
    FeedLines,
    Initialize,
    LineFeed,
    PrintMode,
    QrFunction,
    Raster,
    SetAlign,
    SetBold,
    SetSize,
    Text,
)
from drivers.printer.fonts import Font, cjk_font, font_metrics

_QR_ERROR = {
    48: qrcode.constants.ERROR_CORRECT_L,
    49: qrcode.constants.ERROR_CORRECT_M,
    50: qrcode.constants.ERROR_CORRECT_Q,
    51: qrcode.constants.ERROR_CORRECT_H,
}


def _columns(text: str) -> int:
    """Printed width: 1 column for printable ASCII, 2 for anything else (a full-width cell)."""
    return sum(1 if " " <= ch <= "~" else 2 for ch in text)


@dataclass
class PrintedReceipt:
    """One receipt as it left the printer: the picture and what could be read off it."""

    picture: Image.Image
    transcript: list[str]
    rasters: list[tuple[int, Image.Image]] = field(default_factory=list)  # (y, picture)

    def text(self) -> str:
        return "\n".join(self.transcript)


class ReceiptPaper:
    """The paper coming out of the printer since the last cut, and the print modes in force."""

    def __init__(self, model: PrinterModel) -> None:
        self.model = model
        ascent, descent = font_metrics(cjk_font(model.font_dots))
        self._line_height = ascent + descent + 2  # a text line's height, as _add_text_row draws it
        self._reset_modes()
        self._blocks: list[Image.Image] = []
        self._transcript: list[str] = []
        self._rasters: list[tuple[int, Image.Image]] = []
        self._height = 0
        self._pending = b""
        self._qr_data = b""
        self._qr_module = 3
        self._qr_error = 48

    @property
    def blank(self) -> bool:
        """Nothing printed on it yet (feeds leave no ink)."""
        return not any(self._transcript) and not self._pending.strip()

    def apply(self, command: Command) -> None:
        match command:
            case Text(data):
                self._pending += data
            case LineFeed():
                self._print_line()
            case Initialize():
                self._pending = b""  # the unprinted buffer is cleared; what printed stays
                self._reset_modes()
            case SetAlign(align):
                self._align = align if align in (0, 1, 2) else 0
            case SetBold(on):
                self._bold = on
            case SetSize(width, height):
                self._size = (width, height)
            case PrintMode(bold, width, height):
                self._bold, self._size = bold, (width, height)
            case ChineseMode(on):
                self._chinese = on
            case FeedLines(lines):
                self._print_line(if_pending=True)
                self._add(Image.new("1", (self.model.width_dots, lines * self._line_height), 1))
            case Raster(width_bytes, height, data):
                self._print_line(if_pending=True)
                picture = Image.frombytes("1", (width_bytes * 8, height), data)
                picture = picture.point(lambda v: 255 - v)  # ESC/POS: 1 is black
                self._rasters.append((self._height, picture))
                self._transcript.append(f"[raster {width_bytes * 8}x{height}]")
                self._add(picture)
            case QrFunction(fn, params):
                self._qr(fn, params)

    def tear_off(self) -> PrintedReceipt:
        """The receipt cut (or torn) off here, and fresh paper after it."""
        self._print_line(if_pending=True)
        width = self.model.width_dots
        picture = Image.new("L", (width, max(self._height, 1)), 255)
        y = 0
        for block in self._blocks:
            picture.paste(
                block.convert("L").crop((0, 0, min(block.width, width), block.height)), (0, y)
            )
            y += block.height
        receipt = PrintedReceipt(picture, self._transcript, self._rasters)
        self._blocks, self._transcript, self._rasters, self._height = [], [], [], 0
        return receipt

    # drawing

    def _reset_modes(self) -> None:
        self._align, self._bold, self._size, self._chinese = 0, False, (1, 1), True

    def _add(self, block: Image.Image) -> None:
        x = {0: 0, 1: (self.model.width_dots - block.width) // 2}.get(
            self._align, self.model.width_dots - block.width
        )
        if block.width < self.model.width_dots and x > 0:
            placed = Image.new("1", (self.model.width_dots, block.height), 1)
            placed.paste(block, (x, 0))
            block = placed
        self._blocks.append(block)
        self._height += block.height

    def _print_line(self, *, if_pending: bool = False) -> None:
        if if_pending and not self._pending:
            return
        text = self._pending.decode("gb18030" if self._chinese else "cp437", errors="replace")
        self._pending = b""
        self._transcript.append(text)
        x_scale, y_scale = self._size
        # As the printer does: ASCII in half-width cells, everything else in full-width ones, so
        # columns padded with spaces line up on the picture as they do on paper; double width
        # doubles each cell, and what passes the paper's columns wraps onto the next line.
        columns = max(self.model.width_chars // x_scale, 1)
        rows: list[str] = []
        for ch in text:
            if not rows or _columns(rows[-1] + ch) > columns:
                rows.append("")
            rows[-1] += ch
        for row in rows or [""]:
            self._add_text_row(row, x_scale, y_scale)

    def _add_text_row(self, text: str, x_scale: int, y_scale: int) -> None:
        # Drawn with the font at the larger scale, then squeezed along the other axis (if any):
        # a normal drawing blown up comes out in blocks, its bold strokes run together.
        scale = max(x_scale, y_scale)
        font = cjk_font(self.model.font_dots * scale)
        ascent, descent = font_metrics(font)
        pad = scale  # a dot above and below: room for the bold stroke
        width = self.model.width_dots // x_scale * scale
        line = Image.new("L", (width, ascent + descent + 2 * pad), 255)
        half = self.model.font_dots // 2 * scale
        cells = [half if " " <= ch <= "~" else 2 * half for ch in text]
        x = max({0: 0, 1: (width - sum(cells)) // 2}.get(self._align, width - sum(cells)), 0)
        for ch, cell in zip(text, cells, strict=True):
            self._draw_in_cell(line, ch, font, x, cell, pad + ascent)
            x += cell
        if x_scale != y_scale:
            size = (line.width * x_scale // scale, line.height * y_scale // scale)
            line = line.resize(size, Image.Resampling.LANCZOS)
        self._blocks.append(line.point(lambda v: 255 if v > 128 else 0, "1"))  # no dithering
        self._height += line.height

    def _draw_in_cell(
        self, line: Image.Image, ch: str, font: Font, x: int, cell: int, baseline: int
    ) -> None:
        """One character in its cell. A glyph wider than the cell (m, W, M in the CJK font's
        Latin) is drawn apart and squeezed into it, as the printer's own 12x24 font fits them:
        drawn at its width it would run into its neighbours ("Amount" reading "Arnount")."""
        bold = int(self._bold)
        advance = font.getlength(ch)
        if advance <= cell:
            ImageDraw.Draw(line).text(
                (x + (cell - advance) / 2, baseline),  # the whole descent fits under it
                ch,
                font=font,
                fill=0,
                anchor="ls",
                stroke_width=bold,
                stroke_fill=0,
            )
            return
        glyph = Image.new("L", (math.ceil(advance) + 2 * bold, line.height), 255)
        ImageDraw.Draw(glyph).text(
            (bold, baseline), ch, font=font, fill=0, anchor="ls", stroke_width=bold, stroke_fill=0
        )
        glyph = glyph.resize((cell, line.height), Image.Resampling.LANCZOS)
        box = (x, 0, x + cell, line.height)
        line.paste(ImageChops.darker(line.crop(box), glyph), box)

    def _qr(self, fn: int, params: bytes) -> None:
        if fn == 67 and params:
            self._qr_module = max(1, min(params[0], 16))
        elif fn == 69 and params:
            self._qr_error = params[0]
        elif fn == 80 and params:
            self._qr_data = params[1:]  # m = 48, then the data
        elif fn == 81:
            self._print_line(if_pending=True)
            data = self._qr_data.decode("utf-8", errors="replace")
            symbol = qrcode.QRCode(
                error_correction=_QR_ERROR.get(self._qr_error, qrcode.constants.ERROR_CORRECT_L),
                box_size=self._qr_module,
                border=1,
            )
            symbol.add_data(data)
            try:
                symbol.make(fit=True)
            except ValueError:
                self._transcript.append("[QR too long]")
                return
            picture = symbol.make_image().get_image().convert("1")
            if picture.width > self.model.width_dots:
                picture = picture.resize((self.model.width_dots, self.model.width_dots))
            self._transcript.append(f"[QR {data}]")
            self._add(picture)
