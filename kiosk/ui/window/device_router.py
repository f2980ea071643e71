"""Where a scanned code or an ID card goes: to paying, to business, or to finding a bill.

An application's slip (its QR) shows where the application stands, from any screen.

Input from a device is a touch: it starts a session from the idle screen, or keeps one going. A
payment code belongs to the payment being made (on its screens, or while one is settled); any
other code, and every ID card, looks up a bill, but a card placed while a business waits for one
is that business's; a card that cannot be read says so there. A
card lying on the reader is read again only when the resident asks for it. Nothing gets past the
center's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.ui.background import DeviceSignals
from rules.application_number import (
    SLIP_QR_PREFIX,  # light: the router is built before the first frame
)

if TYPE_CHECKING:
    from kiosk.services.device_input import IdCard
    from kiosk.ui.business.flow import BusinessFlow
    from kiosk.ui.lookup.flow import LookupFlow
    from kiosk.ui.paying.flow import PaymentFlow


class DeviceRouter(QObject):
    def __init__(
        self,
        devices: DeviceSignals | None,
        *,
        current_screen: Callable[[], str],
        entry_screen: Callable[[], str],
        lookup: Callable[[], LookupFlow],
        payments: Callable[[], PaymentFlow],
        business: Callable[[], BusinessFlow] | None = None,
        locked: Callable[[], bool],
        woken: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._current_screen = current_screen
        self._entry_screen = entry_screen
        self._lookup = lookup
        self._payments = payments
        self._business = business
        self._locked = locked
        self._woken = woken
        self._devices = devices
        if devices is not None:
            devices.sig_code_scanned.connect(self.code_scanned)
            devices.sig_id_card_read.connect(self.id_card_read)
            devices.sig_id_card_unreadable.connect(self.id_card_unreadable)

    @property
    def devices(self) -> DeviceSignals | None:
        return self._devices

    def code_scanned(self, text: str) -> None:
        if self._locked():
            return
        self._woken()
        if self._business is not None and text.startswith(SLIP_QR_PREFIX):
            self._business().slip_scanned(text)  # an application's slip: where it stands
            return
        payments = self._payments()
        if payments.takes_code(self._current_screen()):
            payments.code_scanned(text)
            return
        flow = self._lookup()
        if self._current_screen() != self._entry_screen():
            flow.find(receipts=False)  # a bill shown anywhere else is for its bill
        flow.code_scanned(text)

    def id_card_read(self, card: IdCard) -> None:
        business = self._business_waiting_for_card()
        if business is not None:
            business.id_card_read(card)
            return
        flow = self._card_lookup()
        if flow is not None:
            flow.id_card_read(card)

    def _business_waiting_for_card(self) -> BusinessFlow | None:
        """The business flow, when its screen waits for the card (and no lock holds)."""
        if self._business is None or self._locked():
            return None
        business = self._business()
        if not business.wants_card(self._current_screen()):
            return None
        self._woken()
        return business

    def id_card_unreadable(self, place_again: bool) -> None:
        flow = self._card_lookup()
        if flow is not None:
            flow.id_card_unreadable(place_again=place_again)

    def _card_lookup(self) -> LookupFlow | None:
        """The lookup, ready for an ID card; None while the center's lock holds."""
        if self._locked():
            return None
        self._woken()
        flow = self._lookup()
        if self._current_screen() != self._entry_screen():
            flow.find(receipts=False)
        return flow

    def read_card_asked(self) -> None:
        """The resident asked for the card on the reader to be read (once more)."""
        devices = self._devices
        if devices is None or self._locked():
            return
        if self._business_waiting_for_card() is None:
            self._lookup().reading_card(on_reader=devices.card_on_reader)
        devices.read_id_card_again()

    def teardown(self) -> None:
        if self._devices is not None:
            self._devices.sig_code_scanned.disconnect(self.code_scanned)
            self._devices.sig_id_card_read.disconnect(self.id_card_read)
            self._devices.sig_id_card_unreadable.disconnect(self.id_card_unreadable)
            self._devices = None
