"""Reference data on the kiosk: the library the screens read, the store it is kept in, the pull.

What takes effect when (settings pulled from the center):
- notices, tariffs, the knowledge base: on screen as soon as they are pulled;
- services.payments / services.information: the bill's pay buttons and the home tile, at once;
- prepay_min / prepay_max: the next prepayment (kept within config's [payment] limits);
- inactivity_seconds / warning_seconds: the next session (the one going on keeps its clock).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.config import DEFAULTS, KioskConfig
from kiosk.services import KioskServices
from kiosk.services.payment_types import PaymentLimits
from kiosk.services.reference import ReferenceDefaults, ReferenceLibrary
from kiosk.store import Store
from kiosk.store.reference_shelf import ReferenceShelf
from rules.money import yuan
from sync.client import CenterClient
from sync.protocol.reference import KioskSettings, ReferenceKind
from sync.reference_pull import ReferencePuller

log = logging.getLogger(__name__)

REFERENCE_DEFAULTS = DEFAULTS.parent / "reference"
# How often a kiosk asks the center for new reference data (one small answer when none).
PULL_INTERVAL_S = 300.0


def reference_library(config: KioskConfig) -> ReferenceLibrary:
    """The shipped defaults: config/reference/*.toml, config's notices, timeouts and limits."""
    settings = KioskSettings(
        inactivity_seconds=config.screen.inactivity_seconds,
        warning_seconds=config.screen.warning_seconds,
        prepay_min=yuan(str(config.payment.prepay_min)),
        prepay_max=yuan(str(config.payment.prepay_max)),
    )
    notices = [
        {"zh": notice.zh, "en": notice.en, "months": notice.months} for notice in config.notices
    ]
    defaults = ReferenceDefaults.load(REFERENCE_DEFAULTS, notices=notices, settings=settings)
    return ReferenceLibrary(defaults, config.kiosk.station_id)


def limits_within(settings: KioskSettings, configured: PaymentLimits) -> PaymentLimits:
    """Where the center's prepay limits (the utility's, which it enforces) and this kiosk's
    configuration meet: never wider than either. Ranges that do not meet leave no prepayment
    (`allows_prepay` is False) rather than one the center would refuse."""
    return PaymentLimits(
        max(settings.prepay_min, configured.prepay_min),
        min(settings.prepay_max, configured.prepay_max),
    )


@dataclass
class ReferenceSync:
    library: ReferenceLibrary
    shelf: ReferenceShelf
    puller: ReferencePuller

    def start(self) -> None:
        self.puller.start()

    def stop(self) -> None:
        if not self.puller.stop(timeout=5.0):
            log.warning("the reference pull did not stop within 5 s")


def build_reference_sync(
    config: KioskConfig,
    store: Store,
    center: CenterClient,
    library: ReferenceLibrary,
    services: KioskServices,
) -> ReferenceSync:
    """Reads from the store from now on; the pull (started with the kiosk) keeps it fresh."""
    shelf = ReferenceShelf(store.engine)
    configured = PaymentLimits.from_settings(config.payment)

    def apply_limits() -> None:
        services.payment_limits = limits_within(library.settings(), configured)

    library.watch(apply_limits)
    library.attach(shelf.stored)
    apply_limits()

    def reload(_kinds: tuple[ReferenceKind, ...]) -> None:
        library.reload()

    puller = ReferencePuller(center, shelf, interval_s=PULL_INTERVAL_S, on_change=reload)
    return ReferenceSync(library, shelf, puller)
