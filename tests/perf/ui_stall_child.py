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
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

INTERVAL_MS = 5


class PaintCounter:
    """Counts the paint events `widget` receives."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.count = 0
        counter = self

        class Watch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() is QEvent.Type.Paint:
                    counter.count += 1
                return False

        self._watch = Watch()
        widget.installEventFilter(self._watch)


def main(center_url: str, data_dir: str, account: str) -> int:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import RunningKiosk
    from kiosk.config import load_config

    _app = QApplication(sys.argv[:1])  # kept alive for the run
    config = load_config(overrides={"center": {"url": center_url}, "kiosk": {"data_dir": data_dir}})
    running = RunningKiosk(config, demo=False)
    window = running.window

    from tests.perf.ui_thread import StallMeter, run_for, run_until

    window.start_session()
    window.show_screen(window.entry.name)

    run_until(lambda: running.services.ready, 30)
    painted = PaintCounter(window.bill)
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
    # Painting the bill is part of the job: keep measuring until Qt has drawn it, as it does on
    # a kiosk (in its own turns of the event loop, not in one forced render of the window).
    run_until(lambda: painted.count > 0, 5)
    run_for(0.3)
    busy = meter.stop()
    shown = window.navigator.current == "bill" and painted.count > 0
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
