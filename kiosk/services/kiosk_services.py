"""One object holding every use case the screens call: it answers `UseCases`.

Every method but `read_code`, the `order_for_*` pair and `watch_payments` blocks on I/O: the UI
calls them from its worker pool.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from kiosk.domain.session import SessionSummary
from kiosk.services.account_lookup import accounts_for_id_number, look_up_account
from kiosk.services.business_types import FaceSeen, PageSeen
from kiosk.services.payment_orders import order_for_arrears, order_for_prepay
from kiosk.services.payment_types import (
    PaymentLimits,
    PaymentProblem,
    PaymentProgress,
    PaymentRefused,
    PayOrder,
    ReceiptEntry,
)
from kiosk.services.ports import Center, UnitOfWorkFactory
from kiosk.services.problems import LookupFailed, LookupProblem
from rules.codes import ScannedCode, classify_code
from rules.phone import is_phone_number
from sync.protocol import AccountBill, AccountSummary, PastPayment, VatRequestAnswer
from sync.protocol.events import (
    CallBackRequested,
    CallEnded,
    RatingGiven,
    SessionEnded,
    SessionEndReason,
)

if TYPE_CHECKING:
    from drivers.contracts import Camera
    from kiosk.services.business import BusinessDesk
    from kiosk.services.business_types import (
        CardHolder,
        LiveFace,
        PagePhoto,
        Progress,
        ReadyApplication,
        Submitted,
    )
    from kiosk.services.connectivity import Connectivity
    from kiosk.services.device_faults import DeviceFaults
    from kiosk.services.history import HistoryDesk, VatForm
    from kiosk.services.paying import Payments
    from kiosk.services.receipt_printing import PrintProblem
    from kiosk.services.reference import ReferenceLibrary
    from kiosk.services.remote_commands import LockState, RemoteCommands
    from kiosk.services.video_help import CallRecord
    from sync.protocol.business import IdentityCheckAnswer

log = logging.getLogger(__name__)


class KioskServices:
    """The `UseCases` of a kiosk whose back end is up: each method is one use case, thread-safe."""

    def __init__(
        self,
        center: Center,
        unit_of_work: UnitOfWorkFactory,
        *,
        kiosk_id: str,
        bill_qr_prefix: str,
        payments: Payments | None = None,
        payment_limits: PaymentLimits | None = None,
        connectivity: Connectivity | None = None,
        remote_commands: RemoteCommands | None = None,
        reference: ReferenceLibrary | None = None,
        business: BusinessDesk | None = None,
        history: HistoryDesk | None = None,
        camera: Camera | None = None,
        hotline: str = "",
        device_faults: DeviceFaults | None = None,
    ) -> None:
        # Prices, notices, guides and settings for the screens; works offline.
        self.reference = reference
        self._payments = payments
        self._connectivity = connectivity
        self._remote_commands = remote_commands
        self.payment_limits = payment_limits or PaymentLimits()
        self._center = center
        self._unit_of_work = unit_of_work
        self._kiosk_id = kiosk_id
        self._bill_qr_prefix = bill_qr_prefix
        self._business = business
        self._history = history
        self._camera = camera
        self._hotline = hotline
        self._device_faults = device_faults
        # When the resident's session now going on began (the fleet sees one stuck).
        self.session_since: dt.datetime | None = None

    def look_up_account(self, number: str) -> AccountBill:
        return look_up_account(self._center, number)

    def accounts_for_id_number(self, id_number: str) -> list[AccountSummary]:
        return accounts_for_id_number(self._center, id_number)

    def read_code(self, text: str) -> ScannedCode:
        code = classify_code(text, self._bill_qr_prefix)
        if code.reason:
            log.info("scanned code refused: %s", code.reason)
        return code

    def session_started(self, at: dt.datetime) -> None:
        """A resident's session began (no I/O: the heartbeat tells the center of it)."""
        self.session_since = at

    def end_session(self, summary: SessionSummary) -> None:
        """Tell the center how the session went (no personal data: names of screens only)."""
        self.session_since = None
        event = SessionEnded(
            started_at=summary.started_at,
            reason=SessionEndReason(summary.reason.value),
            duration_s=round(summary.duration_s, 1),
            screens=list(summary.screens),
            language=summary.language,
            large_text=summary.large_text,
        )
        with self._unit_of_work() as uow:
            uow.outbox.add(event, aggregate_id=self._kiosk_id, occurred_at=summary.ended_at)
            uow.commit()

    # -- the link to the center and the remote lock (answered at once: the UI may ask) -------

    @property
    def online(self) -> bool:
        return self._connectivity.online if self._connectivity is not None else True

    def watch_connectivity(self, listener: Callable[[bool], None]) -> Callable[[], None]:
        """`listener(online)` on a background thread whenever the link changes."""
        if self._connectivity is None:
            return lambda: None
        return self._connectivity.watch(listener)

    @property
    def lock_state(self) -> LockState | None:
        return self._remote_commands.lock_state if self._remote_commands is not None else None

    def watch_lock(self, listener: Callable[[LockState | None], None]) -> Callable[[], None]:
        """`listener(lock state or None)` on a background thread when the center (un)locks."""
        if self._remote_commands is None:
            return lambda: None
        return self._remote_commands.watch_lock(listener)

    @property
    def device_levels(self) -> dict[str, str]:
        """Each device's health as last checked; empty before the first check."""
        return self._device_faults.levels if self._device_faults is not None else {}

    def watch_devices(self, listener: Callable[[dict[str, str]], None]) -> Callable[[], None]:
        """`listener(levels)` on a background thread whenever a device's health changes."""
        if self._device_faults is None:
            return lambda: None
        return self._device_faults.watch(listener)

    # -- paying ---------------------------------------------------------------------------

    @property
    def payments_enabled(self) -> bool:
        return self._payments is not None

    @property
    def payments(self) -> Payments | None:
        return self._payments

    @property
    def printer_problem(self) -> PrintProblem | None:
        return self._payments.printer_problem() if self._payments is not None else None

    def order_for_arrears(self, bill: AccountBill) -> PayOrder:
        return order_for_arrears(bill)

    def order_for_prepay(self, bill: AccountBill, amount: Decimal) -> PayOrder:
        return order_for_prepay(bill, amount, self.payment_limits)

    def pay_by_code(self, order: PayOrder, code_text: str) -> PaymentProgress:
        code = self.read_code(code_text)
        return self._paying().pay_by_code(order, code)

    def pay_by_qr(self, order: PayOrder, wallet: str) -> PaymentProgress:
        return self._paying().pay_by_qr(order, wallet)

    def abandon_payment(self, payment_id: str) -> None:
        self._paying().abandon(payment_id)

    def watch_payments(self, listener: Callable[[PaymentProgress], None]) -> Callable[[], None]:
        if self._payments is None:
            return lambda: None
        return self._payments.watch(listener)

    def payment_progress(self, payment_id: str) -> PaymentProgress:
        return self._paying().progress(payment_id)

    def receipts_for(self, account_number: str) -> list[ReceiptEntry]:
        if self._payments is None:
            return []
        return self._payments.receipts_for(account_number)

    def reprint_receipt(self, payment_id: str) -> PaymentProgress:
        return self._paying().reprint(payment_id)

    def print_reference_slip(self, payment_id: str, hotline: str) -> bool:
        return self._paying().print_reference_slip(payment_id, hotline)

    def rate_service(self, score: int, payment_id: str | None = None) -> None:
        """One touch on a face after the session's business: queued to the center."""
        if not 1 <= score <= 5:
            raise ValueError("a rating is from 1 to 5")
        event = RatingGiven(score=score, payment_id=payment_id)
        with self._unit_of_work() as uow:
            uow.outbox.add(event, aggregate_id=self._kiosk_id)
            uow.commit()

    def request_call_back(self, phone: str, language: str) -> None:
        if not is_phone_number(phone):
            raise ValueError("not a phone number")
        event = CallBackRequested(phone=phone, language=language)
        with self._unit_of_work() as uow:
            uow.outbox.add(event, aggregate_id=self._kiosk_id, personal={"phone"})
            uow.commit()

    def record_call(self, record: CallRecord) -> None:
        """A video-help call ended: queued to the center as an event."""
        event = CallEnded(
            call_id=record.call_id,
            started_at=dt.datetime.fromtimestamp(record.started_at, dt.UTC),
            outcome=record.outcome,
            answered_by=record.agent,
            waited_s=record.waited_s,
            talked_s=record.talked_s,
        )
        with self._unit_of_work() as uow:
            uow.outbox.add(event, aggregate_id=self._kiosk_id)
            uow.commit()

    def print_notice(self, text: str, hotline: str) -> bool:
        return self._paying().print_notice(text, hotline)

    def _paying(self) -> Payments:
        if self._payments is None:
            raise PaymentRefused(PaymentProblem.NOT_READY, "payments are not enabled here")
        return self._payments

    # -- history ---------------------------------------------------------------------------

    def past_payments(self, account_number: str) -> list[PastPayment]:
        return self._history_desk().last_payments(account_number)

    def reprint_past_payment(self, account_number: str, payment_id: str) -> bool:
        return self._history_desk().reprint_past_payment(account_number, payment_id)

    def print_statement(self, account_number: str) -> bool:
        return self._history_desk().print_statement(account_number)

    def invoice_title(self, tax_number: str) -> str | None:
        return self._history_desk().invoice_title(tax_number)

    def request_vat_invoice(self, form: VatForm) -> VatRequestAnswer:
        return self._history_desk().request_vat_invoice(form)

    def _history_desk(self) -> HistoryDesk:
        if self._history is None:
            raise LookupFailed(LookupProblem.CENTER_FAULT, "history is not set up here")
        return self._history

    # -- business (一证受理) ----------------------------------------------------------------

    @property
    def station_id(self) -> str:
        return self._desk().station_id

    def new_application_number(self) -> str:
        return self._desk().new_application_number()

    def camera_picture(self) -> object | None:
        frame = self._camera.latest() if self._camera is not None else None
        if frame is None:
            return None
        # A grey source (the test pictures) is still a picture: the checks take either.
        return frame.colour if frame.colour is not None else frame.image

    def look_for_page(self) -> PageSeen | None:
        picture = self.camera_picture()
        if picture is None:
            return None
        from kiosk.vision.pages import look_at_page, page_jpeg  # OpenCV: only when used

        look = look_at_page(picture)  # type: ignore[arg-type]  # the camera's numpy array
        return PageSeen(
            picture=picture,
            corners=look.corners,
            problem=look.problem.value if look.problem is not None else None,
            jpeg=page_jpeg(look.page) if look.accepted and look.page is not None else None,
            sharpness=look.sharpness,
        )

    def look_for_face(self) -> FaceSeen | None:
        picture = self.camera_picture()
        if picture is None:
            return None
        from kiosk.vision.faces import Eyes, face_jpeg, look_at_face  # OpenCV: only when used

        look = look_at_face(picture)  # type: ignore[arg-type]  # the camera's numpy array
        keep = look.good and look.eyes is Eyes.OPEN and look.box is not None
        return FaceSeen(
            picture=picture,
            box=look.box,
            problem=look.problem.value if look.problem is not None else None,
            eyes=look.eyes.value,
            centre=look.centre,
            width=look.width,
            jpeg=face_jpeg(picture, look.box) if keep and look.box else None,  # type: ignore[arg-type]
        )

    def check_identity(self, holder: CardHolder, face: LiveFace) -> IdentityCheckAnswer:
        return self._desk().check_identity(holder, face)

    def identity_outcome(self, check_id: str) -> IdentityCheckAnswer:
        return self._desk().identity_outcome(check_id)

    def documents_on_file(self, id_number: str, account_number: str | None) -> set[str]:
        return self._desk().documents_on_file(id_number, account_number)

    def application_content(self, application: ReadyApplication) -> bytes:
        return self._desk().application_content(application)

    def submit_application(self, application: ReadyApplication) -> Submitted:
        return self._desk().submit_application(
            application, hotline=self._hotline, online=self.online
        )

    def add_documents(self, number: str, pages: list[PagePhoto]) -> None:
        self._desk().add_documents(number, pages)

    def application_progress(self, number: str) -> Progress:
        return self._desk().application_progress(number)

    def applications_for_id_number(self, id_number: str) -> list[Progress]:
        return self._desk().applications_for_id_number(id_number)

    def print_application_slip(self, number: str, kind: str) -> bool:
        return self._desk().print_application_slip(number, kind, self._hotline)

    def _desk(self) -> BusinessDesk:
        if self._business is None:
            raise LookupFailed(LookupProblem.CENTER_FAULT, "business is not set up here")
        return self._business
