"""The kiosk as the `kiosk` command runs it, with one thing added for the watchdog test:
SIGUSR1 hangs its UI thread. Python runs signal handlers on the main thread, which is Qt's UI
thread, so the handler's sleep stops the UI thread alone; the back end's threads go on.

    python -m tests.support.hangable_kiosk [kiosk arguments]
"""

from __future__ import annotations

import signal
import sys
import time

from kiosk.cli import main


def hang(*_: object) -> None:
    time.sleep(3600)  # the UI thread, hung: no paint, no timer, no watchdog ping


if __name__ == "__main__":
    signal.signal(signal.SIGUSR1, hang)
    sys.exit(main(sys.argv[1:]))
