"""The one interface the screens use: every use case the resident's window calls.

`KioskServices` answers it once the back end is up; `StartingServices` stands in for it while the
window is already shown and the back end is still being built. A new use case is one method
here and its implementation in `KioskServices`: the stand-in forwards it by itself.

Every method but `read_code`, the `order_for_*` pair and the `watch_*` subscriptions may block on
I/O: the UI calls them from its worker pool. The properties are answered at once.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.domain.session import SessionSummary
    from kiosk.services.payment_types import PaymentLimits, PaymentProgress, PayOrder, ReceiptEntry
    from kiosk.services.receipt_printing import PrintProblem
    from kiosk.services.reference import ReferenceLibrary
    from kiosk.services.remote_commands import LockState
    from rules.codes import ScannedCode
    from sync.protocol import AccountBill, AccountSummary

Unsubscribe = Callable[[], None]


class UseCases(Protocol):
    """What the resident can do at the kiosk, as the screens ask for it. Thread-safe."""

    # -- answered at once --------------------------------------------------------------------

    @property
    def reference(self) -> ReferenceLibrary | None:
        """Prices, notices, guides and settings for the screens; works offline."""

    @property
    def payment_limits(self) -> PaymentLimits: ...

    @property
    def payments_enabled(self) -> bool: ...

    @property
    def online(self) -> bool:
        """Whether the center is reachable (True until known)."""

    @property
    def printer_problem(self) -> PrintProblem | None:
        """Why a receipt could not be printed now (paper out, ...): None when it can, or when
        that is not known yet. From the printer's last status: answered at once."""

    @property
    def lock_state(self) -> LockState | None:
        """The center's lock on this kiosk, None when unlocked (or not known yet)."""

    def read_code(self, text: str) -> ScannedCode:
        """What a scanned code is; pure, the UI thread may call it."""

    def order_for_arrears(self, bill: AccountBill) -> PayOrder: ...

    def order_for_prepay(self, bill: AccountBill, amount: Decimal) -> PayOrder: ...

    # -- subscriptions: the listener is called on a background thread ------------------------

    def watch_payments(self, listener: Callable[[PaymentProgress], None]) -> Unsubscribe: ...

    def watch_connectivity(self, listener: Callable[[bool], None]) -> Unsubscribe: ...

    def watch_lock(self, listener: Callable[[LockState | None], None]) -> Unsubscribe: ...

    # -- blocking: called from the worker pool -----------------------------------------------

    def look_up_account(self, number: str) -> AccountBill: ...

    def accounts_for_id_number(self, id_number: str) -> list[AccountSummary]: ...

    def end_session(self, summary: SessionSummary) -> None:
        """Tell the center how the session went (no personal data: names of screens only)."""

    def pay_by_code(self, order: PayOrder, code_text: str) -> PaymentProgress: ...

    def pay_by_qr(self, order: PayOrder, wallet: str) -> PaymentProgress: ...

    def abandon_payment(self, payment_id: str) -> None: ...

    def payment_progress(self, payment_id: str) -> PaymentProgress: ...

    def receipts_for(self, account_number: str) -> list[ReceiptEntry]:
        """This kiosk's receipts of an account, from its own journal: works offline."""

    def reprint_receipt(self, payment_id: str) -> PaymentProgress: ...

    def print_reference_slip(self, payment_id: str, hotline: str) -> bool:
        """The unconfirmed payment's reference, amount, time and hotline on paper; printed?"""

    def rate_service(self, score: int, payment_id: str | None = None) -> None: ...

    def request_call_back(self, phone: str, language: str) -> None:
        """Queue a resident's request to be called back; ValueError for a number that is not
        a phone number. The number is sealed while it waits."""

    def print_notice(self, text: str, hotline: str) -> bool:
        """Print a notice staff wrote during a video call; whether it came out."""
