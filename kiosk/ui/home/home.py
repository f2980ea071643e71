"""The service menu. Only services that work now are offered: offline, what needs the center
is hidden, a card says so, and reprinting this kiosk's own receipts is offered instead. A
service whose device has failed is withdrawn, and a line says which device; one that works
around a failed device says how (kiosk.domain.service_availability)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk.domain.service_availability import (
    CAMERA,
    ID_CARD_READER,
    PRINTER,
    Availability,
    Limit,
    Service,
)
from kiosk.ui.home.offline_notice import OfflineNotice
from kiosk.ui.widgets import Screen, Tile, across, label


class HomeScreen(Screen):
    name = "home"

    sig_bills = Signal()
    """(): the resident wants to look up bills and usage."""

    sig_help = Signal()
    """(): the resident wants a person."""

    sig_info = Signal()
    """(): the resident wants information: prices, advice, commitments, business guides."""

    sig_business = Signal()
    """(): the resident wants to do business with the ID card (apply, report a fault)."""

    sig_receipts = Signal()
    """(): the resident wants a receipt of a payment made here printed again."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(30)
        self.title = label("title")
        layout.addWidget(self.title)
        self.offline = OfflineNotice()
        layout.addWidget(self.offline)
        self.withdrawn = label("message")
        self.withdrawn.setVisible(False)
        layout.addWidget(self.withdrawn)
        self._tiles = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._tiles.setSpacing(40)
        self.bills_tile = Tile()
        self.bills_tile.clicked.connect(self.sig_bills)
        self.help_tile = Tile()
        self.help_tile.clicked.connect(self.sig_help)
        self.info_tile = Tile()
        self.info_tile.clicked.connect(self.sig_info)
        self.business_tile = Tile()
        self.business_tile.clicked.connect(self.sig_business)
        self.receipts_tile = Tile()
        self.receipts_tile.clicked.connect(self.sig_receipts)
        self.receipts_tile.setVisible(False)
        self._availability = Availability()
        self._reprints = True
        self._tiles.addWidget(self.bills_tile)
        self._tiles.addWidget(self.receipts_tile)
        self._tiles.addWidget(self.business_tile)
        self._tiles.addWidget(self.info_tile)
        self._tiles.addWidget(self.help_tile)
        layout.addLayout(self._tiles, 1)
        self.retranslate()

    def set_offline(self, offline: bool) -> None:
        self.set_availability(Availability(not offline, self._availability.failed))

    def set_availability(self, availability: Availability) -> None:
        """Offline: say so, hide the bills (they come from the center), offer reprints (online
        they are reached from the bill). A failed device withdraws what needs it."""
        self._availability = availability
        offline = not availability.online
        self.offline.setVisible(offline)
        self.title.setVisible(not offline)  # the card takes its place: large text fits
        self.bills_tile.setVisible(availability.offered(Service.BILLS))
        # Accounts and the real name need the center; the card and the face their devices.
        self.business_tile.setVisible(availability.offered(Service.BUSINESS))
        self.receipts_tile.setVisible(
            offline and self._reprints and availability.offered(Service.REPRINTS)
        )
        self._say_what_is_missing()

    @property
    def availability(self) -> Availability:
        return self._availability

    def set_reprints(self, on: bool) -> None:
        """A kiosk that takes no payments has no receipts to reprint."""
        self._reprints = on
        self.set_availability(self._availability)

    def _say_what_is_missing(self) -> None:
        a = self._availability
        device_names = {
            PRINTER: self.tr("the printer is out of order"),
            ID_CARD_READER: self.tr("the ID card reader is out of order"),
            CAMERA: self.tr("the camera is out of order"),
        }
        lines = []
        if a.online:
            for device in a.withdrawn_for(Service.BUSINESS):
                lines.append(
                    self.tr("Business is not available now: %1.").replace(
                        "%1", device_names[device]
                    )
                )
            for device in a.withdrawn_for(Service.VIDEO_HELP):
                lines.append(
                    self.tr("Talking to staff by video is not available now: %1.").replace(
                        "%1", device_names[device]
                    )
                )
        elif self._reprints and not a.offered(Service.REPRINTS):
            lines.append(
                self.tr("Reprinting receipts is not available now: %1.").replace(
                    "%1", device_names[PRINTER]
                )
            )
        limits = {
            Limit.RECEIPT_ON_SCREEN: self.tr(
                "The printer is out of order: you can still pay, and your receipt is the "
                "e-invoice shown on the screen."
            ),
            Limit.PAY_BY_QR_ONLY: self.tr(
                "The code scanner is out of order: pay by scanning the QR code on the screen "
                "with your phone."
            ),
        }
        lines += [limits[limit] for limit in a.limits(Service.BILLS)]
        self.withdrawn.setText("\n".join(lines))
        self.withdrawn.setVisible(bool(lines))

    def set_information(self, on: bool) -> None:
        """The center may switch the information screens off (kiosk settings)."""
        self.info_tile.setVisible(on)

    def set_portrait(self, portrait: bool) -> None:
        self._tiles.setDirection(across(portrait))

    def retranslate(self) -> None:
        self.title.setText(self.tr("What would you like to do?"))
        self._say_what_is_missing()
        self.bills_tile.set_texts(
            self.tr("Bills and usage"), self.tr("Look up what you owe and your monthly usage")
        )
        self.business_tile.set_texts(
            self.tr("Business"),
            self.tr("Apply with your ID card, no forms: change of holder, quota, faults…"),
        )
        self.info_tile.set_texts(
            self.tr("Information"),
            self.tr("Prices, saving energy, our commitments, business guides"),
        )
        self.receipts_tile.set_texts(
            self.tr("Reprint a receipt"),
            self.tr("Receipts of payments made at this kiosk, printed again"),
        )
        self.help_tile.set_texts(
            self.tr("Help / talk to staff"),
            self.tr("The hotline and the nearest staffed service hall"),
        )
