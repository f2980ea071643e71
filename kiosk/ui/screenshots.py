"""Pictures of every screen, in both languages and both orientations, for review and the docs.

Residents see pictures, not code: these PNGs are how a change to the screen gets reviewed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from kiosk.domain.payment import Method, Outcome, PaymentState, Purpose, ReceiptStatus
from kiosk.services.payment_types import (
    PaymentLimits,
    PaymentProblem,
    PaymentProgress,
    PaymentRefused,
    PayOrder,
    ReceiptEntry,
)
from kiosk.services.receipt_printing import PrintProblem
from kiosk.services.remote_commands import LockState
from kiosk.services.video_help import CallState, CallUpdate
from kiosk.ui.local_text import CHINESE, ENGLISH, HelpInfo, LocalText
from kiosk.ui.main_window import KioskWindow

if TYPE_CHECKING:
    from kiosk.services.reference import ReferenceLibrary
    from kiosk.services.screen_types import AccountBill, AccountSummary


SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
DEFAULT_HELP = HelpInfo(
    hotline="95598",
    hall={"zh": "最近的供电营业厅", "en": "The nearest power supply service hall"},
    hours={"zh": "每天 8:30-17:30", "en": "Every day, 8:30-17:30"},
)


_PAID_AT = dt.datetime(2026, 11, 24, 10, 32, tzinfo=dt.UTC)
_PAYMENT_ID = "3f2a91c07b1d4e5f8a9b0c1d2e3f4a5b"


def _progress(amount: Decimal, outcome: Outcome, **changes: object) -> PaymentProgress:
    """A made-up payment of the shown bill, as the payment flow would be told it."""
    shown = PaymentProgress(
        payment_id=_PAYMENT_ID,
        reference="3F2A-91C0-7B1D",
        outcome=outcome,
        state=PaymentState.UNKNOWN,
        method=Method.CODE,
        wallet="wechat",
        amount=amount,
    )
    if outcome is Outcome.PAID:
        shown = dataclasses.replace(
            shown,
            state=PaymentState.PAID,
            transaction_id="4200002671202611241234567890",
            paid_at=_PAID_AT,
            invoice_number="26322000000012345678",
            invoice_url="https://einvoice.js.sgcc.local/i/26322000000012345678",
        )
    return dataclasses.replace(shown, **changes)  # type: ignore[arg-type]


def _payment_scenes(bill: AccountBill) -> dict[str, Callable[[KioskWindow], None]]:
    """The paying screens in each of their states, from the shown bill."""
    limits = PaymentLimits()
    total = bill.total_due if bill.total_due > 0 else Decimal("128.40")
    arrears = PayOrder(
        bill.account.number,
        Purpose.ARREARS,
        total,
        tuple(u.period for u in bill.unpaid) or ("2026-10",),
    )
    prepay = PayOrder(bill.account.number, Purpose.PREPAY, Decimal("200.00"))

    def bill_actions(window: KioskWindow) -> None:
        window.bill.show_bill(bill)
        window.bill.set_actions(total, prepay=True, reprint=True)
        window.show_screen(window.bill.name)

    def amount(window: KioskWindow) -> None:
        window.paying.amount.start(limits.prepay_min, limits.prepay_max)
        for key in "200":
            window.paying.amount.type_digit(key)
        window.show_screen(window.paying.amount.name)

    def amount_refused(window: KioskWindow) -> None:
        amount(window)
        window.paying.amount.type_digit("0")
        refused = PaymentRefused(PaymentProblem.AMOUNT_TOO_LARGE)
        window.paying.amount.show_message(window.payments.refusal_text(refused))

    def method(
        order: PayOrder, printer: PrintProblem | None = None
    ) -> Callable[[KioskWindow], None]:
        def scene(window: KioskWindow) -> None:
            window.paying.method.show_order(order, bill, printer)
            window.show_screen(window.paying.method.name)

        return scene

    def code(state: str) -> Callable[[KioskWindow], None]:
        def scene(window: KioskWindow) -> None:
            screen = window.paying.code
            screen.start(total)
            window.show_screen(screen.name)
            if state == "paying":
                screen.show_paying()
            elif state == "confirm":
                screen.show_confirm_on_phone()
            elif state == "refused":
                refused = PaymentRefused(PaymentProblem.NOT_A_PAYMENT_CODE)
                screen.show_message(window.payments.refusal_text(refused))

        return scene

    def qr(closing: bool) -> Callable[[KioskWindow], None]:
        def scene(window: KioskWindow) -> None:
            screen = window.paying.qr
            screen.start(total, "wechat")
            screen.show_code("weixin://wxpay/bizpayurl?pr=Zq8Lk2m0x3f2a91c07b1d")
            screen.show_seconds_left(287)
            window.show_screen(screen.name)
            if closing:
                screen.show_closing()

        return scene

    def result(progress: PaymentProgress, *, slip: bool = False) -> Callable[[KioskWindow], None]:
        def scene(window: KioskWindow) -> None:
            window.paying.result.show_progress(progress)
            if slip:
                window.paying.result.show_slip(True)
            window.show_screen(window.paying.result.name)

        return scene

    def receipts(printed: bool) -> Callable[[KioskWindow], None]:
        def scene(window: KioskWindow) -> None:
            entries = [
                ReceiptEntry(_PAYMENT_ID, "3F2A-91C0-7B1D", _PAID_AT, total, ReceiptStatus.PRINTED),
                ReceiptEntry(
                    "8c1d" + _PAYMENT_ID[4:],
                    "8C1D-91C0-7B1D",
                    _PAID_AT - dt.timedelta(days=31),
                    Decimal("200.00"),
                    ReceiptStatus.WAITING_FOR_REPRINT,
                ),
            ]
            window.paying.receipts.set_receipts(entries)
            window.show_screen(window.paying.receipts.name)
            if printed:
                window.paying.receipts.show_message(window.reprints.tr("Please take your receipt."))

        return scene

    def rating(window: KioskWindow) -> None:
        window.show_screen(window.paying.rating.name)

    printed = _progress(total, Outcome.PAID, receipt=ReceiptStatus.PRINTED)
    return {
        "bill_pay": bill_actions,
        "pay_amount": amount,
        "pay_amount_refused": amount_refused,
        "pay_method": method(arrears),
        "pay_method_prepay": method(prepay),
        "pay_method_printer_out": method(arrears, PrintProblem.PAPER_OUT),
        "pay_code": code(""),
        "pay_code_paying": code("paying"),
        "pay_code_confirm": code("confirm"),
        "pay_code_refused": code("refused"),
        "pay_qr": qr(False),
        "pay_qr_closing": qr(True),
        "result_paid_printing": result(
            _progress(total, Outcome.PAID, receipt=ReceiptStatus.PRINTING)
        ),
        "result_paid": result(printed),
        "result_paid_printer_failed": result(
            _progress(total, Outcome.PAID, receipt=ReceiptStatus.WAITING_FOR_REPRINT)
        ),
        "result_declined": result(
            _progress(
                total, Outcome.DECLINED, state=PaymentState.FAILED, reason="insufficient_funds"
            )
        ),
        "result_bill_in_payment": result(
            _progress(total, Outcome.DECLINED, state=PaymentState.FAILED, reason="bill_in_payment")
        ),
        "result_cancelled": result(
            _progress(total, Outcome.CANCELLED, state=PaymentState.REVERSED, reason="abandoned")
        ),
        "result_refunded": result(
            _progress(total, Outcome.CANCELLED, state=PaymentState.REVERSED, refunded=True)
        ),
        "result_unconfirmed": result(
            _progress(total, Outcome.UNCONFIRMED, state=PaymentState.REVERSING)
        ),
        "result_unconfirmed_slip": result(
            _progress(total, Outcome.UNCONFIRMED, state=PaymentState.REVERSING), slip=True
        ),
        "result_qr_not_made": result(
            _progress(
                total,
                Outcome.DECLINED,
                state=PaymentState.REVERSING,
                method=Method.NATIVE,
                reason="qr_not_made",
            )
        ),
        "rating": rating,
        "receipts": receipts(False),
        "receipts_printed": receipts(True),
    }


_LOCK = LockState(
    message_zh="设备维护中，预计今天18:00恢复。缴费请到玄武供电营业厅。",
    message_en="Under maintenance until 18:00 today. To pay, please visit the service hall.",
    locked_at=_PAID_AT,
)


def _center_scenes() -> dict[str, Callable[[KioskWindow], None]]:
    """The information screens, offline and locked: what issue 5 added to the screen."""

    def info(name: str) -> Callable[[KioskWindow], None]:
        return lambda window: window.show_screen(name)

    def prices(window: KioskWindow) -> None:
        screen = window.information.prices
        for digit in "3600":
            screen.type_digit(digit)
        screen.calculate()
        window.show_screen(screen.name)

    def guides(window: KioskWindow) -> None:
        window.information.guides.choose(4)
        window.show_screen(window.information.guides.name)

    def offline(scene: Callable[[KioskWindow], None]) -> Callable[[KioskWindow], None]:
        def scene_offline(window: KioskWindow) -> None:
            window.home.set_reprints(True)  # as a kiosk that takes payments shows it
            window.center.set_online(False)
            scene(window)

        return scene_offline

    def locked(window: KioskWindow) -> None:
        window.lock_guard.set_state(_LOCK)

    def receipts_entry(window: KioskWindow) -> None:
        window.flow.find(receipts=True)
        for digit in "3201000005":
            window.entry.type_digit(digit)
        window.show_screen(window.entry.name)

    return {
        "info": info("info"),
        "info_prices": prices,
        "info_advice": info("info_advice"),
        "info_commitments": info("info_commitments"),
        "info_guides": guides,
        "idle_offline": offline(lambda window: None),
        "home_offline": offline(lambda window: window.show_screen(window.home.name)),
        "receipts_entry_offline": offline(receipts_entry),
        "locked": locked,
    }


_LARGE_CENTER_SCENES = ("info_prices", "home_offline")

_LARGE_PAYMENT_SCENES = (
    "bill_pay",
    "pay_amount",
    "pay_method",
    "pay_method_printer_out",
    "pay_code_confirm",
    "pay_qr",
    "result_paid_printer_failed",
    "result_unconfirmed",
    "result_unconfirmed_slip",
    "rating",
    "receipts",
)


class _StoppedClock:
    """The window's monotonic clock in a scene: time passes only when the scene says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _call_pictures() -> tuple[QImage, QImage]:
    """Stand-ins for staff's and the resident's cameras: a drawn face on a plain wall."""
    pictures = []
    for wall, face in (("#d8e2ea", "#e9c7a8"), ("#5b6470", "#c9a78a")):
        image = QImage(640, 480, QImage.Format.Format_RGB888)
        image.fill(QColor(wall))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#2f3b4a"))
        painter.drawEllipse(170, 330, 300, 260)  # shoulders
        painter.setBrush(QColor(face))
        painter.drawEllipse(240, 120, 160, 200)
        painter.end()
        pictures.append(image)
    return pictures[0], pictures[1]


