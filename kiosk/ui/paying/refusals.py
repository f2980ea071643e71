"""Why a payment could not start, in the resident's words: what happened and what to do."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from kiosk.services.payment_types import PaymentLimits, PaymentProblem, PaymentRefused
from kiosk.ui.background import TaskTimedOut
from kiosk.ui.formats import money

log = logging.getLogger(__name__)


class PaymentRefusals(QObject):
    def __init__(self, limits: Callable[[], PaymentLimits], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._limits = limits

    def text(self, error: BaseException) -> str:
        if isinstance(error, TaskTimedOut):
            return self.tr("The kiosk could not start the payment in time. Please try again.")
        if not isinstance(error, PaymentRefused):
            log.error("payment refused unexpectedly: %s", type(error).__name__)
            return self.tr("Something went wrong. Nothing was paid. Please try again.")
        limits = self._limits()
        texts = {
            PaymentProblem.NOT_A_PAYMENT_CODE: self.tr(
                "That is not a payment code. Open WeChat or Alipay and show its payment code."
            ),
            PaymentProblem.NOTHING_OWED: self.tr("Nothing is owed on this account."),
            PaymentProblem.AMOUNT_TOO_SMALL: self.tr(
                "The smallest amount you can prepay here is {0}."
            ).format(money(limits.prepay_min)),
            PaymentProblem.AMOUNT_TOO_LARGE: self.tr(
                "The largest amount you can prepay here is {0}."
            ).format(money(limits.prepay_max)),
            PaymentProblem.NOT_READY: self.tr(
                "Paying is not available right now. Please try again later."
            ),
            PaymentProblem.BUSY: self.tr(
                "Another payment is still being completed. Please wait a moment."
            ),
        }
        return texts.get(error.problem, texts[PaymentProblem.NOT_READY])
