"""Running the kiosk: the Qt application, the resident window, the simulator panel in demo mode.

The window comes first; the store, the center client and the devices start on a thread behind
it, so a resident sees the kiosk in a fraction of a second after power-on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import faulthandler
import logging
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import KioskConfig
from kiosk.logging_setup import configure_logging, open_log_file
from kiosk.service_manager import ServiceManager
from kiosk.services.starting import StartingServices

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from kiosk.bootstrap import Kiosk
    from kiosk.services import UseCases
    from kiosk.ui.main_window import KioskWindow

log = logging.getLogger(__name__)


def ensure_display() -> None:
    """With no display at all, run offscreen rather than fail, and say so."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform != "linux":
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        log.warning(
            "no display found: running offscreen, nothing will be visible "
            "(`kiosk screenshots DIR` shows the screens as pictures)"
        )


def kiosk_application(config: KioskConfig) -> Any:
    """The one QApplication of a kiosk process, set as the site says: on a touch panel, no
    pointer left in mid-screen."""
    ensure_display()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("base-station-kiosk")
    if not config.screen.cursor:
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
    return app


def freeze_startup_objects() -> None:
    """Take what start-up made (modules, Qt wrappers, schemas: most of the heap) out of the
    garbage collector's view.

    A full collection walks every tracked object while it holds the interpreter, the UI
    thread's included: with all of start-up in the heap, one took 50-260 ms while the queue
    relay drained a backlog. What start-up made lives as long as the kiosk, so it never needs
    collecting; frozen, a full collection takes about 2 ms.
    """
    import gc

    gc.collect()
    gc.freeze()


def window_options(config: KioskConfig) -> dict[str, Any]:
    """What the resident's window takes from configuration."""
    from kiosk.ui.local_text import HelpInfo

    return {
        "station_name": {"zh": config.kiosk.station_name_zh, "en": config.kiosk.station_name_en},
        # The shipped notices in season today, until the reference data (read behind the first
        # frame) brings the center's.
        "notices": [
            {"zh": n.zh, "en": n.en} for n in config.notices if n.in_season(dt.date.today())
        ],
        "help_info": HelpInfo(
            hotline=config.help.hotline,
            hall={"zh": config.help.hall_zh, "en": config.help.hall_en},
            hours={"zh": config.help.hours_zh, "en": config.help.hours_en},
        ),
        "timeout_s": config.screen.inactivity_seconds,
        "warning_s": config.screen.warning_seconds,
        # The center's own timeout ends a call first; this one catches a worker that hangs.
        "center_timeout_s": config.center.timeout_seconds + 2,
        "language": config.screen.language,
        "large_text": config.screen.large_text,
        "qr_window_s": config.payment.native_window_seconds,
    }


def build_window(config: KioskConfig, services: UseCases | None) -> KioskWindow:
    from kiosk.ui.background import DeviceSignals
    from kiosk.ui.main_window import KioskWindow

    return KioskWindow(services, devices=DeviceSignals(), **window_options(config))


def attach_devices(window: KioskWindow, kiosk: Kiosk) -> None:
    """Scanner codes and ID cards reach the screens from now on."""
    signals = window.device_signals
    if signals is None:
        return
    if "scanner" in kiosk.devices:
        signals.attach_scanner(kiosk.devices["scanner"])
    if "idcard" in kiosk.devices:
        signals.attach_id_card_reader(kiosk.devices["idcard"])


def attach_screen_reports(window: KioskWindow, kiosk: Kiosk) -> None:
    """The center's `screenshot` command: the window taken on the UI thread, then sent."""
    from kiosk.services.screen_reports import ScreenReports
    from kiosk.ui.window.screen_taker import ScreenTaker

    if kiosk.fleet is None:
        return
    taker = ScreenTaker(window.screen_picture, parent=window)
    reports = ScreenReports(kiosk.center, taker.take)
    kiosk.fleet.remote_commands.screenshot_hooks.append(reports.send)


