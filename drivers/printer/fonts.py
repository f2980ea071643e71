"""The CJK font that prints what the printer's own font cannot, and draws the simulator's receipts.

Noto Sans CJK (Debian's fonts-noto-cjk) carries GB 18030 and the common Extension B characters
of names (𠮷, 𡒄, ...). Found through fontconfig, then at the known Debian paths; without it,
Pillow's own font is used and a warning says rare characters will print as boxes.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

_KNOWN = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2: Simplified Chinese
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@functools.cache
def cjk_font_file() -> tuple[Path, int] | None:
    """The font file and its face index in a collection, or None when none is installed.

    The places the distributions' CJK packages put their font come first: a look costs a file
    check, where asking fontconfig costs a process.
    """
    for known, index in _KNOWN:
        if Path(known).is_file():
            return Path(known), index
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}\n%{index}", "Noto Sans CJK SC:lang=zh-cn"],
                capture_output=True,
                text=True,
                timeout=5,
                check=True,
            ).stdout.split("\n")
            path = Path(found[0])
            # fc-match always answers something; only a CJK face will do.
            if path.is_file() and ("CJK" in path.name or "wqy" in path.name):
                return path, int(found[1] or 0)
        except (OSError, subprocess.SubprocessError, ValueError, IndexError):
            pass
    return None


@functools.cache
def cjk_font(size: int) -> Font:
    """The CJK font at ``size`` pixels; Pillow's default font (no CJK) if none is installed."""
    found = cjk_font_file()
    if found is None:
        log.warning("no CJK font found (install fonts-noto-cjk): rare characters print as boxes")
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(found[0]), size, index=found[1])


def font_metrics(font: Font) -> tuple[int, int]:
    """The font's ascent and descent in dots: a line must hold both, or descenders are cut.
    Pillow's bitmap font (no CJK font installed) has no metrics: its bounding box stands in."""
    if isinstance(font, ImageFont.FreeTypeFont):
        return font.getmetrics()
    return font.getbbox("Ag")[3], 0
