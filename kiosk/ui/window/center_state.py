"""What the center says, shown where it applies: reachable or not, and its reference data.

Offline, the idle and home screens say so and wallet payments are hidden; back to normal by
itself. New reference data brings the idle screen's notices, the home menu's information tile,
whether wallet payments are offered, and the inactivity limits of the next session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from kiosk.services.reference import ReferenceLibrary
    from kiosk.ui.home.home import HomeScreen
    from kiosk.ui.home.idle import IdleScreen
    from kiosk.ui.information import Information
    from kiosk.ui.lookup.bill import BillScreen
    from kiosk.ui.window.session_clock import SessionClock


class CenterState(QObject):
    def __init__(
        self,
        idle: IdleScreen,
        home: HomeScreen,
        session: SessionClock,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._idle = idle
        self._home = home
        self._session = session
        self._bill: BillScreen | None = None
        self._online = True
        self._wallets_on = True

    @property
    def online(self) -> bool:
        return self._online

    def set_online(self, online: bool) -> None:
        self._online = online
        self._idle.set_offline(not online)
        self._home.set_offline(not online)
        self._show_wallets()

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
