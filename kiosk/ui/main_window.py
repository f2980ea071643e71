"""The resident's window: top bar, the stack of screens, bottom bar, the inactivity countdown.

It puts the parts together and owns the session's beginning and end: a touch on the idle screen
starts one; Finish, Back from the menu, the center's lock or the inactivity clock ends it,
wiping every screen and telling the center (in the background) how it went. The jobs are done
by small objects of `kiosk.ui.window`: the `Navigator` (which screen, the way back), the
`SessionClock` (the session's record and its inactivity clock), the `DisplaySettings` (language
and text size), the `DeviceRouter` (where codes and ID cards go), the `CardReminder` (take your
ID card), the `LockGuard` (the center's lock) and the `CenterState` (online or not, the center's
reference data on screen).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.domain.session import EndReason, result_stays_s
from kiosk.ui.background import BackgroundTasks, DeviceSignals
from kiosk.ui.home.home import HomeScreen
from kiosk.ui.home.idle import IdleScreen
from kiosk.ui.home.locked import LockedScreen
from kiosk.ui.home.take_card import TakeCardScreen
from kiosk.ui.link_state import LinkState
from kiosk.ui.local_text import CHINESE, HelpInfo, LocalText, local, pick
from kiosk.ui.theme import Theme, stylesheet
from kiosk.ui.translations import TRANSLATIONS_DIR
from kiosk.ui.window.bars import BottomBar, CountdownBanner, TopBar
from kiosk.ui.window.card_reminder import CardReminder
from kiosk.ui.window.center_state import CenterState
from kiosk.ui.window.device_router import DeviceRouter
from kiosk.ui.window.display import DisplaySettings
from kiosk.ui.window.later_screen import LaterScreen
from kiosk.ui.window.lock_guard import LockGuard
from kiosk.ui.window.navigator import Navigator
from kiosk.ui.window.session_clock import SessionClock

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.services.maintenance import MaintenanceDesk
    from kiosk.services.payment_types import PaymentProgress
    from kiosk.services.reference import ReferenceLibrary
    from kiosk.services.video_help import CallContext, VideoHelp
    from kiosk.ui.help.call_back import CallBackScreen
    from kiosk.ui.help.help import HelpScreen
    from kiosk.ui.help.video_call import VideoCallScreen
    from kiosk.ui.information import Information
    from kiosk.ui.lookup.account_choice import AccountChoiceScreen
    from kiosk.ui.lookup.account_entry import AccountEntryScreen
    from kiosk.ui.lookup.bill import BillScreen
    from kiosk.ui.lookup.flow import LookupFlow
    from kiosk.ui.maintenance.door import MaintenanceDoor
    from kiosk.ui.maintenance.mode import MaintenanceMode
    from kiosk.ui.paying.flow import PaymentFlow
    from kiosk.ui.paying.reprint import ReprintFlow
    from kiosk.ui.paying.screens import PaymentScreens
    from kiosk.ui.window.later_screens import LaterScreens


log = logging.getLogger(__name__)


class KioskWindow(QWidget):
    """The whole resident-facing window. `services` None: display only (screenshots)."""

    sig_session_started = Signal()
    """(): a resident touched the idle screen."""

    sig_session_ended = Signal(object)
    """(SessionSummary): the session ended and every screen was wiped."""

    sig_restart_asked = Signal()
    """(): a technician asked for the app to restart (maintenance)."""

    sig_quit_asked = Signal()
    """(): a technician left to the desktop (maintenance)."""

    def __init__(
        self,
        services: UseCases | None,
        *,
        station_name: str | LocalText,
        notices: Sequence[LocalText] = (),
        help_info: HelpInfo,
        timeout_s: float = 120,
        warning_s: float = 30,
        center_timeout_s: float = 10,
        qr_window_s: float = 300,
        card_reminder_s: float = 60,
        language: str = CHINESE,
        large_text: bool = False,
        devices: DeviceSignals | None = None,
        translations_dir: Path = TRANSLATIONS_DIR,
        reference: ReferenceLibrary | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wallclock: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
    ) -> None:
        super().__init__()
        self.setObjectName("kioskRoot")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self._station = pick(local(station_name), CHINESE)
        self.setWindowTitle(self._station)
        self._services = services
        self._monotonic = monotonic
        self._wallclock = wallclock
        self.tasks = BackgroundTasks(parent=self)
        self.display = DisplaySettings(
            translations_dir, language=language, large_text=large_text, parent=self
        )

        # The reference data (prices, notices, guides, settings): the services' library, or one
        # given for display only (screenshots).
        self._reference = reference or getattr(services, "reference", None)
        if self._reference is not None:  # its notices are today's: none out of season
            from kiosk.ui.information import notices_on

            notices = notices_on(self._reference, wallclock().date())
        self.idle = IdleScreen(station_name, notices)
        self.home = HomeScreen()
        self.locked = LockedScreen(help_info.hotline)
        self.take_card = TakeCardScreen()
        self._information: Information | None = None
        self.navigator = Navigator(
            QStackedWidget(),
            build_missing=self.finish_building,
            before_move=self._before_move,
            parent=self,
        )
        self.navigator.add((self.idle, self.home, self.locked, self.take_card))
        self.navigator.sig_moved.connect(self._moved)
        self.navigator.sig_navigation_locked.connect(lambda _: self._enable_navigation())
        self.lock_guard = LockGuard(
            self.locked, settling_payment=lambda: self.session.held_for_payment, parent=self
        )
        self.lock_guard.sig_locked.connect(self._take_lock)
        self.lock_guard.sig_unlocked.connect(lambda: self.navigator.go(self.idle.name))
        # The other screens are built just after the first frame (or when first asked for):
        # the bill screen alone is a tenth of a cold start.
        self._help_info = help_info
        self._video: VideoHelp | None = None
        self._center_timeout_s = center_timeout_s
        self._qr_window_s = qr_window_s
        self._rest: LaterScreens | None = None
        self._maintenance: MaintenanceMode | None = None
        self._maintenance_door: MaintenanceDoor | None = None
        self.idle.sig_start.connect(self.start_session)
        self.take_card.sig_start.connect(self.start_session)
        self.home.sig_bills.connect(lambda: self._enter_account(receipts=False))
        self.home.sig_receipts.connect(lambda: self._enter_account(receipts=True))
        self.home.sig_help.connect(self.show_help)
        self.home.sig_business.connect(lambda: self.later().business.open_menu())
        self.home.sig_info.connect(lambda: self.show_screen(self.information.menu.name))
        self.home.set_information(self._reference is not None)
        self.home.set_reprints(services is not None and services.payments_enabled)
        self.link = LinkState(services, parent=self)

        self.top_bar = TopBar(station_name, self.display)
        self.top_bar.language_button.clicked.connect(self.display.toggle_language)
        self.top_bar.large_text_button.clicked.connect(
            lambda: self.display.set_large_text(not self.display.large_text)
        )
        self.bottom_bar = BottomBar()
        self.bottom_bar.back_button.clicked.connect(self.back)
        self.bottom_bar.home_button.clicked.connect(self.go_home)
        self.bottom_bar.help_button.clicked.connect(self.show_help)
        self.bottom_bar.finish_button.clicked.connect(lambda: self.end_session(EndReason.FINISHED))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.navigator.stack, 1)
        # The countdown's band takes its room from the screen, never from the window: a screen's
        # own minimum must not push the window past the display (its words scroll instead).
        self.navigator.stack.setMinimumHeight(1)
        self.countdown = CountdownBanner()
        layout.addWidget(self.countdown)
        layout.addWidget(self.bottom_bar)

        self.device_router = DeviceRouter(
            devices,
            current_screen=lambda: self.navigator.current,
            entry_screen=lambda: self.entry.name,
            lookup=lambda: self.flow,
            payments=lambda: self.payments,
            business=lambda: self.later().business,
            locked=lambda: self.lock_guard.locked or self.in_maintenance,
            woken=self._device_input,
            parent=self,
        )
        self.card_reminder = CardReminder(devices, seconds=card_reminder_s, parent=self)
        self.card_reminder.sig_over.connect(self._card_reminder_over)

        self.session = SessionClock(
            self,
            timeout_s=timeout_s,
            warning_s=warning_s,
            monotonic=monotonic,
            wallclock=wallclock,
        )
        self.center = CenterState(self.idle, self.home, self.session, help_info, parent=self)
        self.link.sig_online.connect(self.center.set_online)
        self.link.sig_devices.connect(self.center.set_device_levels)
        self.link.sig_lock.connect(self.lock_guard.set_state)
        self.countdown.sig_more_time.connect(self.session.more_time)
        self.session.sig_tick.connect(self._show_time)
        self.session.sig_expired.connect(lambda: self.end_session(EndReason.TIMEOUT))
        self.session.sig_warning.connect(self.countdown.show_seconds)
        self.session.sig_calm.connect(self.countdown.calm)
        self.display.sig_language_changed.connect(self.idle.set_language)
        self.display.sig_language_changed.connect(lambda _: self.top_bar.retranslate())
        self.display.sig_theme_changed.connect(self._theme_changed)
        self.display.set_large_text(large_text)
        self.display.set_language(language)
        self.navigator.go(self.idle.name)
        self.center.set_online(self.link.online)
        self.lock_guard.set_state(self.link.lock_state)
        self.session.tick()

    # -- the screens built after the first frame -----------------------------------------

    def finish_building(self) -> None:
        """Build the screens left out of the first frame; safe to call again."""
        if self._rest is not None:
            return
        # Imported here: these screens' modules are a good part of a cold start.
        from kiosk.ui.window.later_screens import build_later_screens

        rest = build_later_screens(
            self._services,
            self.tasks,
            self._help_info,
            center_timeout_s=self._center_timeout_s,
            qr_window_s=self._qr_window_s,
            language=lambda: self.display.language,
            window=lambda: self,
            call_context=self._call_context,
            can_show=lambda name: name in self.navigator.screens,
            monotonic=self._monotonic,
            parent=self,
        )
        self._rest = rest
        self.navigator.add(rest.screens)
        self.center.bill_built(rest.bill)
        self.center.later_built(rest.help, rest.paying.method)
        if self._reference is not None:
            self._build_information(self._reference)
        rest.flow.sig_show_screen.connect(self.show_screen)
        rest.business.sig_show_screen.connect(self.show_screen)
        rest.history.sig_show_screen.connect(self.show_screen)
        rest.history.sig_back_to_bill.connect(lambda: self.show_screen(rest.bill.name))
        rest.bill.sig_history.connect(self._open_history)
        rest.business.start.sig_read_card.connect(self.device_router.read_card_asked)
        rest.entry.sig_read_card.connect(self.device_router.read_card_asked)
        rest.payments.sig_show_screen.connect(self.show_screen)
        rest.payments.sig_hold_timeout.connect(self.session.hold_for_payment)
        rest.payments.sig_lock_navigation.connect(self.navigator.lock)
        rest.payments.sig_outcome_shown.connect(self._forget_payment_steps)
        rest.payments.sig_outcome_shown.connect(self._result_stays)
        rest.payments.center_reachable(self.link.online)
        self.link.sig_online.connect(rest.payments.center_reachable)
        rest.payments.sig_finished.connect(lambda: self.end_session(EndReason.FINISHED))
        rest.paying.method.sig_stop.connect(self.go_home)
        rest.help.sig_call_back.connect(lambda: self.show_screen(rest.call_back.name))
        rest.call_backs.sig_finished.connect(lambda: self.end_session(EndReason.FINISHED))
        rest.video_calls.sig_show_screen.connect(self.show_screen)
        rest.video_calls.sig_open_service.connect(self.open_service)
        rest.video_calls.sig_hold.connect(self.session.hold_for_call)
        rest.video_calls.sig_finished.connect(self.show_help)
        rest.video_calls.sig_call_back.connect(lambda: self.show_screen(rest.call_back.name))
        from kiosk.ui.help.call_bar import CallBar

        self.call_bar = CallBar()
        self.top_bar.hold_call_bar(self.call_bar)
        self.call_bar.sig_back_to_call.connect(lambda: self.show_screen(rest.video_call.name))
        self.call_bar.sig_hang_up.connect(rest.video_calls.hang_up)
        rest.video_calls.sig_staff_picture.connect(self.call_bar.show_staff)
        rest.video_calls.sig_talking.connect(lambda _: self._show_call_bar())
        if self._video is not None:
            rest.video_calls.attach(self._video)
        rest.reprints.sig_show_screen.connect(self.show_screen)
        rest.reprints.sig_hold_timeout.connect(self.session.hold_for_payment)
        rest.reprints.sig_result_shown.connect(
            lambda: self.session.stay(result_stays_s(holds_reference=False))
        )
        rest.bill.set_theme(self.display.theme)
        rest.paying.code.set_theme(self.display.theme)
        rest.help.set_language(self.display.language)
        self.display.sig_theme_changed.connect(rest.bill.set_theme)
        self.display.sig_theme_changed.connect(rest.paying.code.set_theme)
        self.display.sig_language_changed.connect(rest.help.set_language)

    def _open_history(self) -> None:
        """The receipts and invoices of the account whose bill is shown."""
        rest = self.later()
        if rest.bill.bill is not None:
            rest.history.open(rest.bill.bill.account.number)

    def _build_information(self, library: ReferenceLibrary) -> None:
        from kiosk.ui.information import Information

        information = Information(library, lambda: self._wallclock().date(), parent=self)
        self._information = information
        self.navigator.add(information.screens)
        information.menu.sig_open.connect(self.show_screen)
        information.sig_changed.connect(self._reference_changed)
        information.set_language(self.display.language)
        self.display.sig_language_changed.connect(information.set_language)
        self._reference_changed()

    def warm_up(self) -> None:
        """Draw the later screens once, off screen, one per turn of the event loop."""
        from kiosk.ui.window.warm_up import WarmUp

        self._warm_up = WarmUp(self.later().screens, self.navigator.stack.size, parent=self)
        self._warm_up.start()

    def reference_loaded(self, library: ReferenceLibrary) -> None:
        """The reference data, read behind the first frame: the information screens come now
        (or with the other screens, if those are not built yet)."""
        if self._reference is not None:
            return
        self._reference = library
        if self._rest is not None:
            self._build_information(library)

    @property
    def information(self) -> Information:
        self.finish_building()
        if self._information is None:
            raise RuntimeError("this window has no reference data")
        return self._information

    def later(self) -> LaterScreens:
        self.finish_building()
        assert self._rest is not None
        return self._rest

    entry: LaterScreen[AccountEntryScreen] = LaterScreen("entry")
    choice: LaterScreen[AccountChoiceScreen] = LaterScreen("choice")
    bill: LaterScreen[BillScreen] = LaterScreen("bill")
    help: LaterScreen[HelpScreen] = LaterScreen("help")
    call_back: LaterScreen[CallBackScreen] = LaterScreen("call_back")
    video_call: LaterScreen[VideoCallScreen] = LaterScreen("video_call")
    flow: LaterScreen[LookupFlow] = LaterScreen("flow")
    payments: LaterScreen[PaymentFlow] = LaterScreen("payments")
    reprints: LaterScreen[ReprintFlow] = LaterScreen("reprints")
    paying: LaterScreen[PaymentScreens] = LaterScreen("paying")

    # -- what the app holds the window by: theme, size, devices --------------------------

    def _theme_changed(self, theme: Theme) -> None:
        self.setStyleSheet(stylesheet(theme))
        self.top_bar.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.navigator.fit(event.size().width(), event.size().height())
        if self._maintenance is not None:
            self._maintenance.setGeometry(self.rect())

    def fit(self, width: int, height: int) -> None:
        """Lay out for this size, then take it: a landscape layout is wider than a tall screen."""
        self.navigator.fit(width, height)
        self.resize(width, height)

    @property
    def device_signals(self) -> DeviceSignals | None:
        """Where scanner codes and ID cards come in; devices attach to it when they are up."""
        return self.device_router.devices

    # -- navigation ----------------------------------------------------------------------

    def show_screen(self, name: str) -> None:
        self.navigator.show(name, start=self.idle.name)

    def _before_move(self, name: str) -> str:
        rest = self._rest
        if rest is not None and rest.flow.busy and name not in (rest.entry.name, rest.choice.name):
            rest.flow.cancel()
        return self.lock_guard.redirect(name)

    def _moved(self, old: str, name: str) -> None:
        self.bottom_bar.setVisible(
            name not in (self.idle.name, self.locked.name, self.take_card.name)
        )
        if self._rest is not None and name == self._rest.entry.name:
            devices = self.device_router.devices
            self._rest.entry.set_card_reader(devices is not None and devices.has_id_card_reader)
        self._enable_navigation()
        self._show_call_bar()
        if self._rest is not None and old != name:
            self._rest.payments.screen_left(old, name)
            if old in (self._rest.paying.result.name, self._rest.paying.receipts.name):
                self.session.stay(None)  # a result's longer stay ends with its screen
        self.session.visited(name)

    def _enable_navigation(self) -> None:
        free = not self.navigator.locked
        back = free and (self.navigator.current != self.home.name or self.session.running)
        self.bottom_bar.enable(back=back, leave=free)

    def _forget_payment_steps(self, progress: PaymentProgress) -> None:
        """Back from a result never leads into a payment that is over. Once paid, it leads
        home: not to the paid bill, nor to the account entry still holding its number."""
        from kiosk.domain.payment import Outcome

        paying = self.paying
        gone = set(paying.steps)
        if progress.outcome == Outcome.PAID:
            gone |= {self.bill.name, paying.receipts.name, self.entry.name, self.choice.name}
            self.entry.clear_digits()  # Bills from home starts afresh, not with the paid account
        self.navigator.forget(gone)

    def _result_stays(self, progress: PaymentProgress) -> None:
        from kiosk.domain.payment import Outcome

        holds_reference = progress.outcome is Outcome.UNCONFIRMED
        self.session.stay(result_stays_s(holds_reference=holds_reference))

    def back(self) -> None:
        if self.navigator.locked:
            return
        if not self.navigator.back():
            self.end_session(EndReason.HOME)

    def go_home(self) -> None:
        self.navigator.clear_history()
        self.navigator.go(self.home.name)

    def show_help(self) -> None:
        self.show_screen(self.help.name)

    def open_service(self, name: str) -> None:
        """Open a service as its tile on the home screen does (staff do it during a call)."""
        if name == "home":
            self.go_home()
        elif name in ("account_entry", "receipts"):
            self._enter_account(receipts=name == "receipts")
        else:
            self.show_screen(name)

    def _show_call_bar(self) -> None:
        """The call stays in view on every screen but its own."""
        rest = self._rest
        if rest is not None:
            elsewhere = self.navigator.current != rest.video_call.name
            self.call_bar.set_shown(
                rest.video_calls.talking and elsewhere, wide=self.width() > self.height()
            )

    def screen_picture(self) -> tuple[QImage, bool]:
        """The screen as the center's screenshot, and whether it was masked: while a
        resident's session goes on, everything between the bars is blurred past reading. On
        the UI thread (a widget is grabbed there); the PNG is made by the caller's thread."""
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QPainter

        picture = self.grab()
        masked = self.session.running
        if masked:
            stack = self.navigator.stack
            area = QRect(stack.mapTo(self, stack.rect().topLeft()), stack.size())
            blurred = (
                picture.copy(area)
                .scaled(max(area.width() // 40, 1), max(area.height() // 40, 1))
                .scaled(area.size())
            )
            painter = QPainter(picture)
            painter.drawPixmap(area.topLeft(), blurred)
            painter.end()
        return picture.toImage(), masked

    # -- maintenance -----------------------------------------------------------------------

    def attach_maintenance(
        self,
        desk: MaintenanceDesk,
        *,
        idle_s: float,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        """The back end is up: the hidden knock opens maintenance mode from now on. `clock`
        (UTC): when a lock on entry runs out."""
        from kiosk.ui.maintenance.door import MaintenanceDoor
        from kiosk.ui.maintenance.mode import MaintenanceMode

        mode = MaintenanceMode(
            desk, self.device_router.devices, idle_s=idle_s, parent=self, clock=clock
        )
        mode.sig_closed.connect(self._maintenance_over)
        mode.sig_restart.connect(self.sig_restart_asked)
        mode.sig_leave_to_desktop.connect(self.sig_quit_asked)
        self._maintenance = mode
        door = MaintenanceDoor(
            self,
            may_knock=lambda: (
                not self.session.running
                and not self.in_maintenance
                and self.navigator.current in (self.idle.name, self.locked.name)
            ),
            monotonic=self._monotonic,
        )
        door.sig_knocked.connect(self.open_maintenance)
        self._maintenance_door = door

    @property
    def maintenance(self) -> MaintenanceMode | None:
        return self._maintenance

    @property
    def in_maintenance(self) -> bool:
        return self._maintenance is not None and self._maintenance.isVisible()

    def open_maintenance(self) -> None:
        if self._maintenance is None or self.session.running:
            return
        self.card_reminder.end()
        self._maintenance.open()

    def _maintenance_over(self) -> None:
        self.navigator.go(self.locked.name if self.lock_guard.locked else self.idle.name)

    def attach_video(self, link: VideoHelp | None) -> None:
        """The back end is up: Help's video calls go through `link`."""
        self._video = link
        if self._rest is not None:
            self._rest.video_calls.attach(link)

    def _call_context(self) -> CallContext:
        """What staff see of a call: where the resident pressed Help, their account (masked),
        the reference of a payment whose result is not confirmed."""
        from kiosk.services.video_help import CallContext
        from rules.masking import mask_digits

        rest = self.later()
        bill = rest.bill.bill
        result = rest.paying.result
        reference = result.reference_number.text() if not result.reference_card.isHidden() else ""
        return CallContext(
            screen=self.navigator.previous or self.navigator.current,
            language=self.display.language,
            station=self._station[:80] or None,
            account_masked=mask_digits(bill.account.number, 2, 4) if bill is not None else None,
            payment_reference=reference or None,
        )

    def _enter_account(self, *, receipts: bool) -> None:
        self.flow.find(receipts=receipts)
        self.show_screen(self.entry.name)

    # -- session -------------------------------------------------------------------------

    def start_session(self) -> None:
        if self.session.running or self.lock_guard.locked or self.in_maintenance:
            return
        self.card_reminder.end()  # the previous resident's settings go with it
        self.session.start()
        if self._services is not None:
            self._services.session_started(self._wallclock())
        self.navigator.clear_history()
        self.sig_session_started.emit()
        self.navigator.go(self.home.name)

    def end_session(self, reason: EndReason) -> None:
        summary = self.session.stop(
            reason, language=self.display.language, large_text=self.display.large_text
        )
        if summary is None:
            return
        if self._rest is not None:
            self._rest.video_calls.session_ended()
            self._rest.flow.find(receipts=False)  # cancels what runs, too
            self._rest.payments.session_ended()
            self._rest.reprints.session_ended()
            self._rest.business.clear()  # the card's fields, the pages, the signature
            self._rest.history.clear()  # the VAT form's phone and e-mail
        self.tasks.forget_all()
        for screen in self.navigator.screens.values():
            screen.clear()
        self._reference_changed()  # the day may have changed: notices in season for today
        self.navigator.clear_history()
        self.countdown.setVisible(False)
        # A card left on the reader: the reminder, in the resident's language and text size.
        reminding = self.card_reminder.begin()
        if not reminding:
            self.display.reset()
        self.lock_guard.session_ended()
        self.navigator.go(self.take_card.name if reminding else self.idle.name)
        if self._services is not None:
            self.tasks.run(
                self._services.end_session,
                summary,
                timeout_s=30,
                on_result=lambda _: None,
                on_error=lambda error: log.warning(
                    "session summary not recorded: %s", type(error).__name__
                ),
            )
        self.sig_session_ended.emit(summary)

    def _card_reminder_over(self) -> None:
        self.display.reset()
        if self.navigator.current == self.take_card.name:
            self.navigator.go(self.idle.name)

    def _show_time(self) -> None:
        self.top_bar.clock_label.setText(self._wallclock().strftime("%H:%M"))

    def _device_input(self) -> None:
        if self.session.running:
            self.session.touch()
        else:
            self.start_session()

    # -- the center: reachable or not, locked or not, its reference data -----------------

    def _take_lock(self) -> None:
        if self.session.running:
            self.end_session(EndReason.LOCKED)
        self.navigator.go(self.locked.name)

    def _reference_changed(self) -> None:
        if self._reference is not None and self._information is not None:
            self.center.reference_changed(self._reference, self._information)

    # -- teardown ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.teardown()
        super().closeEvent(event)

    def teardown(self) -> None:
        """Disconnect from the application and the devices; stop background work."""
        self.session.teardown()
        self.link.teardown()
        if self._maintenance_door is not None:
            self._maintenance_door.teardown()
        if self._maintenance is not None:
            self._maintenance.teardown()
        if self._information is not None:
            self._information.teardown()
        self.card_reminder.teardown()
        self.device_router.teardown()
        if self._rest is not None:
            self._rest.flow.cancel()
            self._rest.payments.teardown()
        self.tasks.shutdown()
