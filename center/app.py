"""The reference center's HTTP API, protocol v1 (schemas in sync.protocol).

`create_app` builds everything from its parameters; nothing connects at import time. Every error
answers an `ErrorBody`, and no handler logs an ID number or a name.

FastAPI reads the handlers' annotations at run time, so this module does not postpone them.
"""

import asyncio
import datetime as dt
import gc
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from center.billing import account_bill, account_summary
from center.business.chores import BusinessChores
from center.business.demo import load_demo_business
from center.business.identity import IdentitySettings
from center.business.intake import Page, business_event_handlers
from center.business.limits import BodyLimits
from center.business.routes import BODY_LIMITS, business_routes
from center.business.sealed_pdf import CenterSeal, find_cjk_font, sealed_application
from center.business.sms import RecordingGateway, SmsGateway
from center.business.storage import FileStore, file_store_from_env
from center.business.tables import ApplicationRow
from center.calls.settings import CallSettings
from center.calls.sockets import CallDesk
from center.calls.staff_routes import call_staff_routes
from center.database import AccountRow, ResidentRow, open_database, write_lock
from center.demo_data import load_demo_data
from center.errors import Refusal, error_response
from center.events import receive_events
from center.fleet import fleet_routes
from center.fleet_status import sweep_silent
from center.history import history_routes
from center.invoice_titles import invoice_title_routes, load_demo_titles
from center.kiosk_audit import audit_event_handlers, audit_routes
from center.kiosk_auth import (
    KIOSK_ONLY,
    SCHEME_1_ACCEPTED_UNTIL,
    DeclaredKiosk,
    KioskRequests,
    SignatureCheck,
    SignedKiosk,
    Verifier,
    enrolment_routes,
)
from center.operators import operator_token_from_env
from center.payments import Cashier, seed_billers
from center.reference_data import reference_routes
from center.staff.web import staff_routes
from center.tariffs import seed_tariffs
from center.wallets.merchant import merchants
from center.wallets.routes import simulator_routes
from rules.id_number import is_valid_id_number
from sync.protocol import (
    PROTOCOL_VERSION,
    AccountBill,
    AccountList,
    ErrorBody,
    EventBatch,
    EventBatchResult,
    IdNumberQuery,
    PaymentAnswer,
    PaymentRequest,
)
from sync.protocol.fleet import SCREENSHOT_MAX_BYTES
from sync.protocol.payments import PaymentId
from sync.protocol.signing import IDEMPOTENCY_HEADER

DATA_ENV = "KIOSK_CENTER_DATA"  # a folder for residents' files and the seal key
BUSINESS_CHORES_EVERY_S = 5.0  # a served center sends its SMS outbox this often

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 409, 422, 500)
}


