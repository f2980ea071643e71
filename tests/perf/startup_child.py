"""One cold start, in its own process: prints one JSON line when the first screen is shown.

`bare`: a plain PySide6 window of the kiosk's size, the baseline. `kiosk`: the whole kiosk
(configuration, store, center client, devices, the resident's window) until the home screen is
shown. The parent times from process launch to that line; the child reports its peak memory,
and which heavy libraries were imported before the first frame and by the time it was ready.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Libraries the first frame must not wait for: the store, the schemas, HTTP, camera decoding and
# the printer's, numbers. The back end imports what it needs of them, behind the shown screen.
HEAVY = ("sqlalchemy", "alembic", "pydantic", "requests", "cv2", "escpos", "numpy")


def imported_heavy() -> list[str]:
    return [name for name in HEAVY if name in sys.modules]


def _report(extra: dict[str, object]) -> None:
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {"peak_rss_mib": peak_kib / 1024, **extra}
    print(json.dumps(figures), flush=True)


def bare() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() is QEvent.Type.Paint and "shown_at" not in figures:
                figures["shown_at"] = time.time()
                QTimer.singleShot(0, lambda: (_report(figures), app.quit()))
            return False

    figures: dict[str, object] = {}
    app = QApplication(sys.argv[:1])
    window = QLabel("home")
    watch = FirstPaint()
    window.installEventFilter(watch)
    window.resize(1920, 1080)
    window.show()
    return app.exec()


def kiosk(center_url: str, data_dir: str) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.app import RunningKiosk
    from kiosk.config import load_config

    app = QApplication(sys.argv[:1])
    config = load_config(overrides={"center": {"url": center_url}, "kiosk": {"data_dir": data_dir}})
    running = RunningKiosk(config, demo=False)
    window = running.window
    window.start_session()  # a touch on the idle screen: the home screen
    figures: dict[str, object] = {}

    class HomePainted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() is QEvent.Type.Paint and "shown_at" not in figures:
                figures["shown_at"] = time.time()  # at the paint itself, before queued work
                figures["home"] = window.navigator.stack.currentWidget() is window.home
                figures["heavy_at_first_frame"] = imported_heavy()
            return False

    def ready() -> None:
        if running.services.ready:
            _report({**figures, "ready_at": time.time(), "heavy_when_ready": imported_heavy()})
            running.stop()
            app.quit()
        else:
            QTimer.singleShot(5, ready)

    watch = HomePainted()
    window.home.installEventFilter(watch)
    QTimer.singleShot(5, ready)
    return app.exec()


if __name__ == "__main__":
    mode = sys.argv[1]
    raise SystemExit(bare() if mode == "bare" else kiosk(sys.argv[2], sys.argv[3]))
