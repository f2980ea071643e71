"""Which services a resident is offered, from the link to the center and the devices' health.

A service whose device has failed is withdrawn, with the device named, rather than started and
left to fail half way; a service that works without one device says how (no paper: the receipt
is the e-invoice on the screen). When nothing works the idle screen sends residents to the
staffed hall. Each comes back by itself with the device. A device's "warning" (paper running
low) still works; "unknown" (not read yet) is taken as working.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

PRINTER, SCANNER, ID_CARD_READER, CAMERA = "printer", "scanner", "idcard", "camera"


class Service(StrEnum):
    BILLS = "bills"  # look up and pay
    REPRINTS = "reprints"
    BUSINESS = "business"
    VIDEO_HELP = "video_help"


class Limit(StrEnum):
    """A service offered without one of its parts."""

    RECEIPT_ON_SCREEN = "receipt_on_screen"  # no printer: the e-invoice on the screen
    PAY_BY_QR_ONLY = "pay_by_qr_only"  # no scanner: the resident scans the kiosk's QR


# What each service cannot do without: withdrawn when one of these has failed.
NEEDS: dict[Service, tuple[str, ...]] = {
    Service.BILLS: (),
    Service.REPRINTS: (PRINTER,),
    Service.BUSINESS: (ID_CARD_READER, CAMERA),
    Service.VIDEO_HELP: (CAMERA,),
}
# What each service works around, and how.
LIMITS: dict[str, tuple[Service, Limit]] = {
    PRINTER: (Service.BILLS, Limit.RECEIPT_ON_SCREEN),
    SCANNER: (Service.BILLS, Limit.PAY_BY_QR_ONLY),
}
# Services that need the center as well.
ONLINE_ONLY = (Service.BILLS, Service.BUSINESS, Service.VIDEO_HELP)


@dataclass(frozen=True)
class Availability:
    online: bool = True
    failed: frozenset[str] = frozenset()  # devices whose health is "fault"

    @classmethod
    def of(cls, online: bool, levels: Mapping[str, str]) -> Availability:
        return cls(online, frozenset(name for name, level in levels.items() if level == "fault"))

    def offered(self, service: Service) -> bool:
        if service in ONLINE_ONLY and not self.online:
            return False
        return not any(device in self.failed for device in NEEDS[service])

    def withdrawn_for(self, service: Service) -> tuple[str, ...]:
        """The failed devices that withdraw `service` (none: offered, or offline only)."""
        return tuple(device for device in NEEDS[service] if device in self.failed)

    def limits(self, service: Service) -> tuple[Limit, ...]:
        return tuple(
            limit
            for device, (limited, limit) in LIMITS.items()
            if limited is service and device in self.failed and self.offered(service)
        )

    @property
    def nothing_works(self) -> bool:
        """No bill, no business, no reprint: only the information pages and the hotline."""
        return not any(
            self.offered(service) for service in (Service.BILLS, Service.BUSINESS, Service.REPRINTS)
        )