class Backend(threading.Thread):
    """Builds and starts the kiosk's back end: first the reference data the screens read
    (`on_reference(library)`), then the store, the center client and the devices
    (`on_ready(kiosk or None)`).

    The reference data is read here, not before the first frame: its schemas and the store's
    imports were most of a cold start.
    """

    def __init__(
        self, config: KioskConfig, services: StartingServices, on_ready: Any, on_reference: Any
    ) -> None:
        super().__init__(name="kiosk-start", daemon=True)
        self._config = config
        self._services = services
        self._on_ready = on_ready
        self._on_reference = on_reference
        self.kiosk: Kiosk | None = None
        self.refusal: str | None = None  # set when the configuration cannot be run at all

    def run(self) -> None:
        from kiosk.bootstrap import KioskStartError, build_kiosk
        from kiosk.reference_setup import reference_library

        try:
            library = reference_library(self._config)
            self._services.reference = library
            self._on_reference(library)
            self.kiosk = build_kiosk(self._config, library)
            self.kiosk.start()
        except KioskStartError as error:
            self.refusal = str(error)
            self._services.provide(None)
            self._on_ready(None)
            return
        except Exception:
            log.exception("the kiosk could not start its store, center client or devices")
            self._services.provide(None)
            self._on_ready(None)
            return
        self._services.provide(self.kiosk.services)
        log.info("kiosk ready", extra={"devices": ",".join(sorted(self.kiosk.devices))})
        self._on_ready(self.kiosk)


# The demo's technician PIN, 246810 (README): its argon2id hash, made once, as a site's would be.
DEMO_PIN_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$0JGRSW39msrYBLI/rH5deA"
    "$7dKfJwfDGNFf7JWcfydD6xLNAhK605tls1XtZ2cEzDA"
)


def with_demo_center(config: KioskConfig, folder: Path, center_url: str) -> KioskConfig:
    return dataclasses.replace(
        config,
        maintenance=dataclasses.replace(config.maintenance, pin_hash=DEMO_PIN_HASH),
        # The demo's own credentials, in its folder; the loopback center needs no CA.
        center=dataclasses.replace(config.center, url=center_url, credentials="", ca_bundle=""),
        kiosk=dataclasses.replace(config.kiosk, data_dir=folder / "kiosk"),
        # Staff answer from a browser on this machine; the kiosk "speaks" a quiet tone, and
        # what staff say is counted, not played: a demo needs no sound card.
        video=dataclasses.replace(
            config.video, loopback_candidates=True, microphone="tone", speaker=""
        ),
    )