# A face as the camera films it at the real-name check, and where the face is in it: made by the
# caller (the drawn residents and the face finder are not the window's to import).
FaceShot = tuple[object, tuple[int, int, int, int] | None]


def _business_scenes(face_shot: FaceShot | None) -> dict[str, Callable[[KioskWindow], None]]:
    """The business screens, fed what the flow would give them (no services here)."""
    from kiosk.domain.applications import DocumentState

    rows = [("姓名 Name", "李*英"), ("身份证号 ID", "3201**********0026"),
            ("地址 Address", "江苏省南京市玄武****"), ("户号 Account", "3201000001")]  # fmt: skip

    def flow(window: KioskWindow) -> Any:
        return window.later().business

    def menu(window: KioskWindow) -> None:
        flow(window).sig_show_screen.emit(flow(window).menu.name)

    def start(window: KioskWindow) -> None:
        business = flow(window)
        business.start.set_business(
            "ev-charger",
            [
                "您的身份证 / Your ID card",
                "车位产权证明或租赁合同（可签承诺书后补）",
                "物业同意安装证明（可签承诺书后补）",
            ],
            "报装免费；充电桩及表后线路由您自行购置。",
        )
        business.sig_show_screen.emit(business.start.name)

    def form(window: KioskWindow) -> None:
        business = flow(window)
        business.form.show_application(
            "ev-charger", rows, {"phone": "13951860001", "charger_kw": "7", "parking_space": "B2-"},
            ["3201000001"], "3201000001",
        )  # fmt: skip
        business.form.edit("parking_space")
        business.sig_show_screen.emit(business.form.name)

    def documents(window: KioskWindow) -> None:
        business = flow(window)
        business.documents.show_documents(
            "ev-charger",
            {
                "parking-proof": DocumentState.PHOTOGRAPHED,
                "property-consent": DocumentState.MISSING,
            },
        )
        business.sig_show_screen.emit(business.documents.name)

    def capture(window: KioskWindow) -> None:
        import numpy as np

        business = flow(window)
        picture = np.full((480, 640, 3), (70, 80, 90), np.uint8)  # the dark mat
        picture[60:430, 190:450] = 245  # a page on it, lines of print
        for row in range(100, 400, 22):
            picture[row : row + 6, 215 : 215 + (row * 7) % 180 + 40] = 40
        corners = ((190.0, 60.0), (449.0, 60.0), (449.0, 429.0), (190.0, 429.0))
        business.capture.set_document("parking-proof")
        business.sig_show_screen.emit(business.capture.name)
        business.capture.show_live(picture, corners, None)

    def follow(window: KioskWindow) -> None:
        business = flow(window)
        business.open_follow()
        lines = [
            "电表增容 Capacity change   SQ261128JSVTPJHC3",
            "现在 Now: 待补充材料 More documents wanted",
            "  2026-11-28 10:02  已受理 Received",
            "  2026-11-29 09:15  审核中 Under review",
            "  2026-12-02 14:40  待补充材料 More documents wanted",
            "时限 Time limit: 第 3 天 / 共 5 个工作日，12-05 到期",
            "工作人员要求补充 Staff ask for: 房屋产权证明 Proof of ownership",
        ]
        business.follow.show_timeline(lines, may_bring=True)

    def face(window: KioskWindow) -> None:
        business = flow(window)
        business.sig_show_screen.emit(business.face_check.screen.name)
        picture, box = face_shot if face_shot is not None else (None, None)
        business.face_check.screen.show_live(picture, box, "open", None)

    def sign(window: KioskWindow) -> None:
        business = flow(window)
        business.sign.show_content(
            [
                "业务 Business: 充电桩报装",
                "申请编号: SQ261203JSVTPJHC3",
                *(f"{a}: {b}" for a, b in rows),
                "车位编号: B2-118",
                "本人确认以上信息真实，申请办理此项业务。",
            ]
        )
        business.sig_show_screen.emit(business.sign.name)
        pad = business.sign.pad
        pad.begin(QPointF(60, 80))
        for step in range(1, 40):
            pad.extend(QPointF(60 + step * 10, 80 + (step % 6) * 12))
        pad.end()

    def done(window: KioskWindow) -> None:
        business = flow(window)
        business.done.show_submitted(
            "SQ261203JSVTPJHC3", "BSK-APP:SQ261203JSVTPJHC3", printed=True, queued=False
        )
        business.sig_show_screen.emit(business.done.name)

    def history(window: KioskWindow) -> None:
        from kiosk.services.screen_types import Channel, PastPayment, PaymentPurpose

        flow = window.later().history
        paid = [
            PastPayment(
                payment_id=f"{month:032x}",
                channel=channel,
                place=place,
                purpose=PaymentPurpose.ARREARS,
                amount=Decimal(amount),
                paid_at=dt.datetime(2026, month, 12, 10, 30, tzinfo=dt.UTC),
                vat_requested=month == 10,
            )
            for month, channel, place, amount in (
                (11, Channel.KIOSK, "xuanwu-kiosk-01", "128.40"),
                (10, Channel.COUNTER, "NJ-GL-001", "96.15"),
                (9, Channel.APP, "网上国网", "143.72"),
            )
        ]
        flow.payments.set_payments(paid)
        flow.sig_show_screen.emit(flow.payments.name)

    def vat_form(window: KioskWindow) -> None:
        flow = window.later().history
        flow.ask_vat_invoice(f"{11:032x}")
        for char in "91320102MA1X7K3L2H":
            flow.vat.type("tax", char)
        flow.vat.show_title("南京钟山电子科技有限公司")  # as the center's register answers
        for digit in "1391234":
            flow.vat.type("phone", digit)
        flow.vat.choose("phone")

    return {
        "history_payments": history,
        "history_vat_form": vat_form,
        "business_menu": menu,
        "business_start": start,
        "business_form": form,
        "business_documents": documents,
        "business_capture": capture,
        "business_face": face,
        "business_follow": follow,
        "business_sign": sign,
        "business_done": done,
    }