def create_app(
    db_url: str,
    *,
    today: dt.date | None = None,
    answer_delay: float = 0.0,
    demo_data: bool = False,
    simulate_wallets: bool = False,
    require_signatures: bool = False,
    signature_window: int = 300,
    scheme_1_until: dt.date | None = SCHEME_1_ACCEPTED_UNTIL,
    operator_token: str | None = None,
    calls: CallSettings | None = None,
    files: FileStore | None = None,
    identity: IdentitySettings | None = None,
    sms_gateway: SmsGateway | None = None,
    chores_every: float | None = None,
) -> FastAPI:
    """The center on `db_url`. `today` pins the date bills are computed for (None: the clock);
    `answer_delay` seconds are waited before every /v1 answer, to play a slow center.
    `simulate_wallets`: payments go to the wallet simulators, whose /sim control routes are
    mounted (demo, tests); without it this center has no wallet and refuses payments.
    `require_signatures`: every /v1 request must be signed by an enrolled kiosk, its timestamp
    within `signature_window` seconds, scheme 1 accepted until `scheme_1_until`
    (center/kiosk_auth.py); without it a kiosk is who its X-Kiosk-Id says (development only).
    `operator_token` opens the /v1/admin routes (None: $KIOSK_CENTER_OPERATOR_TOKEN; unset,
    they are refused). `calls`: service hours, ICE servers and timers of video-help calls
    (center/calls/settings.py; None: always open, no ICE servers). `files`: where residents'
    files are kept (center/business/storage.py; None: the object store KIOSK_CENTER_S3_*
    names, else a folder beside the database). `identity`: the real-name checks' threshold and
    photo retention (None: KIOSK_CENTER_IDENTITY_* and defaults). `sms_gateway`: where the SMS
    outbox is sent (None: a gateway that records, on `app.state.sms_gateway`); `chores_every`
    seconds the outbox is sent and expired live photos deleted (None: never, a test runs them)."""
    database = open_database(db_url)
    data_folder = center_data_folder(db_url)
    files = files if files is not None else file_store_from_env(data_folder / "files")
    with database.sessions.begin() as session:
        write_lock(session)  # several processes may start at once: one seeds, the rest see it
        seed_tariffs(session)
        seed_billers(session)
    if demo_data:
        load_demo_data(database, today or dt.date.today())
        load_demo_business(database, today or dt.date.today())
        with database.sessions.begin() as session:
            load_demo_titles(session)

    def current_day() -> dt.date:
        return today or dt.date.today()

    def current_time() -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    # Video help: the signal bus and the call sweeper start in a process with its first call
    # socket, not before: a worker that only serves kiosks' heartbeats and events polls
    # nothing and holds no listening connection. Any call has a socket somewhere, whose
    # process sweeps. Stopped with the lifespan.
    desk = CallDesk(database, calls or CallSettings(), current_time)
    identity = identity if identity is not None else IdentitySettings.from_env()
    sms_gateway = sms_gateway if sms_gateway is not None else RecordingGateway()
    chores = BusinessChores(
        database.sessions,
        files,
        sms_gateway,
        identity,
        current_time,
        chores_every or 0,
        sweeps=[sweep_silent],
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if chores_every:
            chores.start()
        # What start-up made (modules, routes, schemas: most of the heap) lives as long as the
        # process: out of the collector's view, a full collection no longer walks it while
        # requests wait (it took some 200 ms a few times a minute under a fleet's heartbeats).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await chores.stop()
            await desk.stop()

    app = FastAPI(
        title="Base-station kiosk reference center",
        version=PROTOCOL_VERSION,
        responses=ERROR_RESPONSES,
        lifespan=lifespan,
    )
    app.state.database = database
    app.state.operator_token = operator_token or operator_token_from_env()
    app.state.calls = desk
    app.state.files = files  # residents' files; the staff console reads them from here
    app.state.sms_gateway = sms_gateway
    app.state.business_chores = chores

    app.state.clock = current_time  # read by guards that are not given it (center/staff/web.py)

    # The seal and the font the sealed application PDFs need: missing ones fail the start,
    # not an application's intake.
    seal = CenterSeal.configured(data_folder)
    pdf_font = find_cjk_font()
    app.state.seal = seal

    def seal_application(row: ApplicationRow, pages: list[Page], signature_png: bytes) -> bytes:
        documents = [(page.document, page.sha256) for page in pages]
        return sealed_application(seal, row, documents, signature_png, font=pdf_font)

    event_handlers = business_event_handlers(files, seal_application) | audit_event_handlers()
    wallets = merchants(database.sessions) if simulate_wallets else {}
    cashier = Cashier(database.sessions, wallets, current_day, current_time)

    def open_session() -> Iterator[Session]:
        with database.sessions() as session:
            yield session

    _add_error_handlers(app)

    if answer_delay > 0:  # a slow center, for tests; a middleware costs every request a task

        @app.middleware("http")
        async def slow_answers(request: Request, call_next):
            if request.url.path.startswith("/v1/"):
                await asyncio.sleep(answer_delay)
            return await call_next(request)

    @app.get("/v1/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "protocol": PROTOCOL_VERSION}

    @app.get("/v1/accounts/{number}", response_model=AccountBill, dependencies=[KIOSK_ONLY])
    def get_account(
        number: Annotated[str, Path(pattern=r"^[0-9]{8,13}$")],
        db: Annotated[Session, Depends(open_session)],
    ) -> AccountBill:
        bill = account_bill(db, number, current_day())
        if bill is None:
            raise Refusal(404, "account_not_found", f"no account {number}")
        return bill

    @app.post("/v1/accounts/search", response_model=AccountList, dependencies=[KIOSK_ONLY])
    def search_accounts(
        query: IdNumberQuery, db: Annotated[Session, Depends(open_session)]
    ) -> AccountList:
        if not is_valid_id_number(query.id_number):
            raise Refusal(422, "invalid_id_number", "the ID number's check digit is wrong")
        # An unknown ID number and an owner without accounts look alike: an empty list.
        accounts = db.scalars(
            select(AccountRow)
            .join(ResidentRow)
            .where(ResidentRow.id_number == query.id_number)
            .order_by(AccountRow.number)
        )
        return AccountList(accounts=[account_summary(account) for account in accounts])

    @app.post("/v1/events", response_model=EventBatchResult)
    def post_events(batch: EventBatch, kiosk: SignedKiosk) -> EventBatchResult:
        if batch.kiosk_id != kiosk.kiosk_id:
            raise Refusal(403, "kiosk_mismatch", "the batch names another kiosk")
        return receive_events(database.sessions, batch, current_time(), event_handlers)

    # Payments. The payment code travels only in the create body, is never logged or echoed.
    # Each belongs to the kiosk that created it (center/payments.py).
    @app.post("/v1/payments", response_model=PaymentAnswer)
    def create_payment(
        request: PaymentRequest,
        kiosk: SignedKiosk,
        key: Annotated[str, Header(alias=IDEMPOTENCY_HEADER, pattern=r"^[0-9a-f]{32}$")],
    ) -> JSONResponse:
        kept = cashier.pay_once(kiosk.kiosk_id, key, request)
        return JSONResponse(status_code=kept.status, content=kept.body)

    @app.get("/v1/payments/{payment_id}", response_model=PaymentAnswer)
    def query_payment(
        payment_id: Annotated[PaymentId, Path()], kiosk: SignedKiosk
    ) -> PaymentAnswer:
        return cashier.query(kiosk.kiosk_id, payment_id)

    @app.post("/v1/payments/{payment_id}/reverse", response_model=PaymentAnswer)
    def reverse_payment(
        payment_id: Annotated[PaymentId, Path()], kiosk: SignedKiosk
    ) -> PaymentAnswer:
        return cashier.reverse(kiosk.kiosk_id, payment_id)

    @app.post("/v1/payments/{payment_id}/close", response_model=PaymentAnswer)
    def close_payment(
        payment_id: Annotated[PaymentId, Path()], kiosk: SignedKiosk
    ) -> PaymentAnswer:
        return cashier.close(kiosk.kiosk_id, payment_id)

    app.include_router(reference_routes(database.sessions, current_time))
    if simulate_wallets:
        app.include_router(simulator_routes(database.sessions, current_time))
    app.include_router(enrolment_routes(database.sessions, current_time))
    app.include_router(fleet_routes(database.sessions, current_time))
    app.include_router(audit_routes(database.sessions))
    app.include_router(history_routes(database.sessions, current_day, current_time))
    app.include_router(invoice_title_routes(database.sessions))
    app.include_router(staff_routes(database.sessions, current_time))
    app.include_router(desk.routes())
    app.include_router(call_staff_routes(desk.registry))
    app.include_router(
        business_routes(database.sessions, files, current_day, current_time, identity)
    )
    verifier: Verifier = (
        SignatureCheck(database.sessions, window=signature_window, scheme_1_until=scheme_1_until)
        if require_signatures
        else DeclaredKiosk()
    )
    app.add_middleware(KioskRequests, verifier=verifier)
    # Outermost: a body too large is refused before anything reads it.
    # A screenshot is one PNG, base64 in JSON.
    screenshots = {"/v1/screenshots": SCREENSHOT_MAX_BYTES * 4 // 3 + 4096}
    app.add_middleware(BodyLimits, limits=BODY_LIMITS | screenshots)
    return app


def center_data_folder(db_url: str) -> FilePath:
    """Where the center keeps what is not in its database (residents' files, its seal key):
    $KIOSK_CENTER_DATA, else beside an SQLite file, else a folder of the temporary directory
    named after the database, so the processes serving one database on a host share it (a
    real center sets $KIOSK_CENTER_DATA, or keeps files in an object store)."""
    configured = os.environ.get(DATA_ENV)
    if configured:
        folder = FilePath(configured)
    elif db_url.startswith("sqlite:///") and db_url != "sqlite:///:memory:":
        folder = FilePath(db_url.removeprefix("sqlite:///")).resolve().parent / "center-data"
    else:
        named = hashlib.sha256(db_url.encode()).hexdigest()[:16]
        folder = FilePath(tempfile.gettempdir()) / f"kiosk-center-data-{named}"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def start_up_line(*, simulate_wallets: bool, require_signatures: bool) -> str:
    """What a center says when it starts, so nobody runs demo wallets or unchecked kiosks by
    mistake: the options of `create_app` that make it unfit to face the real fleet."""
    wallets = (
        "wallets SIMULATED (control routes /sim/wallets mounted: for demos and tests only)"
        if simulate_wallets
        else "no wallets configured (payments are refused: wallet_unavailable)"
    )
    signatures = (
        "kiosk signatures required"
        if require_signatures
        else "kiosk signatures NOT checked (development only)"
    )
    return f"kiosk-center: {wallets}; {signatures}"


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Refusal)
    async def refused(_request: Request, error: Refusal) -> JSONResponse:
        return error_response(error.status, error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        # Field and reason only: the offending input may be an ID number and must not echo back.
        problems = [
            f"{'.'.join(str(part) for part in item.get('loc', ()))}: {item.get('msg', 'invalid')}"
            for item in error.errors()[:5]
        ]
        return error_response(422, "invalid_request", "; ".join(problems) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return error_response(error.status_code, code, str(error.detail))

    @app.exception_handler(Exception)
    async def crashed(_request: Request, _error: Exception) -> JSONResponse:
        return error_response(500, "internal_error", "the center failed to answer")
