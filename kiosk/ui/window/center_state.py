"""What the center says, shown where it applies: reachable or not, and its reference data;
and what the devices allow (kiosk.domain.service_availability).

Offline, the idle and home screens say so and wallet payments are hidden; back to normal by
itself. A failed device withdraws the services that need it, and they come back with it; when
nothing works the idle screen sends residents to the staffed hall. New reference data brings
the idle screen's notices, the home menu's information tile, whether wallet payments are
offered, and the inactivity limits of the next session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.domain.service_availability import Availability, Service

if TYPE_CHECKING:
    from kiosk.services.reference import ReferenceLibrary
    from kiosk.ui.help.help import HelpScreen
    from kiosk.ui.home.home import HomeScreen
    from kiosk.ui.home.idle import IdleScreen
    from kiosk.ui.information import Information
    from kiosk.ui.local_text import HelpInfo
    from kiosk.ui.lookup.bill import BillScreen
    from kiosk.ui.paying.pay_method import PayMethodScreen
    from kiosk.ui.window.session_clock import SessionClock


class CenterState(QObject):
    def __init__(
        self,
        idle: IdleScreen,
        home: HomeScreen,
        session: SessionClock,
        help_info: HelpInfo | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._help_info = help_info
        self._levels: dict[str, str] = {}
        self._help: HelpScreen | None = None
        self._pay_method: PayMethodScreen | None = None
        self._idle = idle
        self._home = home
        self._session = session
        self._bill: BillScreen | None = None
        self._online = True
        self._wallets_on = True

    @property
    def online(self) -> bool:
        return self._online

    @property
    def availability(self) -> Availability:
        return Availability.of(self._online, self._levels)

    def set_online(self, online: bool) -> None:
        self._online = online
        self._idle.set_offline(not online)
        self._show_availability()
        self._show_wallets()

    def set_device_levels(self, levels: dict[str, str]) -> None:
        """Each device's health now ("ok", "warning", "fault", "unknown")."""
        self._levels = dict(levels)
        self._show_availability()

    def later_built(self, help_screen: HelpScreen, pay_method: PayMethodScreen) -> None:
        self._help = help_screen
        self._pay_method = pay_method
        self._show_availability()

    def _show_availability(self) -> None:
        availability = self.availability
        self._home.set_availability(availability)
        self._idle.set_nothing_works(availability.nothing_works, self._help_info)
        if not availability.nothing_works:
            self._idle.set_offline(not self._online)
        if self._help is not None:
            self._help.set_video_available(availability.offered(Service.VIDEO_HELP))
        if self._pay_method is not None:
            self._pay_method.set_code_scanning("scanner" not in availability.failed)

    def bill_built(self, bill: BillScreen) -> None:
        """The bill screen exists now: it offers wallet payments only when they can work."""
        self._bill = bill
        self._show_wallets()

    def _show_wallets(self) -> None:
        if self._bill is not None:
            self._bill.set_wallets_available(self._online and self._wallets_on)

    def reference_changed(self, library: ReferenceLibrary, information: Information) -> None:
        """New reference data: notices on the idle screen, settings where they apply."""
        from kiosk.services.screen_types import ReferenceKind

        # The shipped notices until the center's arrive; either way only those in season today.
        self._idle.set_notices(information.notices())
        settings = library.settings()
        self._home.set_information(settings.services.information)
        self._wallets_on = settings.services.payments
        self._show_wallets()
        if library.synced(ReferenceKind.SETTINGS):
            # Taken by the next session; the one going on keeps its clock.
            self._session.set_limits(settings.inactivity_seconds, settings.warning_seconds)
