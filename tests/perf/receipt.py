"""Receipt benchmark: `python -m tests.perf.receipt [--runs N] [--baud 115200]`.

A typical payment receipt with a rare-character name (its line goes as a raster picture) and a
native QR for the e-invoice, against the baseline of the same receipt as plain text with the QR
as a picture. For each: bytes sent, the time those bytes take at the baud rate (10 bits a byte),
and the wall time measured from `print_job` to OutputCompleteEvent through the real driver and a
simulator on a pty that reads at the baud rate. Budget: under 2 s for the receipt.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from drivers.contracts import (
    Align,
    Cut,
    Feed,
    OutputCompleteEvent,
    PrinterStatus,
    PrintJob,
    QrCode,
    TextLine,
    TextSize,
)
from drivers.printer.escpos_bytes import MODELS, PrinterModel, job_bytes, line_bytes
from drivers.printer.printer import EscPosPrinter
from drivers.printer.simulator import PrinterSimulator

OURS = MODELS["58mm"]
# The same printer taken to carry every character as text, with no native QR.
BASELINE = PrinterModel("58mm, text only, picture QR", 384, 32, charset="gb18030", native_qr=False)
BUDGET_S = 2.0

RECEIPT = PrintJob(
    (
        TextLine("国网电力 营业基站", size=TextSize.DOUBLE, align=Align.CENTER),
        TextLine("电费缴费凭证", bold=True, align=Align.CENTER),
        TextLine("-" * 32),
        TextLine("户名: 王𠮷"),
        TextLine("户号: 3201****0001"),
        TextLine("账期: 2024-04"),
        TextLine("第一档 180 kWh x 0.5283 = 95.09"),
        TextLine("第二档  40 kWh x 0.5783 = 23.13"),
        TextLine("第三档   0 kWh x 0.8283 =  0.00"),
        TextLine("电费金额: ¥118.22", bold=True),
        TextLine("违约金:   ¥0.59"),
        TextLine("实缴金额: ¥118.81", size=TextSize.DOUBLE_HEIGHT, bold=True),
        TextLine("支付渠道: 微信支付"),
        TextLine("交易流水: 4200001234202405031234567890"),
        TextLine("时间: 2024-05-03 14:22:05"),
        TextLine("终端: KIOSK-320101-0007"),
        TextLine("扫码获取电子发票", align=Align.CENTER),
        QrCode("https://einvoice.example.cn/i?k=320101-0007-20240503-000123&c=8F3A", 5),
        Feed(3),
        Cut(),
    )
)


def _print_once(model: PrinterModel, baud: int, folder: Path) -> float:
    done = threading.Event()
    with PrinterSimulator(folder, baud=baud, link=folder / "printer") as simulator:
        printer = EscPosPrinter(url=simulator.url, paper=model, idle_poll_s=5)
        printer.open()
        try:
            printer.enable()
            deadline = time.monotonic() + 5
            while printer.status is not PrinterStatus.ONLINE and time.monotonic() < deadline:
                done.wait(0.005)
            printer.subscribe(lambda e: done.set() if isinstance(e, OutputCompleteEvent) else None)
            started = time.perf_counter()
            printer.print_job(RECEIPT)
            if not done.wait(30):
                raise RuntimeError("the receipt did not complete")
            elapsed = time.perf_counter() - started
        finally:
            printer.close()
        if len(simulator.receipts) != 1:
            raise RuntimeError(f"expected one receipt, got {len(simulator.receipts)}")
    return elapsed


def _row(name: str, value: float, baseline: float, unit: str, note: str = "") -> None:
    ratio = value / baseline if baseline else float("inf")
    print(
        f"{name:<30} {value:10.3f} {unit:<5} | baseline {baseline:10.3f} {unit:<5}"
        f" | ratio {ratio:5.2f} {note}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baud", type=int, default=115200)
    args = parser.parse_args(argv)

    ours_bytes, base_bytes = len(job_bytes(RECEIPT, OURS)), len(job_bytes(RECEIPT, BASELINE))
    ours_wall, base_wall = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):  # interleaved, so a busy moment hits both alike
            ours_wall.append(_print_once(OURS, args.baud, Path(tmp) / f"ours{run}"))
            base_wall.append(_print_once(BASELINE, args.baud, Path(tmp) / f"base{run}"))
    seconds = 10 / args.baud
    ours_s, base_s = statistics.median(ours_wall), statistics.median(base_wall)
    print(f"receipt at {args.baud} baud, {args.runs} runs, median; baseline: {BASELINE.name}")
    _row("bytes sent", ours_bytes, base_bytes, "B")
    _row("time on the line (computed)", ours_bytes * seconds, base_bytes * seconds, "s")
    name, qr = RECEIPT.lines[3], RECEIPT.lines[-3]
    _row(
        "  of which the name line",
        len(line_bytes(name, OURS)),
        len(line_bytes(name, BASELINE)),
        "B",
        "(raster: every character right)",
    )
    _row(
        "  of which the e-invoice QR",
        len(line_bytes(qr, OURS)),
        len(line_bytes(qr, BASELINE)),
        "B",
        "(native GS ( k vs picture)",
    )
    verdict = "within" if ours_s < BUDGET_S else "OVER"
    _row("wall time through the pty", ours_s, base_s, "s", f"({verdict} {BUDGET_S:.0f} s budget)")
    return 0 if ours_s < BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