def _scenes(
    bill: AccountBill,
    choices: Sequence[AccountSummary],
    clock: _StoppedClock,
    face_shot: FaceShot | None = None,
) -> dict[str, Callable[[KioskWindow], None]]:
    """Screen name -> how to bring the window to it from a fresh session."""

    def typed(window: KioskWindow) -> None:
        window.show_screen(window.entry.name)
        for digit in bill.account.number[:6]:
            window.entry.type_digit(digit)

    def busy(window: KioskWindow) -> None:
        typed(window)
        window.entry.show_busy(window.flow.tr("Looking up your account…"))

    def message(window: KioskWindow) -> None:
        typed(window)
        window.entry.show_message(
            window.flow.tr(
                "The service center cannot be reached right now. "
                "Please try again later, or call the hotline."
            )
        )

    def card_unreadable(window: KioskWindow) -> None:
        window.show_screen(window.entry.name)
        window.entry.set_card_reader(True)  # a scene has no devices: as if a reader were there
        window.entry.show_message(window.flow.card_unreadable_text())

    def take_card(window: KioskWindow) -> None:
        # Shown after a session, in the language and text size the resident had.
        window.navigator.go(window.take_card.name)

    def payment_code_first(window: KioskWindow) -> None:
        window.show_screen(window.entry.name)
        window.entry.show_message(window.flow.find_the_account_first)

    def choice(window: KioskWindow) -> None:
        window.choice.set_accounts(choices)
        window.show_screen(window.choice.name)

    def show_bill(window: KioskWindow) -> None:
        window.bill.show_bill(bill)
        window.show_screen(window.bill.name)

    def water_bill(window: KioskWindow) -> None:
        # The same figures on a water account: what changes is the words and the unit.
        account = bill.account.model_copy(update={"utility": "water"})
        window.bill.show_bill(bill.model_copy(update={"account": account, "unit": "m3"}))
        window.show_screen(window.bill.name)

    def countdown(window: KioskWindow) -> None:
        show_bill(window)
        # The resident has not touched anything for a while: the session's own tick shows the
        # banner (shown by hand, the next tick of a calm clock would hide it again).
        clock.now += (window.session.timeout_s or 0) - 28
        window.session.tick()

    def result_countdown(window: KioskWindow) -> None:
        # The countdown over a result holding a reference: in its own band, covering nothing.
        paying["result_unconfirmed_slip"](window)
        clock.now += (window.session.timeout_s or 0) - 28
        window.session.tick()

    def call_back_typed(window: KioskWindow) -> None:
        window.call_back.clear()
        for digit in "1380013800":
            window.call_back.type_digit(digit)
        window.show_screen(window.call_back.name)

    def video_call(update: CallUpdate, pictures: bool = False) -> Callable[[KioskWindow], None]:
        def scene(window: KioskWindow) -> None:
            screen = window.video_call
            screen.clear()
            window.show_screen(screen.name)
            screen.show_update(update)
            if pictures:
                staff, own = _call_pictures()
                screen.show_staff(staff)
                screen.show_own(own)
                screen.show_message(
                    "请把电费单上的户号念给我听。Please read me the account number."
                )

        return scene

    def call_elsewhere(window: KioskWindow) -> None:
        """Staff opened the bill look-up for the resident: the call stays in view over it."""
        video_call(CallUpdate(CallState.TALKING, "", agent="王芳 Wang Fang"), pictures=True)(window)
        flow = window.later().video_calls
        flow.call_changed(CallUpdate(CallState.TALKING, ""))
        QApplication.processEvents()
        window.open_service("account_entry")
        window.call_bar.show_staff(_call_pictures()[0])

    def call_back_sent(window: KioskWindow) -> None:
        call_back_typed(window)
        window.call_back.type_digit("0")
        window.call_back.show_sent()

    def large(scene: Callable[[KioskWindow], None]) -> Callable[[KioskWindow], None]:
        def scene_in_large_text(window: KioskWindow) -> None:
            window.display.set_large_text(True)
            scene(window)

        return scene_in_large_text

    paying = _payment_scenes(bill)
    center = _center_scenes()
    return {
        "idle": lambda window: None,
        "home": lambda window: window.show_screen(window.home.name),
        "account_entry": typed,
        "account_entry_busy": busy,
        "account_entry_message": message,
        "account_entry_card_unreadable": card_unreadable,
        "account_entry_card_unreadable_large": large(card_unreadable),
        "take_card": take_card,
        "take_card_large": large(take_card),
        "account_entry_payment_code": payment_code_first,
        "account_choice": choice,
        "bill": show_bill,
        "bill_water": water_bill,
        "help": lambda window: window.show_screen(window.help.name),
        "call_back": call_back_typed,
        "call_back_sent": call_back_sent,
        "video_call_waiting": video_call(
            CallUpdate(CallState.WAITING, "", place=2, estimate_s=240)
        ),
        "video_call_talking": video_call(
            CallUpdate(CallState.TALKING, "", agent="王芳 Wang Fang"), pictures=True
        ),
        "video_call_closed": video_call(
            CallUpdate(CallState.CLOSED, "", hours="8:30-17:30", reason="out_of_hours")
        ),
        "video_call_unreachable": video_call(CallUpdate(CallState.UNREACHABLE, "")),
        "video_call_elsewhere": call_elsewhere,
        "video_call_ended": video_call(CallUpdate(CallState.ENDED, "", reason="staff")),
        "countdown": countdown,
        "result_unconfirmed_countdown": result_countdown,
        "result_unconfirmed_countdown_large": large(result_countdown),
        "home_large": large(lambda window: window.show_screen(window.home.name)),
        "account_entry_large": large(typed),
        "bill_large": large(show_bill),
        **paying,
        **{f"{name}_large": large(paying[name]) for name in _LARGE_PAYMENT_SCENES},
        **center,
        **{f"{name}_large": large(center[name]) for name in _LARGE_CENTER_SCENES},
        **(business := _business_scenes(face_shot)),
        "business_form_large": large(business["business_form"]),
        "business_documents_large": large(business["business_documents"]),
    }


