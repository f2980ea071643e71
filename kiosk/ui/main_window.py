"""The resident's window: top bar, the stack of screens, bottom bar, the inactivity countdown.

It owns the session: a touch on the idle screen starts one; Finish, Back from the menu, or the
inactivity clock ends it, wiping every screen and telling the center (in the background) how
it went.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.payment import Outcome
from kiosk.domain.session import EndReason, InactivityClock, Phase, SessionSummary
from kiosk.ui.background import BackgroundTasks, DeviceSignals
from kiosk.ui.help.help import HelpScreen
from kiosk.ui.home.home import HomeScreen
from kiosk.ui.home.idle import IdleScreen
from kiosk.ui.home.locked import LockedScreen
from kiosk.ui.information import Information
from kiosk.ui.link_state import LinkState
from kiosk.ui.local_text import CHINESE, ENGLISH, HelpInfo, LocalText
from kiosk.ui.lookup.account_choice import AccountChoiceScreen
from kiosk.ui.lookup.account_entry import AccountEntryScreen
from kiosk.ui.lookup.bill import BillScreen
from kiosk.ui.lookup.flow import LookupFlow
from kiosk.ui.paying.flow import PaymentFlow, PaymentScreens
from kiosk.ui.paying.pay_amount import PrepayAmountScreen
from kiosk.ui.paying.pay_code import PayByCodeScreen
from kiosk.ui.paying.pay_method import PayMethodScreen
from kiosk.ui.paying.pay_qr import PayByQrScreen
from kiosk.ui.paying.payment_result import PaymentResultScreen
from kiosk.ui.paying.rating import RatingScreen
from kiosk.ui.paying.receipts import ReceiptsScreen
from kiosk.ui.theme import Theme, stylesheet, theme_for
from kiosk.ui.translations import TRANSLATIONS_DIR, Translations
from kiosk.ui.widgets import Retranslated, Screen, button, label

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.services.reference import ReferenceLibrary


log = logging.getLogger(__name__)

_TOUCH_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}
# Named in the language they switch to, so a resident who cannot read the other one finds it.
_LANGUAGE_BUTTON = {CHINESE: "English", ENGLISH: "中文"}


class CountdownBanner(Retranslated, QFrame):
    """ "Are you still there?" with one big button for more time."""

    sig_more_time = Signal()
    """(): the resident wants to go on."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("countdown")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(30, 20, 30, 20)
        layout.setSpacing(30)
        self.text = label("message")
        self.more_time = button("primary")
        self.more_time.clicked.connect(self.sig_more_time)
        layout.addWidget(self.text, 3)
        layout.addWidget(self.more_time, 1)
        self._seconds = 0
        self.setVisible(False)
        self.retranslate()

    def show_seconds(self, seconds: int) -> None:
        self._seconds = seconds
        self.retranslate()
        if self.isHidden():
            self.setVisible(True)
            self.raise_()

    def retranslate(self) -> None:
        self.text.setText(
            self.tr(
                "Are you still there? "
                "In {0} seconds this session ends and everything shown is cleared."
            ).format(self._seconds)
        )
        self.more_time.setText(self.tr("More time"))


@dataclass(frozen=True)
class _LaterScreens:
    """The screens built after the first frame, and the controller that drives them."""

    entry: AccountEntryScreen
    choice: AccountChoiceScreen
    bill: BillScreen
    help: HelpScreen
    flow: LookupFlow
    paying: PaymentScreens
    payments: PaymentFlow


