"""UI-thread stalls while a bill is fetched from a center that answers after one second.

A 5 ms precise timer on the UI thread records when it really fires; the longest gap beyond its
interval is the longest the screen could not react. Baseline: the same timer over the same
time with the kiosk shown and nothing fetched. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

INTERVAL_MS = 5


def main(center_url: str, data_dir: str, account: str) -> int:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import RunningKiosk
    from kiosk.config import load_config

    app = QApplication(sys.argv[:1])
    config = load_config(overrides={"center": {"url": center_url}, "kiosk": {"data_dir": data_dir}})
    running = RunningKiosk(config, demo=False)
    window = running.window

    from tests.perf.ui_thread import StallMeter, run_for, run_until

    window.start_session()
    window.show_screen(window.entry.name)

    run_until(lambda: running.services.ready, 30)
    meter = StallMeter()
    # Baseline: the kiosk on screen, nothing happening, as long as the fetch will take.
    meter.start()
    run_for(1.3)
    idle = meter.stop()

    meter.start()
    for digit in account:
        window.entry.keypad.digit_keys[digit].click()
    started = time.monotonic()
    window.entry.keypad.confirm_key.click()
    run_until(lambda: window.navigator.current == "bill", 15)
    fetch_s = time.monotonic() - started
    # Painting the bill is part of the job: keep measuring until it has been drawn.
    window.grab()
    app.processEvents()
    busy = meter.stop()
    shown = window.navigator.current == "bill"
    running.stop()

    def p99(values: list[float]) -> float:
        return values[int(len(values) * 0.99)] if values else float("nan")

    print(
        json.dumps(
            {
                "shown": shown,
                "fetch_s": fetch_s,
                "idle_max_ms": max(idle),
                "idle_p99_ms": p99(idle),
                "fetch_max_ms": max(busy),
                "fetch_p99_ms": p99(busy),
                "ticks": len(busy),
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
