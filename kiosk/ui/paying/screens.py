"""The screens of paying, as the payment and reprint flows drive them."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ui.lookup.bill import BillScreen
from kiosk.ui.paying.pay_amount import PrepayAmountScreen
from kiosk.ui.paying.pay_code import PayByCodeScreen
from kiosk.ui.paying.pay_method import PayMethodScreen
from kiosk.ui.paying.pay_qr import PayByQrScreen
from kiosk.ui.paying.payment_result import PaymentResultScreen
from kiosk.ui.paying.rating import RatingScreen
from kiosk.ui.paying.receipts import ReceiptsScreen


@dataclass(frozen=True)
class PaymentScreens:
    bill: BillScreen
    amount: PrepayAmountScreen
    method: PayMethodScreen
    code: PayByCodeScreen
    qr: PayByQrScreen
    result: PaymentResultScreen
    rating: RatingScreen
    receipts: ReceiptsScreen

    @property
    def steps(self) -> tuple[str, ...]:
        """The screens a resident must not go Back into once a payment has an outcome."""
        return (self.amount.name, self.method.name, self.code.name, self.qr.name)
