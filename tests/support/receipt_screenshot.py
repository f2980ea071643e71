"""The README's picture of a printed receipt (docs/screenshots/receipt-58mm.png).

``python -m tests.support.receipt_screenshot docs/screenshots/receipt-58mm.png [--paper 80mm]``:
the arrears receipt of the receipt tests, as the driver's ESC/POS bytes, read back and drawn by
the printer simulator's paper, as the simulator saves a receipt.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from drivers.printer.escpos_bytes import MODELS, job_bytes
from drivers.printer.escpos_reader import CutPaper, EscPosReader
from drivers.printer.receipt_picture import ReceiptPaper
from tests.unit.test_receipt import _job


def receipt_picture(out: Path, paper: str = "58mm") -> Path:
    model = MODELS[paper]
    sheet = ReceiptPaper(model)
    for command in EscPosReader().feed(job_bytes(_job(width=model.width_chars), model)):
        if isinstance(command, CutPaper):
            break
        sheet.apply(command)
    sheet.tear_off().picture.save(out, optimize=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--paper", choices=sorted(MODELS), default="58mm")
    args = parser.parse_args(argv)
    print(receipt_picture(args.out, args.paper))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
