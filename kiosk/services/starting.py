"""The use cases while the kiosk is still starting.

The window is shown first and the store, the center client and the devices come up behind it.
Until they are there, this stands in for `KioskServices` behind the same `UseCases` interface.
What can be answered at once is answered here (reading a code, orders, limits, the link and the
lock: online and unlocked until known); subscriptions are kept and moved to the real services
when they come. Every other use case is forwarded by one generic wrapper: a call waits (on a
worker thread, never the UI's) for the back end up to a bound, then fails with a problem a
screen can say.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kiosk.services.problems import LookupFailed, LookupProblem
from kiosk.services.use_cases import UseCases
from rules.codes import ScannedCode, classify_code

if TYPE_CHECKING:
    from kiosk.services.payment_types import PaymentLimits, PaymentProgress, PayOrder
    from kiosk.services.receipt_printing import PrintProblem
    from kiosk.services.reference import ReferenceLibrary
    from kiosk.services.remote_commands import LockState
    from sync.protocol import AccountBill

PaymentListener = Callable[["PaymentProgress"], None]
StateListener = Callable[[Any], None]


class StartingServices:
    """`UseCases` before the back end is up; the real `KioskServices` behind it once it is."""

    def __init__(
        self,
        bill_qr_prefix: str,
        *,
        wait_seconds: float = 30.0,
        payment_limits: PaymentLimits | None = None,
        payment_settings: Any = None,
        payments_enabled: bool = True,
        reference: ReferenceLibrary | None = None,
        station_id: str = "",
    ) -> None:
        # Read by the screens from the first frame: the shipped defaults until the store opens.
        self.reference = reference
        self._bill_qr_prefix = bill_qr_prefix
        self.station_id = station_id
        self._wait_seconds = wait_seconds
        self._ready = threading.Event()
        self._services: UseCases | None = None
        # The limits are made when first asked for: the payment domain is not needed to paint
        # the first frame. `payment_settings` is config's [payment].
        self._payment_limits = payment_limits
        self._payment_settings = payment_settings
        self._payments_enabled = payments_enabled
        self._lock = threading.Lock()
        # Screens subscribe at once; the subscriptions move to the real services when they come.
        self._watchers: dict[int, tuple[PaymentListener, Callable[[], None] | None]] = {}
        # The same for the link and the lock: (name of the watch method, listener, its stop).
        self._state_watchers: dict[
            tuple[str, int], tuple[str, StateListener, Callable[[], None] | None]
        ] = {}

    def provide(self, services: UseCases | None) -> None:
        """The real services (None: they could not be built; every call then fails at once)."""
        with self._lock:
            self._services = services
            if services is not None:
                for key, (listener, _) in list(self._watchers.items()):
                    self._watchers[key] = (listener, services.watch_payments(listener))
                for state_key, (name, state_listener, _) in list(self._state_watchers.items()):
                    stop = getattr(services, name)(state_listener)
                    self._state_watchers[state_key] = (name, state_listener, stop)
        self._ready.set()
        if services is not None:
            # A kiosk locked before a restart, or offline at start: screens learn it now.
            for name, listener, _ in list(self._state_watchers.values()):
                if name == "watch_lock" and services.lock_state is not None:
                    listener(services.lock_state)
                elif name == "watch_connectivity" and not services.online:
                    listener(False)
                elif name == "watch_devices" and services.device_levels:
                    listener(services.device_levels)

    @property
    def ready(self) -> bool:
        return self._services is not None

    def _wait(self) -> UseCases:
        if not self._ready.wait(self._wait_seconds) or self._services is None:
            raise LookupFailed(LookupProblem.UNREACHABLE, "the kiosk has not finished starting")
        return self._services

    def __getattr__(self, name: str) -> Any:
        """A use case that needs the back end: waits for it when called, not when looked up."""
        if name not in _FORWARDED:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

        def waiting(*args: Any, **kwargs: Any) -> Any:
            return getattr(self._wait(), name)(*args, **kwargs)

        waiting.__name__ = waiting.__qualname__ = name
        return waiting

    def session_started(self, at: dt.datetime) -> None:
        if self._services is not None:  # before the back end is up, nobody asks
            self._services.session_started(at)

    def read_code(self, text: str) -> ScannedCode:
        # Pure: answered at once, so the UI thread may call it.
        if self._services is not None:
            return self._services.read_code(text)
        return classify_code(text, self._bill_qr_prefix)

    # -- business: what is answered at once ------------------------------------------------

    def new_application_number(self) -> str:
        import datetime as dt
        import os

        from kiosk.domain.applications import new_application_number

        return new_application_number(dt.datetime.now(dt.UTC).date(), os.urandom(5))

    def camera_picture(self) -> object | None:
        return self._services.camera_picture() if self._services is not None else None

    # -- paying ---------------------------------------------------------------------------

    @property
    def payments_enabled(self) -> bool:
        if self._services is not None:
            return self._services.payments_enabled
        return self._payments_enabled

    @property
    def printer_problem(self) -> PrintProblem | None:
        return self._services.printer_problem if self._services is not None else None

    @property
    def payment_limits(self) -> PaymentLimits:
        if self._payment_limits is None:
            from kiosk.services.payment_types import PaymentLimits

            settings = self._payment_settings
            self._payment_limits = (
                PaymentLimits.from_settings(settings) if settings is not None else PaymentLimits()
            )
        return self._payment_limits

    @payment_limits.setter
    def payment_limits(self, limits: PaymentLimits) -> None:
        self._payment_limits = limits

    def order_for_arrears(self, bill: AccountBill) -> PayOrder:
        from kiosk.services.payment_orders import order_for_arrears

        return order_for_arrears(bill)

    def order_for_prepay(self, bill: AccountBill, amount: Decimal) -> PayOrder:
        from kiosk.services.payment_orders import order_for_prepay

        return order_for_prepay(bill, amount, self.payment_limits)

    def watch_payments(self, listener: PaymentListener) -> Callable[[], None]:
        with self._lock:
            key = id(listener)
            real = self._services.watch_payments(listener) if self._services else None
            self._watchers[key] = (listener, real)

        def unsubscribe() -> None:
            with self._lock:
                _, stop = self._watchers.pop(key, (None, None))
            if stop is not None:
                stop()

        return unsubscribe

    # -- the link to the center and the remote lock: online and unlocked until known -------

    @property
    def online(self) -> bool:
        return self._services.online if self._services is not None else True

    @property
    def lock_state(self) -> LockState | None:
        return self._services.lock_state if self._services is not None else None

    def watch_connectivity(self, listener: Callable[[bool], None]) -> Callable[[], None]:
        return self._watch_state("watch_connectivity", listener)

    def watch_lock(self, listener: Callable[[LockState | None], None]) -> Callable[[], None]:
        return self._watch_state("watch_lock", listener)

    @property
    def device_levels(self) -> dict[str, str]:
        return self._services.device_levels if self._services is not None else {}

    def watch_devices(self, listener: Callable[[dict[str, str]], None]) -> Callable[[], None]:
        return self._watch_state("watch_devices", listener)

    def _watch_state(self, name: str, listener: StateListener) -> Callable[[], None]:
        with self._lock:
            key = (name, id(listener))
            real = getattr(self._services, name)(listener) if self._services else None
            self._state_watchers[key] = (name, listener, real)

        def unsubscribe() -> None:
            with self._lock:
                _, _, stop = self._state_watchers.pop(key, (None, None, None))
            if stop is not None:
                stop()

        return unsubscribe


def _blocking_use_cases() -> frozenset[str]:
    """The methods of `UseCases` this stand-in does not answer itself: those wait."""
    methods = {
        name
        for name, member in vars(UseCases).items()
        if callable(member) and not name.startswith("_")
    }
    return frozenset(name for name in methods if not hasattr(StartingServices, name))


_FORWARDED = _blocking_use_cases()

if TYPE_CHECKING:
    from kiosk.services.kiosk_services import KioskServices

    # Both answer the one interface the screens see (checked by mypy, free at run time).
    _ANSWER_THE_USE_CASES: tuple[type[UseCases], ...] = (KioskServices, StartingServices)
