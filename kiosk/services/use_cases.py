"""The one interface the screens use: every use case the resident's window calls.

`KioskServices` answers it once the back end is up; `StartingServices` stands in for it while the
window is already shown and the back end is still being built. A new use case is one method
here and its implementation in `KioskServices`: the stand-in forwards it by itself.

Every method but `read_code`, the `order_for_*` pair and the `watch_*` subscriptions may block on
I/O: the UI calls them from its worker pool. The properties are answered at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.domain.session import SessionSummary
    from kiosk.services.business_types import (
        CardHolder,
        FaceSeen,
        LiveFace,
        PagePhoto,
        PageSeen,
        Progress,
        ReadyApplication,
        Submitted,
    )
    from kiosk.services.history import VatForm
    from kiosk.services.payment_types import PaymentLimits, PaymentProgress, PayOrder, ReceiptEntry
    from kiosk.services.receipt_printing import PrintProblem
    from kiosk.services.reference import ReferenceLibrary
    from kiosk.services.remote_commands import LockState
    from rules.codes import ScannedCode
    from sync.protocol import AccountBill, AccountSummary, PastPayment, VatRequestAnswer
    from sync.protocol.business import IdentityCheckAnswer

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

    @property
    def device_levels(self) -> dict[str, str]:
        """Each device's health as last checked; empty before the first check."""

    def session_started(self, at: dt.datetime) -> None:
        """A resident's session began; pure bookkeeping, the UI thread may call it."""

    def read_code(self, text: str) -> ScannedCode:
        """What a scanned code is; pure, the UI thread may call it."""

    def order_for_arrears(self, bill: AccountBill) -> PayOrder: ...

    def order_for_prepay(self, bill: AccountBill, amount: Decimal) -> PayOrder: ...

    # -- subscriptions: the listener is called on a background thread ------------------------

    def watch_payments(self, listener: Callable[[PaymentProgress], None]) -> Unsubscribe: ...

    def watch_connectivity(self, listener: Callable[[bool], None]) -> Unsubscribe: ...

    def watch_lock(self, listener: Callable[[LockState | None], None]) -> Unsubscribe: ...

    def watch_devices(self, listener: Callable[[dict[str, str]], None]) -> Unsubscribe:
        """`listener(levels)`: each device's health ("ok", "warning", "fault", "unknown")."""

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

    # -- history: the account's payments made anywhere, invoices, statement (center only) ---

    def past_payments(self, account_number: str) -> list[PastPayment]:
        """The account's last 12 payments made anywhere, newest first, each with its
        e-invoice. Raises LookupFailed when the center cannot be asked."""

    def reprint_past_payment(self, account_number: str, payment_id: str) -> bool:
        """One of those payments' receipt again, marked as a reprint with where it was paid."""

    def print_statement(self, account_number: str) -> bool:
        """The last 24 months billed and paid, on paper; LookupFailed when offline."""

    def invoice_title(self, tax_number: str) -> str | None:
        """The organisation's registered invoice title for the tax number typed, so nobody types
        a company's name; None when the register has none. LookupFailed when offline."""

    def request_vat_invoice(self, form: VatForm) -> VatRequestAnswer:
        """Ask for a VAT invoice for a past payment (the same payment again: the same
        request). VatFormRefused names what is wrong with the form."""

    # -- business (一证受理): the resident's applications ----------------------------------

    @property
    def station_id(self) -> str:
        """This kiosk's station, as the center's shared queue knows it."""

    def new_application_number(self) -> str:
        """A fresh application number, made here (works offline); answered at once."""

    def camera_picture(self) -> object | None:
        """The camera's newest picture (a BGR numpy array, or grey from a grey source) for the
        face check and the document photos, None without one; answered at once."""

    def look_for_page(self) -> PageSeen | None:
        """The camera's newest picture, looked at for a document page (found, straightened,
        judged, compressed); None without a camera picture. Runs in the background: it takes
        some tens of milliseconds."""

    def look_for_face(self) -> FaceSeen | None:
        """The camera's newest picture, looked at for the resident's face (one, in the middle,
        near enough; eyes open or shut); None without a camera picture. Runs in the background:
        it takes some milliseconds."""

    def check_identity(self, holder: CardHolder, face: LiveFace) -> IdentityCheckAnswer:
        """Send the card's fields and the live photo for the center to verify (online only:
        raises a CenterError subclass when it cannot be asked)."""

    def identity_outcome(self, check_id: str) -> IdentityCheckAnswer:
        """A doubtful check's outcome once staff decided (status "review" until then)."""

    def documents_on_file(self, id_number: str, account_number: str | None) -> set[str]:
        """Documents the center holds already for the person; empty when it cannot be asked."""

    def application_content(self, application: ReadyApplication) -> bytes:
        """The bytes the resident's signature binds (sync.protocol.business.signed_content)."""

    def submit_application(self, application: ReadyApplication) -> Submitted:
        """Queue the signed application with its pages (sealed at rest), print the slip."""

    def add_documents(self, number: str, pages: list[PagePhoto]) -> None:
        """Queue documents staff asked for, for an application already submitted."""

    def application_progress(self, number: str) -> Progress:
        """Where an application stands: the center's timeline, or this kiosk's queue while it
        waits there. Raises LookupFailed (kind "not_found") for a number nobody knows."""

    def applications_for_id_number(self, id_number: str) -> list[Progress]:
        """The card's applications, newest first (the center's and those still queued here)."""

    def print_application_slip(self, number: str, kind: str) -> bool:
        """The slip again: number, business, QR, hotline; printed?"""
