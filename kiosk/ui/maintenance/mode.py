"""Maintenance mode: laid over the resident's window once the knock is done.

First the PIN (or a technician's card); then the devices, the queue and the service state, each
on its own page. Nothing here waits on a device, the store or the center on the UI thread: the
desk's calls run in this mode's own worker pool, and every one has a timeout. The mode leaves by
itself after `idle_s` untouched, and says so in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.background import BackgroundTasks
from kiosk.ui.maintenance.devices_page import DevicesPage
from kiosk.ui.maintenance.logs_page import LogsPage
from kiosk.ui.maintenance.payments_page import PaymentsPage
from kiosk.ui.maintenance.pin_page import PinPage
from kiosk.ui.maintenance.queue_page import QueuePage
from kiosk.ui.maintenance.service_page import ServicePage
from kiosk.ui.maintenance.settings_page import SettingsPage
from kiosk.ui.widgets import Retranslated, across, button, label, scrolling

if TYPE_CHECKING:
    from kiosk.domain.technician_access import EntryLock
    from kiosk.services.device_input import IdCard
    from kiosk.services.maintenance import MaintenanceDesk, TestOutcome
    from kiosk.services.technician_access import AccessAnswer
    from kiosk.ui.background import DeviceSignals

log = logging.getLogger(__name__)

REFRESH_MS = 2000  # live status, while its page is shown
PREVIEW_MS = 200
DESK_TIMEOUT_S = 10.0
TEST_WAIT_S = 20.0


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_time(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class MaintenanceMode(Retranslated, QWidget):
    sig_closed = Signal()
    """(): maintenance is over; the resident's screens are back."""

    sig_restart = Signal()
    sig_leave_to_desktop = Signal()

    def __init__(
        self,
        desk: MaintenanceDesk,
        devices: DeviceSignals | None,
        *,
        idle_s: float,
        parent: QWidget,
        clock: Callable[[], dt.datetime] | None = None,
        shown_time: Callable[[dt.datetime], str] = local_time,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("maintenance")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._desk = desk
        self._clock = clock or _utc_now
        self._shown_time = shown_time
        self.who = ""  # the technician, as the audit trail names them, once entered
        self.tasks = BackgroundTasks(workers=2, parent=self)
        self._refreshing = False

        self.pin = PinPage()
        self.pin.sig_pin.connect(self._pin_given)
        self.pin.sig_cancel.connect(lambda: self.leave("cancelled at the PIN"))
        self.devices_page = DevicesPage(desk.device_names)
        self.devices_page.sig_test.connect(self._test)
        self.devices_page.sig_paper_replaced.connect(self._paper_replaced)
        self.queue_page = QueuePage(shown_time)
        self.queue_page.sig_sync_now.connect(self._sync_now)
        self.logs_page = LogsPage()
        self.logs_page.sig_level.connect(lambda _: self._refresh_page())
        self.logs_page.sig_export.connect(self._export_logs)
        self.settings_page = SettingsPage()
        self.settings_page.sig_save.connect(self._save_settings)
        self.settings_page.sig_restart.connect(
            lambda: self._stop_app("app.restart", self.sig_restart)
        )
        self.payments_page = PaymentsPage(shown_time)
        self.payments_page.sig_settle.connect(self._settle)
        self.payments_page.sig_reprint.connect(self._reprint)
        self.service_page = ServicePage()
        self.service_page.sig_out_of_service.connect(self._out_of_service)
        self.service_page.sig_back_in_service.connect(self._back_in_service)
        self.service_page.sig_restart.connect(
            lambda: self._stop_app("app.restart", self.sig_restart)
        )
        self.service_page.sig_leave_to_desktop.connect(
            lambda: self._stop_app("app.left_to_desktop", self.sig_leave_to_desktop)
        )

        self.stack = QStackedWidget()
        self.stack.addWidget(self.pin)
        self.stack.addWidget(self._panel())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(int(idle_s * 1000))
        self._idle.timeout.connect(lambda: self.leave(f"untouched for {idle_s:.0f} s"))
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(lambda: self._refresh_page(live=True))
        self._preview = QTimer(self)
        self._preview.setInterval(PREVIEW_MS)
        self._preview.timeout.connect(self._show_frame)
        self._lock_watch = QTimer(self)
        self._lock_watch.setInterval(1000)
        self._lock_watch.timeout.connect(self._lock_over_yet)
        if devices is not None:
            devices.sig_id_card_read.connect(self._card_placed)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.hide()
        self.retranslate()

    # -- the parts -------------------------------------------------------------------------

    def _panel(self) -> QWidget:
        panel = QWidget()
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(40, 24, 40, 24)
        outer.setSpacing(20)
        top = QHBoxLayout()
        self.title = label("title", wrap=False)
        self.who_label = label("small")
        self.who_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.leave_button = button("primary")
        self.leave_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.leave_button.clicked.connect(lambda: self.leave("left by the technician"))
        top.addWidget(self.title)
        top.addWidget(self.who_label, 1)
        top.addWidget(self.leave_button)
        outer.addLayout(top)
        body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.setSpacing(28)
        menu = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.pages = QStackedWidget()
        self.menu_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        for name, page in (
            ("devices", self.devices_page),
            ("queue", self.queue_page),
            ("payments", self.payments_page),
            ("logs", self.logs_page),
            ("settings", self.settings_page),
            ("service", self.service_page),
        ):
            self.pages.addWidget(scrolling(page))
            choice = button("menu")
            choice.setCheckable(True)
            choice.clicked.connect(lambda _=False, p=page: self.show_page(p))
            group.addButton(choice)
            menu.addWidget(choice)
            self.menu_buttons[name] = choice
        side = QFrame()
        side.setLayout(menu)
        self._body, self._menu, self._side = body, menu, side
        body.addWidget(side)
        body.addWidget(self.pages, 1)
        outer.addLayout(body, 1)
        return panel

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A tall screen puts the menu in a row above the page; a wide one beside it.
        portrait = event.size().height() > event.size().width()
        self._body.setDirection(across(portrait))
        self._menu.setDirection(across(not portrait))
        self._side.setMaximumWidth(16_777_215 if portrait else 460)
        self._side.setMaximumHeight(16_777_215 if not portrait else 160)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Maintenance"))
        self.leave_button.setText(self.tr("Leave maintenance"))
        self.menu_buttons["devices"].setText(self.tr("Devices"))
        self.menu_buttons["queue"].setText(self.tr("Queue and sync"))
        self.menu_buttons["payments"].setText(self.tr("Payments"))
        self.menu_buttons["logs"].setText(self.tr("Log"))
        self.menu_buttons["settings"].setText(self.tr("Settings"))
        self.menu_buttons["service"].setText(self.tr("Service"))
        self._show_who()

    # -- entering and leaving --------------------------------------------------------------

    @property
    def entered(self) -> bool:
        return bool(self.who)

    def open(self) -> None:
        """Ask for the PIN, over the whole window."""
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.who = ""
        self.pin.reset()
        self.stack.setCurrentWidget(self.pin)
        self.raise_()
        self.show()
        self._idle.start()
        # A lock still running from earlier attempts shows as soon as it is read (off the UI
        # thread: it is kept in the kiosk's database).
        self._ask(self._desk.access.entry_lock, then=self._lock_read)

    def _lock_read(self, lock: EntryLock) -> None:
        if self.isHidden() or self.entered:
            return
        if not lock.locked(self._clock()):
            if self.pin.locked_until is not None:
                self.pin.lock_over()  # a lock shown last time has run out since
            return
        from kiosk.services.technician_access import AccessAnswer, Refusal

        self._refused(AccessAnswer(False, Refusal.LOCKED, 0, lock.locked_until))

    def leave(self, why: str) -> None:
        if self.isHidden():
            return
        if self.who:
            self.tasks.run(
                self._desk.record,
                self.who,
                "maintenance.left",
                why,
                timeout_s=DESK_TIMEOUT_S,
                on_result=lambda _: None,
                on_error=lambda error: log.warning("leaving not audited: %s", error),
            )
        log.info("maintenance closed: %s", why)
        self.who = ""
        for timer in (self._idle, self._refresh, self._preview, self._lock_watch):
            timer.stop()
        self.pin.reset()
        self.hide()
        self.sig_closed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Any touch or key in maintenance keeps it open.
        if (
            event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress)
            and self.isVisible()
            and isinstance(watched, QWidget)
            and (watched is self or self.isAncestorOf(watched))
        ):
            self._idle.start()
        return False

    def teardown(self) -> None:
        for timer in (self._idle, self._refresh, self._preview, self._lock_watch):
            timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.tasks.shutdown()

    def _pin_given(self, pin: str) -> None:
        self.pin.show_checking()
        self._ask(self._desk.access.try_pin, pin, then=self._answered)

    def _card_placed(self, card: IdCard) -> None:
        if self.isHidden() or self.entered:
            return
        self.pin.show_checking()
        self._ask(self._desk.access.try_card, card.id_number, then=self._answered)

    def _answered(self, answer: AccessAnswer) -> None:
        if self.isHidden():
            return
        if not answer.granted:
            self._refused(answer)
            return
        self.who = answer.who
        self._show_who()
        self.stack.setCurrentIndex(1)
        self.show_page(self.devices_page)

    def _refused(self, answer: AccessAnswer) -> None:
        until = self._shown_time(answer.locked_until) if answer.locked_until else ""
        self.pin.show_refusal(answer, until)
        if answer.locked_until is not None:
            self._lock_watch.start()

    def _lock_over_yet(self) -> None:
        until = self.pin.locked_until
        if until is None or self._clock() >= until:
            self._lock_watch.stop()
            self.pin.lock_over()

    def _show_who(self) -> None:
        if hasattr(self, "who_label"):
            if not self.who:
                self.who_label.setText("")
            elif self.who.startswith("card "):
                self.who_label.setText(
                    self.tr("entered with technician card %1").replace("%1", self.who[5:])
                )
            else:
                self.who_label.setText(self.tr("entered with the technician PIN"))

    # -- pages -----------------------------------------------------------------------------

    @property
    def current_page(self) -> QWidget:
        area = self.pages.currentWidget()
        assert isinstance(area, QScrollArea)
        page = area.widget()
        assert page is not None
        return page

    def show_page(self, page: QWidget) -> None:
        for index in range(self.pages.count()):
            area = self.pages.widget(index)
            if isinstance(area, QScrollArea) and area.widget() is page:
                self.pages.setCurrentIndex(index)
        for name, choice in self.menu_buttons.items():
            choice.setChecked(self.current_page is getattr(self, f"{name}_page"))
        self._refresh_page()
        self._refresh.start()

    def _refresh_page(self, *, live: bool = False) -> None:
        """Read the page's facts again; `live`: the timer's look, which leaves the log alone
        (read when asked for: it may be megabytes)."""
        page = self.current_page
        if live and (self._refreshing or page is self.logs_page):
            return  # the last look is not back yet (a device slow to answer): no pile-up
        if page is self.devices_page:
            self._refreshing = True
            self._ask(self._devices_and_paper, then=self._refreshed(self._show_devices))
        elif page is self.queue_page:
            self._refreshing = True
            self._ask(self._desk.queue_now, then=self._refreshed(self.queue_page.show_queue))
        elif page is self.logs_page:
            self._refreshing = True
            level = self.logs_page.level
            self._ask(self._desk.log_lines, level, then=self._refreshed(self.logs_page.show_lines))
        elif page is self.settings_page:
            if live:
                return  # the settings do not change behind the technician's back
            self._refreshing = True
            self._ask(
                self._desk.settings_now, then=self._refreshed(self.settings_page.show_settings)
            )
        elif page is self.payments_page:
            self._refreshing = True
            self._ask(
                self._desk.payments_now, then=self._refreshed(self.payments_page.show_payments)
            )
        elif page is self.service_page:
            self.service_page.show_lock(self._desk.lock_state)

    def _devices_and_paper(self) -> tuple[Any, tuple[int, float]]:
        return self._desk.devices_now(), self._desk.paper_left()

    def _show_devices(self, found: tuple[Any, tuple[int, float]]) -> None:
        health, paper = found
        self.devices_page.show_health(health)
        self.devices_page.show_paper(paper)

    def _paper_replaced(self) -> None:
        self._ask(self._desk.paper_replaced, self.who, then=lambda _: self._refresh_page())

    def _refreshed(self, show: Callable[[Any], None]) -> Callable[[Any], None]:
        def done(value: Any) -> None:
            self._refreshing = False
            show(value)

        return done

    def _test(self, kind: str) -> None:
        self.devices_page.testing(kind)
        if kind == "camera":
            self._preview.start()
        self._ask(
            self._desk.test,
            kind,
            self.who,
            TEST_WAIT_S,
            then=self._tested,
            timeout_s=TEST_WAIT_S + 10,
        )

    def _tested(self, outcome: TestOutcome) -> None:
        self._preview.stop()
        self.devices_page.tested(outcome.kind, outcome.passed, outcome.lines)
        self._refresh_page()

    def _show_frame(self) -> None:
        frame = self._desk.camera_frame()
        if frame is not None:
            self.devices_page.show_frame(frame)

    def _sync_now(self) -> None:
        self.queue_page.asked()
        self._ask(self._desk.sync_now, self.who, then=lambda _: self._refresh_page())

    def _save_settings(self, changes: dict[str, Any]) -> None:
        def done(refused: str | None) -> None:
            self.settings_page.saved(refused)
            self._refresh_page()

        self._ask(self._desk.change_settings, self.who, changes, then=done)

    def _export_logs(self) -> None:
        self.logs_page.exporting()
        self._ask(self._desk.export_logs, self.who, then=self.logs_page.exported, timeout_s=60)

    def _settle(self) -> None:
        def done(picked: int) -> None:
            self.payments_page.said(
                self.tr("Following %1 payment(s) now.").replace("%1", str(picked))
            )
            self._refresh_page()

        self._ask(self._desk.settle_now, self.who, then=done)

    def _reprint(self, payment_id: str) -> None:
        def done(printed: bool) -> None:
            self.payments_page.said(
                self.tr("Printed.") if printed else self.tr("Not printed: look at the printer.")
            )
            self._refresh_page()

        self._ask(self._desk.reprint, self.who, payment_id, then=done, timeout_s=40)

    def _out_of_service(self, zh: str, en: str) -> None:
        self._ask(self._desk.out_of_service, self.who, zh, en, then=lambda _: self._refresh_page())

    def _back_in_service(self) -> None:
        self._ask(self._desk.back_in_service, self.who, then=lambda _: self._refresh_page())

    def _stop_app(self, action: str, then: Any) -> None:
        def done(_: object) -> None:
            self.leave(action)
            then.emit()

        self._ask(self._desk.record, self.who, action, "", then=done)

    def _ask(
        self,
        work: Callable[..., Any],
        *args: object,
        then: Callable[[Any], None],
        timeout_s: float = DESK_TIMEOUT_S,
    ) -> None:
        def failed(error: BaseException) -> None:
            self._refreshing = False
            log.warning("maintenance: %s failed: %s", getattr(work, "__name__", work), error)
            if self.stack.currentWidget() is self.pin:
                self.pin.status.show_message(
                    self.tr("That did not work: %1").replace("%1", type(error).__name__)
                )
                self.pin.set_busy(False)

        self.tasks.run(work, *args, timeout_s=timeout_s, on_result=then, on_error=failed)
