"""`kiosk out-of-service`: the plain out-of-service screen, for as long as it is left running.

systemd runs it when the kiosk failed to start too often (packaging/systemd/kiosk.service:
StartLimitBurst, OnFailure=kiosk-out-of-service.service). It tells systemd it is ready and pings
its watchdog like the app, so a station is never left with a dead panel or a restart loop; a
technician who has mended the cause starts the kiosk again (`systemctl --user restart kiosk`).
"""

from __future__ import annotations

import faulthandler
import logging
import signal

from kiosk.app import kiosk_application, window_options
from kiosk.config import KioskConfig
from kiosk.service_manager import ServiceManager

log = logging.getLogger(__name__)


def run_out_of_service(config: KioskConfig) -> int:
    faulthandler.enable()
    from PySide6.QtCore import QTimer

    from kiosk.ui.out_of_service_window import OutOfServiceWindow

    app = kiosk_application(config)
    options = window_options(config)
    window = OutOfServiceWindow(options["station_name"], options["help_info"])
    if config.screen.fullscreen:
        window.showFullScreen()
    else:
        portrait = config.screen.orientation == "portrait"
        window.resize(*((1080, 1920) if portrait else (1920, 1080)))
        window.show()
    manager = ServiceManager()
    manager.ready(f"the kiosk {config.kiosk.id} is out of service: it could not keep running")
    pings = QTimer()
    pings.timeout.connect(manager.alive)
    if manager.ping_every_ms is not None:
        pings.start(manager.ping_every_ms)
    log.error("the kiosk could not keep running: the out-of-service screen is shown")
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    wake = QTimer()  # Python sees SIGTERM only when the event loop yields to it
    wake.timeout.connect(lambda: None)
    wake.start(250)
    code = app.exec()
    manager.stopping()
    return code
