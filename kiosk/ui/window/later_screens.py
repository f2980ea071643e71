"""The screens built after the first frame, and the controllers that drive them.

Only idle, home and locked are in the first frame: the bill screen alone is a tenth of a cold
start. The rest is built just after it, or when first asked for; the window imports this module
only then, so none of these screens' modules is imported before the first frame either.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.ui.background import BackgroundTasks
from kiosk.ui.business.face_screen import FaceCheckScreen
from kiosk.ui.business.flow import BusinessFlow
from kiosk.ui.business.screens import (
    BusinessDocumentsScreen,
    BusinessDoneScreen,
    BusinessFormScreen,
    BusinessMenuScreen,
    BusinessStartScreen,
    DocumentCaptureScreen,
    FollowScreen,
    SignScreen,
)
from kiosk.ui.help.call_back import CallBackScreen
from kiosk.ui.help.call_back_flow import CallBackFlow
from kiosk.ui.help.help import HelpScreen
from kiosk.ui.help.video_call import VideoCallScreen
from kiosk.ui.help.video_call_flow import VideoCallFlow
from kiosk.ui.history.flow import HistoryFlow
from kiosk.ui.history.payments import PastPaymentsScreen
from kiosk.ui.history.vat_form import VatFormScreen
from kiosk.ui.local_text import HelpInfo
from kiosk.ui.lookup.account_choice import AccountChoiceScreen
from kiosk.ui.lookup.account_entry import AccountEntryScreen
from kiosk.ui.lookup.bill import BillScreen
from kiosk.ui.lookup.flow import LookupFlow
from kiosk.ui.paying.flow import PaymentFlow
from kiosk.ui.paying.pay_amount import PrepayAmountScreen
from kiosk.ui.paying.pay_code import PayByCodeScreen
from kiosk.ui.paying.pay_method import PayMethodScreen
from kiosk.ui.paying.pay_qr import PayByQrScreen
from kiosk.ui.paying.payment_result import PaymentResultScreen
from kiosk.ui.paying.rating import RatingScreen
from kiosk.ui.paying.receipts import ReceiptsScreen
from kiosk.ui.paying.reprint import ReprintFlow
from kiosk.ui.paying.screens import PaymentScreens
from kiosk.ui.widgets import Screen

if TYPE_CHECKING:
    from kiosk.services import UseCases
    from kiosk.services.video_help import CallContext


@dataclass(frozen=True)
class LaterScreens:
    entry: AccountEntryScreen
    choice: AccountChoiceScreen
    bill: BillScreen
    help: HelpScreen
    flow: LookupFlow
    paying: PaymentScreens
    payments: PaymentFlow
    reprints: ReprintFlow
    call_back: CallBackScreen
    call_backs: CallBackFlow
    video_call: VideoCallScreen
    video_calls: VideoCallFlow
    business: BusinessFlow
    history: HistoryFlow

    @property
    def screens(self) -> tuple[Screen, ...]:
        """In the order they join the window's stack."""
        paying = self.paying
        return (
            self.entry,
            self.choice,
            self.bill,
            self.help,
            self.call_back,
            self.video_call,
            paying.amount,
            paying.method,
            paying.code,
            paying.qr,
            paying.result,
            paying.rating,
            paying.receipts,
            *self.business_screens,
            self.history.payments,
            self.history.vat,
        )

    @property
    def business_screens(self) -> tuple[Screen, ...]:
        flow = self.business
        return (
            flow.menu,
            flow.start,
            flow.face_check.screen,
            flow.form,
            flow.documents,
            flow.capture,
            flow.sign,
            flow.done,
            flow.follow,
        )


def build_later_screens(
    services: UseCases | None,
    tasks: BackgroundTasks,
    help_info: HelpInfo,
    *,
    center_timeout_s: float,
    qr_window_s: float,
    language: Callable[[], str],
    window: Callable[[], QWidget],
    call_context: Callable[[], CallContext],
    can_show: Callable[[str], bool],
    monotonic: Callable[[], float] = time.monotonic,
    parent: QObject | None = None,
) -> LaterScreens:
    entry, choice = AccountEntryScreen(), AccountChoiceScreen()
    bill, help_screen = BillScreen(), HelpScreen(help_info)
    flow = LookupFlow(
        services, tasks, entry, choice, bill, center_timeout_s=center_timeout_s, parent=parent
    )
    paying = PaymentScreens(
        bill=bill,
        amount=PrepayAmountScreen(),
        method=PayMethodScreen(),
        code=PayByCodeScreen(),
        qr=PayByQrScreen(),
        result=PaymentResultScreen(help_info.hotline),
        rating=RatingScreen(),
        receipts=ReceiptsScreen(),
    )
    payments = PaymentFlow(
        services,
        tasks,
        paying,
        center_timeout_s=center_timeout_s,
        qr_window_s=qr_window_s,
        monotonic=monotonic,
        parent=parent,
    )
    reprints = ReprintFlow(
        services, tasks, bill, paying.receipts, center_timeout_s=center_timeout_s, parent=parent
    )
    call_back = CallBackScreen()
    call_backs = CallBackFlow(services, tasks, call_back, language, parent=parent)
    help_screen.sig_call_back.connect(lambda: call_back.clear())
    video_call = VideoCallScreen(help_info.hotline)
    video_calls = VideoCallFlow(
        None, services, tasks, video_call, window, call_context, can_show, parent=parent
    )
    help_screen.sig_video.connect(video_calls.start)
    video_calls.sig_call_back.connect(lambda: call_back.clear())
    business = BusinessFlow(
        services,
        tasks,
        menu=BusinessMenuScreen(),
        start=BusinessStartScreen(),
        face=FaceCheckScreen(),
        form=BusinessFormScreen(),
        documents=BusinessDocumentsScreen(),
        capture=DocumentCaptureScreen(),
        sign=SignScreen(),
        done=BusinessDoneScreen(),
        follow=FollowScreen(),
        center_timeout_s=center_timeout_s,
        language=language,
        parent=parent,
    )
    history = HistoryFlow(
        services,
        tasks,
        PastPaymentsScreen(),
        VatFormScreen(),
        station_id=lambda: _station_of(services),
        center_timeout_s=center_timeout_s,
        parent=parent,
    )
    flow.sig_bill_shown.connect(payments.bill_shown)
    flow.sig_receipts_wanted.connect(reprints.receipts_of)
    payments.sig_bill_offered.connect(reprints.bill_offered)
    return LaterScreens(
        entry,
        choice,
        bill,
        help_screen,
        flow,
        paying,
        payments,
        reprints,
        call_back,
        call_backs,
        video_call,
        video_calls,
        business,
        history,
    )


def _station_of(services: UseCases | None) -> str:
    """This kiosk's station (where a VAT invoice may be picked up); "" when it has none."""
    try:
        return services.station_id if services is not None else ""
    except Exception:
        return ""