class FirstPaint:
    """Calls `then` once, just after `widget` has painted for the first time."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        class Watch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() is QEvent.Type.Paint:
                    watched.removeEventFilter(self)
                    QTimer.singleShot(0, then)
                return False

        self._watch = Watch()
        widget.installEventFilter(self._watch)


class RunningKiosk:
    """A started kiosk: its window shown, its back end coming up (or up) behind it."""

    def __init__(self, config: KioskConfig, *, demo: bool, check_s: float | None = None) -> None:
        from PySide6.QtCore import QObject, Signal

        class Started(QObject):
            sig_ready = Signal(object)
            """(Kiosk | None): the back end is up (None: it could not start)."""
            sig_reference = Signal(object)
            """(ReferenceLibrary): the reference data the screens read, loaded."""
            sig_restart = Signal()
            """(): the center asked for a restart."""

        self._demo_folder = self._center = self._demo_devices = None
        if demo:
            from kiosk.demo_devices import DemoDevices
            from kiosk.embedded_center import EmbeddedCenter

            self._demo_folder = tempfile.TemporaryDirectory(prefix="kiosk-demo-")
            folder = Path(self._demo_folder.name)
            self._center = EmbeddedCenter(folder / "center", signed=True).start()
            config = with_demo_center(config, folder, self._center.url)
            # The demo runs signed end to end: its kiosk enrols as a real one does.
            from kiosk.enroll import enroll

            enroll(config, self._center.enrolment_token(config.kiosk.id))
            # The real drivers, talking to wire-level simulators on pseudo-terminals.
            self._demo_devices = DemoDevices(folder / "devices", config.scanner.bill_qr_prefix)
            config = self._demo_devices.start().configure(config)
        configure_logging(
            config.kiosk.data_dir / "logs",
            level=config.logging.level,
            max_bytes=config.logging.max_bytes,
            backups=config.logging.backups,
            file_later=True,  # opened behind the first frame, with what was logged before it
        )
        log.info("kiosk starting", extra={"kiosk_id": config.kiosk.id, "center": config.center.url})
        self.config = config
        self.services = StartingServices(
            config.scanner.bill_qr_prefix,
            payment_settings=config.payment,
            payments_enabled=config.payment.enabled,
            station_id=config.kiosk.station_id,
        )
        self.window = build_window(config, self.services)
        if config.screen.fullscreen:
            self.window.showFullScreen()
        else:
            landscape = config.screen.orientation == "landscape"
            self.window.fit(*((1920, 1080) if landscape else (1080, 1920)))
            self.window.show()
        self.panels: list[Any] = []
        self._demo = demo
        self._started = Started()
        self._started.sig_ready.connect(self._ready)
        self._started.sig_reference.connect(self.window.reference_loaded)
        self.window.sig_restart_asked.connect(lambda: _quit_app(RESTART_EXIT_CODE))
        self._started.sig_restart.connect(self._restart_when_free)
        self.window.sig_quit_asked.connect(lambda: _quit_app(0))
        self.backend = Backend(
            config, self.services, self._started.sig_ready.emit, self._started.sig_reference.emit
        )
        # The remaining screens and the back end's imports would slow the first frame: after it.
        self._first_paint = FirstPaint(self.window, self._after_first_frame)
        self.service_manager = ServiceManager()
        self._pings: Any = None
        self._check: Any = None
        if check_s is not None:  # `kiosk update check`: this release proves itself, then stops
            from kiosk.fleet_link import app_version
            from kiosk.update_check import UpdateCheck

            self._check = UpdateCheck(check_s, app_version())

    def _after_first_frame(self) -> None:
        from kiosk.ui.keyboard_wedge import KeyboardWedge

        self._tell_service_manager()
        open_log_file()
        self.window.finish_building()
        self.window.warm_up()
        # A USB scanner that types its codes like a keyboard: its bursts become scanned codes.
        self.keyboard_wedge = KeyboardWedge(self.window)
        if self.window.device_signals is not None:
            self.keyboard_wedge.sig_code_scanned.connect(
                self.window.device_signals.sig_code_scanned
            )
        self.keyboard_wedge.install()
        self.backend.start()

    def _tell_service_manager(self) -> None:
        """Started (the window is up), and alive from now on for as long as the UI thread
        turns: the pings come from a timer on it, so a hung UI thread stops them."""
        manager = self.service_manager
        manager.ready(f"the kiosk {self.config.kiosk.id} shows its window")
        every = manager.ping_every_ms
        if every is None:
            return
        from PySide6.QtCore import QTimer

        self._pings = QTimer()
        self._pings.timeout.connect(manager.alive)
        self._pings.start(every)
        manager.alive()

    def _ready(self, kiosk: Kiosk | None) -> None:
        if self.backend.refusal is not None:
            # Like a bad setting: the start stops, with the setting named.
            print(f"kiosk: {self.backend.refusal}", file=sys.stderr)
            log.error("configuration refused: %s", self.backend.refusal)
            from PySide6.QtWidgets import QApplication

            QApplication.exit(2)
            return
        if self._check is not None:
            self._check.back_end_up(kiosk)
        if kiosk is None:
            return
        attach_devices(self.window, kiosk)
        self.window.attach_video(kiosk.video)
        if kiosk.fleet is not None:
            # The center's restart: asked on the heartbeat's thread, done on the UI thread once
            # the acknowledgement has had its moment to go out.
            kiosk.fleet.remote_commands.restart_hooks.append(self._started.sig_restart.emit)
            attach_screen_reports(self.window, kiosk)
        if kiosk.maintenance is not None:
            self.window.attach_maintenance(
                kiosk.maintenance, idle_s=self.config.maintenance.idle_seconds
            )
        freeze_startup_objects()
        if self._demo:
            from kiosk.ui.simulator_panel import SimulatorPanel

            assert self._demo_devices is not None and self._center is not None
            window = self.window

            def payment_qr_shown() -> str | None:
                """The payment QR on the resident's screen now, for the demo phone to pay."""
                qr = window.paying.qr
                return qr.code_shown if window.navigator.current == qr.name else None

            panel = SimulatorPanel(
                self._demo_devices.hands(center_url=self._center.url),
                bill_qr_prefix=self.config.scanner.bill_qr_prefix,
                shown_qr=payment_qr_shown,
            )
            # Beside the kiosk's window where the desktop has room, so neither hides the other.
            room = self.window.screen().availableGeometry()
            beside = self.window.frameGeometry().right() + 16
            if beside + panel.sizeHint().width() <= room.right():
                panel.move(beside, room.top())
            panel.show()
            self.panels.append(panel)

    def _restart_when_free(self) -> None:
        """Restart as the center asked, but never under a resident: after their session."""
        from PySide6.QtCore import QTimer

        if self.window.session.running or self.window.in_maintenance:
            QTimer.singleShot(5000, self._restart_when_free)
            return
        QTimer.singleShot(2000, lambda: _quit_app(RESTART_EXIT_CODE))

    def stop(self) -> None:
        open_log_file()  # stopped before the first frame: what was logged still reaches the file
        log.info("kiosk stopping")
        self.service_manager.stopping()  # the stop may take seconds: not a hang
        if self._pings is not None:
            self._pings.stop()
        if getattr(self, "keyboard_wedge", None) is not None:
            self.keyboard_wedge.uninstall()
        self.window.teardown()
        for panel in self.panels:
            panel.close()
        if self.backend.is_alive():
            self.backend.join(timeout=30)
        if self.backend.kiosk is not None:
            self.backend.kiosk.close()
        if self._demo_devices is not None:
            self._demo_devices.stop()
        if self._center is not None:
            self._center.stop()
        if self._demo_folder is not None:
            self._demo_folder.cleanup()