def render_screens(
    out_dir: Path,
    bill: AccountBill,
    choices: Sequence[AccountSummary],
    *,
    station_name: str | LocalText = "营业基站",
    notices: Sequence[LocalText] = (),
    help_info: HelpInfo = DEFAULT_HELP,
    languages: Sequence[str] = (CHINESE, ENGLISH),
    reference: ReferenceLibrary | None = None,
    only: Sequence[str] = (),
    face_shot: FaceShot | None = None,
) -> list[Path]:
    """Render every screen offscreen to `<screen>-<lang>-<landscape|portrait>.png` files.

    Needs a QApplication (created here if there is none).
    """
    app = QApplication.instance() or QApplication([])
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    clock = _StoppedClock()
    scenes = _scenes(bill, choices, clock, face_shot)
    if reference is None:
        scenes = {name: scene for name, scene in scenes.items() if not name.startswith("info")}
    if only:
        scenes = {name: scene for name, scene in scenes.items() if name in only}
    for language in languages:
        for orientation, (width, height) in SIZES.items():
            for screen, scene in scenes.items():
                window = KioskWindow(
                    None,
                    station_name=station_name,
                    notices=notices,
                    help_info=help_info,
                    language=language,
                    reference=reference,
                    monotonic=clock,
                )
                try:
                    window.fit(width, height)
                    window.show()
                    if not screen.startswith(("idle", "locked")):
                        window.start_session()
                    scene(window)
                    app.processEvents()
                    path = out_dir / f"{screen}-{language}-{orientation}.png"
                    if not window.grab().save(str(path)):
                        raise OSError(f"could not write {path}")
                    written.append(path)
                finally:
                    window.teardown()
                    window.close()
                    window.deleteLater()
    # The windows are deleted here, not at whatever event loop runs next: some hundred of them
    # took seconds to go, and a test waiting 3 s for a signal timed out behind them.
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return written