class KioskWindow(Retranslated, QWidget):
    """The whole resident-facing window. `services` None: display only (screenshots)."""

    sig_session_started = Signal()
    """(): a resident touched the idle screen."""

    sig_session_ended = Signal(object)
    """(SessionSummary): the session ended and every screen was wiped."""

    def __init__(
        self,
        services: UseCases | None,
        *,
        station_name: str,
        notices: Sequence[LocalText] = (),
        help_info: HelpInfo,
        timeout_s: float = 120,
        warning_s: float = 30,
        center_timeout_s: float = 10,
        qr_window_s: float = 300,
        language: str = CHINESE,
        large_text: bool = False,
        devices: DeviceSignals | None = None,
        translations_dir: object = TRANSLATIONS_DIR,
        reference: ReferenceLibrary | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wallclock: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
    ) -> None:
        super().__init__()
        self.setObjectName("kioskRoot")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(station_name)
        self._services = services
        self._timeout_s = timeout_s
        self._warning_s = warning_s
        self._default_language = language
        self._monotonic = monotonic
        self._wallclock = wallclock
        self._large_text = large_text
        self._default_large_text = large_text
        self._clock: InactivityClock | None = None
        self._started_at: dt.datetime | None = None
        self._visited: list[str] = []
        self._history: list[str] = []
        self._warned = False
        self._portrait = False
        self.tasks = BackgroundTasks(parent=self)
        self.translations = Translations(translations_dir, parent=self)  # type: ignore[arg-type]

        self.idle = IdleScreen(station_name, notices)
        self.home = HomeScreen()
        self.locked = LockedScreen(help_info.hotline)
        # The reference data (prices, notices, guides, settings): the services' library, or one
        # given for display only (screenshots).
        self._reference = reference or getattr(services, "reference", None)
        self._information: Information | None = None
        self._online = True
        self._wallets_on = True
        self._lock_state: object | None = None
        self._locked = False
        self.screens: dict[str, Screen] = {}
        self.stack = QStackedWidget()
        for screen in (self.idle, self.home, self.locked):
            self.screens[screen.name] = screen
            self.stack.addWidget(screen)
        # The other screens are built just after the first frame (or when first asked for):
        # the bill screen alone is a tenth of a cold start.
        self._help_info = help_info
        self._center_timeout_s = center_timeout_s
        self._qr_window_s = qr_window_s
        self._navigation_locked = False
        self._payment_hold = False
        self._rest: _LaterScreens | None = None
        self.idle.sig_start.connect(self.start_session)
        self.home.sig_bills.connect(lambda: self._enter_account(receipts=False))
        self.home.sig_receipts.connect(lambda: self._enter_account(receipts=True))
        self.home.sig_help.connect(self.show_help)
        self.home.sig_info.connect(lambda: self.show_screen(self.information.menu.name))
        self.home.set_information(self._reference is not None)
        self.home.set_reprints(services is not None and services.payments_enabled)
        self.link = LinkState(services, parent=self)
        self.link.sig_online.connect(self.set_online)
        self.link.sig_lock.connect(self.set_lock)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_top_bar())
        layout.addWidget(self.stack, 1)
        layout.addWidget(self._build_bottom_bar())
        self.countdown = CountdownBanner(self)
        self.countdown.sig_more_time.connect(self.more_time)

        self._devices = devices
        if devices is not None:
            devices.sig_code_scanned.connect(self._on_code_scanned)
            devices.sig_id_card_read.connect(self._on_id_card)

        self._ticker = QTimer(self)
        self._ticker.setInterval(200)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        QApplication.instance().installEventFilter(self)
        self.set_large_text(large_text)
        self.set_language(language)
        self._go(self.idle.name)
        self.set_online(self.link.online)
        self.set_lock(self.link.lock_state)
        self._tick()

    # -- bars --------------------------------------------------------------------------

    def _build_top_bar(self) -> QFrame:
        bar = QFrame()
        bar.setProperty("role", "bar")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(24, 8, 24, 8)
        layout.setSpacing(16)
        self.station_label = label("barTitle", self.windowTitle(), wrap=False)
        # The station name gives way first when a tall screen is narrow.
        self.station_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.clock_label = label("", wrap=False)
        self.language_button = button("bar")
        self.language_button.clicked.connect(self.toggle_language)
        self.large_text_button = button("bar")
        self.large_text_button.clicked.connect(lambda: self.set_large_text(not self._large_text))
        for widget in (self.language_button, self.large_text_button):
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.station_label, 1)
        layout.addWidget(self.clock_label)
        layout.addWidget(self.language_button)
        layout.addWidget(self.large_text_button)
        return bar

    def _build_bottom_bar(self) -> QFrame:
        self.bottom_bar = QFrame()
        self.bottom_bar.setProperty("role", "bar")
        layout = QHBoxLayout(self.bottom_bar)
        layout.setContentsMargins(30, 12, 30, 12)
        layout.setSpacing(24)
        self.back_button = button("bar")
        self.back_button.clicked.connect(self.back)
        self.home_button = button("bar")
        self.home_button.clicked.connect(self.go_home)
        self.help_button = button("bar")
        self.help_button.clicked.connect(self.show_help)
        self.finish_button = button("bar")
        self.finish_button.clicked.connect(lambda: self.end_session(EndReason.FINISHED))
        for widget in (self.back_button, self.home_button, self.help_button, self.finish_button):
            layout.addWidget(widget)
        return self.bottom_bar

    def retranslate(self) -> None:
        self.language_button.setText(_LANGUAGE_BUTTON[self.language])
        self.large_text_button.setText(
            self.tr("Normal text") if self._large_text else self.tr("Large text")
        )
        self.back_button.setText(self.tr("< Back"))
        self.home_button.setText(self.tr("Home"))
        self.help_button.setText(self.tr("Help"))
        self.finish_button.setText(self.tr("Finish"))
        self._show_time()

    # -- language, text size, orientation -----------------------------------------------

    def finish_building(self) -> None:
        """Build the screens left out of the first frame; safe to call again."""
        if self._rest is not None:
            return
        entry, choice = AccountEntryScreen(), AccountChoiceScreen()
        bill, help_screen = BillScreen(), HelpScreen(self._help_info)
        flow = LookupFlow(
            self._services,
            self.tasks,
            entry,
            choice,
            bill,
            center_timeout_s=self._center_timeout_s,
            parent=self,
        )
        paying = PaymentScreens(
            bill=bill,
            amount=PrepayAmountScreen(),
            method=PayMethodScreen(),
            code=PayByCodeScreen(),
            qr=PayByQrScreen(),
            result=PaymentResultScreen(self._help_info.hotline),
            rating=RatingScreen(),
            receipts=ReceiptsScreen(),
        )
        payments = PaymentFlow(
            self._services,
            self.tasks,
            paying,
            center_timeout_s=self._center_timeout_s,
            qr_window_s=self._qr_window_s,
            monotonic=self._monotonic,
            parent=self,
        )
        self._rest = _LaterScreens(entry, choice, bill, help_screen, flow, paying, payments)
        for screen in (
            entry,
            choice,
            bill,
            help_screen,
            paying.amount,
            paying.method,
            paying.code,
            paying.qr,
            paying.result,
            paying.rating,
            paying.receipts,
        ):
            self.screens[screen.name] = screen
            self.stack.addWidget(screen)
            screen.set_portrait(self._portrait)
        if self._reference is not None:
            self._build_information(self._reference)
        bill.set_wallets_available(self._online and self._wallets_on)
        flow.sig_show_screen.connect(self.show_screen)
        flow.sig_bill_shown.connect(payments.bill_shown)
        flow.sig_receipts_wanted.connect(payments.receipts_of)
        payments.sig_show_screen.connect(self.show_screen)
        payments.sig_hold_timeout.connect(self._hold_for_payment)
        payments.sig_lock_navigation.connect(self._lock_navigation)
        payments.sig_outcome_shown.connect(self._forget_payment_steps)
        payments.sig_finished.connect(lambda: self.end_session(EndReason.FINISHED))
        bill.set_theme(self.theme)
        paying.code.set_theme(self.theme)
        help_screen.set_language(self.language)
        self.retranslate()

    def _build_information(self, library: ReferenceLibrary) -> None:
        information = Information(library, lambda: self._wallclock().date(), parent=self)
        self._information = information
        for screen in information.screens:
            self.screens[screen.name] = screen
            self.stack.addWidget(screen)
            screen.set_portrait(self._portrait)
        information.menu.sig_open.connect(self.show_screen)
        information.sig_changed.connect(self._reference_changed)
        information.set_language(self.language)
        self._reference_changed()

    @property
    def information(self) -> Information:
        self.finish_building()
        if self._information is None:
            raise RuntimeError("this window has no reference data")
        return self._information

    def _later(self) -> _LaterScreens:
        self.finish_building()
        assert self._rest is not None
        return self._rest

    @property
    def entry(self) -> AccountEntryScreen:
        return self._later().entry

    @property
    def choice(self) -> AccountChoiceScreen:
        return self._later().choice

    @property
    def bill(self) -> BillScreen:
        return self._later().bill

    @property
    def help(self) -> HelpScreen:
        return self._later().help

    @property
    def flow(self) -> LookupFlow:
        return self._later().flow

    @property
    def payments(self) -> PaymentFlow:
        return self._later().payments

    @property
    def paying(self) -> PaymentScreens:
        return self._later().paying

    @property
    def language(self) -> str:
        return self.translations.language

    @property
    def large_text(self) -> bool:
        return self._large_text

    @property
    def theme(self) -> Theme:
        return theme_for(self._large_text)

    def set_language(self, language: str) -> None:
        self.translations.switch(language)
        self.idle.set_language(language)
        if self._rest is not None:
            self._rest.help.set_language(language)
        if self._information is not None:
            self._information.set_language(language)
        self.retranslate()

    def toggle_language(self) -> None:
        self.set_language(ENGLISH if self.language == CHINESE else CHINESE)

    def set_large_text(self, on: bool) -> None:
        self._large_text = on
        theme = self.theme
        self.setStyleSheet(stylesheet(theme))
        if self._rest is not None:
            self._rest.bill.set_theme(theme)
            self._rest.paying.code.set_theme(theme)
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_orientation(event.size().width(), event.size().height())
        self._place_countdown()

    def fit(self, width: int, height: int) -> None:
        """Lay out for this size, then take it: a landscape layout is wider than a tall screen."""
        self._apply_orientation(width, height)
        self.resize(width, height)

    def _apply_orientation(self, width: int, height: int) -> None:
        portrait = height > width
        if portrait != self._portrait:
            self._portrait = portrait
            for screen in self.screens.values():
                screen.set_portrait(portrait)

    def _place_countdown(self) -> None:
        width = min(self.width() - 60, 1500)
        height = self.countdown.sizeHint().height()
        bottom = self.bottom_bar.geometry().top() if self.bottom_bar.isVisible() else self.height()
        self.countdown.setGeometry((self.width() - width) // 2, bottom - height - 20, width, height)

    # -- navigation ----------------------------------------------------------------------

    @property
    def device_signals(self) -> DeviceSignals | None:
        """Where scanner codes and ID cards come in; devices attach to it when they are up."""
        return self._devices

    @property
    def current_screen(self) -> str:
        return self.stack.currentWidget().name  # type: ignore[attr-defined]

    def show_screen(self, name: str) -> None:
        current = self.current_screen
        if name == current:
            return
        if current != self.idle.name:
            self._history.append(current)
        self._go(name)

    def _go(self, name: str) -> None:
        if name not in self.screens:
            self.finish_building()
        rest = self._rest
        if rest is not None and rest.flow.busy and name not in (rest.entry.name, rest.choice.name):
            rest.flow.cancel()
        current = self.stack.currentWidget()
        old = current.name if isinstance(current, Screen) else ""
        if self._locked:
            name = self.locked.name  # no way past the center's lock but its unlock
        self.stack.setCurrentWidget(self.screens[name])
        self.bottom_bar.setVisible(name not in (self.idle.name, self.locked.name))
        self._enable_navigation()
        if rest is not None and old != name:
            rest.payments.screen_left(old, name)
        if self._clock is not None:
            self._visited.append(name)

    def _enable_navigation(self) -> None:
        free = not self._navigation_locked
        name = self.current_screen
        self.back_button.setEnabled(free and (name != self.home.name or self._clock is not None))
        self.home_button.setEnabled(free)
        self.finish_button.setEnabled(free)

    def _lock_navigation(self, locked: bool) -> None:
        """A payment is being settled: the resident stays with it until it has an outcome."""
        self._navigation_locked = locked
        self._enable_navigation()

    def _hold_for_payment(self, hold: bool) -> None:
        # One hold per session at most: a release never meets a clock it did not hold.
        if hold and self._clock is not None and not self._payment_hold:
            self._payment_hold = True
            self.hold_timeout()
        elif not hold and self._payment_hold:
            self._payment_hold = False
            self.release_timeout()

    def _forget_payment_steps(self, progress: object) -> None:
        """Back from a result never leads into a payment that is over (nor to a paid bill)."""
        paying = self.paying
        gone = set(paying.steps)
        if getattr(progress, "outcome", None) == Outcome.PAID:
            gone |= {self.bill.name, paying.receipts.name}
        self._history = [name for name in self._history if name not in gone]

    def back(self) -> None:
        if self._navigation_locked:
            return
        if self._history:
            self._go(self._history.pop())
        else:
            self.end_session(EndReason.HOME)

    def go_home(self) -> None:
        self._history.clear()
        self._go(self.home.name)

    def show_help(self) -> None:
        self.show_screen(self.help.name)

    def _enter_account(self, *, receipts: bool) -> None:
        self.flow.find(receipts=receipts)
        self.show_screen(self.entry.name)

    # -- session -------------------------------------------------------------------------

    @property
    def in_session(self) -> bool:
        return self._clock is not None

    def start_session(self) -> None:
        if self._clock is not None or self._locked:
            return
        self._clock = InactivityClock(self._timeout_s, self._warning_s, self._monotonic())
        self._started_at = self._wallclock()
        self._visited = []
        self._history = []
        self.sig_session_started.emit()
        self._go(self.home.name)

    def more_time(self) -> None:
        if self._clock is not None:
            self._clock.touch(self._monotonic())
        self._tick()

    def hold_timeout(self) -> None:
        """A payment is being settled: its own timeout governs, not the inactivity clock."""
        if self._clock is not None:
            self._clock.hold()

    def release_timeout(self) -> None:
        if self._clock is not None:
            self._clock.release(self._monotonic())

    def end_session(self, reason: EndReason) -> None:
        if self._clock is None or self._started_at is None:
            return
        summary = SessionSummary(
            started_at=self._started_at,
            ended_at=self._wallclock(),
            reason=reason,
            screens=tuple(self._visited),
            language=self.language,
            large_text=self._large_text,
        )
        self._clock = None
        self._payment_hold = False
        self._started_at = None
        if self._rest is not None:
            self._rest.flow.find(receipts=False)  # cancels what runs, too
            self._rest.payments.session_ended()
        self.tasks.forget_all()
        for screen in self.screens.values():
            screen.clear()
        self._history.clear()
        self.countdown.setVisible(False)
        self._warned = False
        if self._large_text != self._default_large_text:
            self.set_large_text(self._default_large_text)
        if self.language != self._default_language:
            self.set_language(self._default_language)
        # A lock that waited for a payment to be settled takes hold now.
        self._locked = self._lock_state is not None
        self._go(self.idle.name)
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

    def _tick(self) -> None:
        self._show_time()
        if self._clock is None:
            return
        state = self._clock.state(self._monotonic())
        if state.phase is Phase.EXPIRED:
            self.end_session(EndReason.TIMEOUT)
        elif state.phase is Phase.WARNING:
            if not self._warned:
                self._warned = True
                QApplication.beep()
            self.show_countdown(state.seconds_left)
        elif self.countdown.isVisible() or self._warned:
            self._warned = False
            self.countdown.setVisible(False)

    def show_countdown(self, seconds: int) -> None:
        self.countdown.show_seconds(seconds)
        self._place_countdown()

    def _show_time(self) -> None:
        self.clock_label.setText(self._wallclock().strftime("%H:%M"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._clock is not None
            and event.type() in _TOUCH_EVENTS
            and isinstance(watched, QWidget)
            and watched.window() is self
        ):
            self._clock.touch(self._monotonic())
        return False

    # -- the center: reachable or not, locked or not, its reference data -----------------

    @property
    def online(self) -> bool:
        return self._online

    def set_online(self, online: bool) -> None:
        """Offline: idle and home say so, wallet payments are hidden; back to normal by itself."""
        self._online = online
        self.idle.set_offline(not online)
        self.home.set_offline(not online)
        self._show_wallets()

    def _show_wallets(self) -> None:
        if self._rest is not None:
            self._rest.bill.set_wallets_available(self._online and self._wallets_on)

    def set_lock(self, state: object | None) -> None:
        """Locked by the center (a LockState with its message), or unlocked (None).

        A payment being settled keeps its screens until its outcome is shown and the session
        ends; any other session ends at once.
        """
        self._lock_state = state
        if state is None:
            if self._locked:
                self._locked = False
                self._go(self.idle.name)
            return
        self.locked.show_message(getattr(state, "message_zh", ""), getattr(state, "message_en", ""))
        if self._payment_hold:
            return
        if self._clock is not None:
            self.end_session(EndReason.LOCKED)
        self._locked = True
        self._go(self.locked.name)

    def _reference_changed(self) -> None:
        """New reference data: notices on the idle screen, settings where they apply."""
        from sync.protocol.reference import ReferenceKind

        library = self._reference
        if library is None or self._information is None:
            return
        if library.synced(ReferenceKind.NOTICES):
            self.idle.set_notices(self._information.notices())
        settings = library.settings()
        self.home.set_information(settings.services.information)
        self._wallets_on = settings.services.payments
        self._show_wallets()
        if library.synced(ReferenceKind.SETTINGS):
            # Taken by the next session; the one going on keeps its clock.
            self._timeout_s = settings.inactivity_seconds
            self._warning_s = settings.warning_seconds

    # -- devices -------------------------------------------------------------------------

    def _on_code_scanned(self, text: str) -> None:
        if self._locked:
            return
        self._device_input()
        if self.payments.takes_code(self.current_screen):
            self.payments.code_scanned(text)
            return
        if self.current_screen != self.entry.name:
            self.flow.find(receipts=False)  # a bill shown anywhere else is for its bill
        self.flow.code_scanned(text)

    def _on_id_card(self, card: object) -> None:
        if self._locked:
            return
        self._device_input()
        if self.current_screen != self.entry.name:
            self.flow.find(receipts=False)
        self.flow.id_card_read(card)

    def _device_input(self) -> None:
        if self._clock is None:
            self.start_session()
        else:
            self._clock.touch(self._monotonic())

    # -- teardown ------------------------------------------------------------------------

    def closeEvent(self, event: QEvent) -> None:  # type: ignore[override]
        self.teardown()
        super().closeEvent(event)

    def teardown(self) -> None:
        """Disconnect from the application and the devices; stop background work."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._ticker.stop()
        self.link.teardown()
        if self._information is not None:
            self._information.teardown()
        if self._devices is not None:
            self._devices.sig_code_scanned.disconnect(self._on_code_scanned)
            self._devices.sig_id_card_read.disconnect(self._on_id_card)
            self._devices = None
        if self._rest is not None:
            self._rest.flow.cancel()
            self._rest.payments.teardown()
        self.tasks.shutdown()