# The app asks to be started again (a technician's restart): `run` does it once it has stopped.
RESTART_EXIT_CODE = 75


def _quit_app(code: int) -> None:
    from PySide6.QtWidgets import QApplication

    log.info("the app stops (%s)", "to restart" if code == RESTART_EXIT_CODE else "to the desktop")
    QApplication.exit(code)


def restart_process() -> None:
    """Replace this process with a fresh start of the same command (a service manager that
    supervises the kiosk sees the same process go on)."""
    logging.shutdown()
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


def run(config: KioskConfig, *, demo: bool, check_s: float | None = None) -> int:
    from PySide6.QtCore import QTimer

    app = kiosk_application(config)
    running = RunningKiosk(config, demo=demo, check_s=check_s)
    # Ctrl-C in a terminal quits cleanly: Python only sees the signal when the loop yields.
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(250)
    # A watchdog's SIGABRT (a hung UI thread) first writes every thread's stack to stderr: the
    # journal then says where it hung.
    faulthandler.enable()
    try:
        code = app.exec()
    finally:
        running.stop()
    if code == RESTART_EXIT_CODE and not running.service_manager.supervised:
        restart_process()
    # Under systemd, exit 75 and let it start the kiosk again (Restart=on-failure): a process
    # that replaced itself would go without watchdog pings while it starts.
    return code
