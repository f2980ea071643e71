"""The center's side of each wallet: call it as a merchant does and say what its answer means
as a PaymentStatus (the mapping of sync/protocol/payments.py).

A wallet error the center does not know is taken as unknown, never as failed: only a definite
refusal may tell the resident that nothing was taken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from sqlalchemy.orm import sessionmaker

from center.wallets.alipay import Alipay
from center.wallets.wechat import WeChatPay, fen
from sync.protocol import PaymentStatus, Wallet


@dataclass(frozen=True)
class WalletVerdict:
    status: PaymentStatus
    reason: str | None = None
    recall: bool = False
    refunded: bool = False
    trade_no: str | None = None
    code_url: str | None = None


class Merchant(Protocol):
    def pay(
        self, payment_id: str, amount: Decimal, code: str, merchant_id: str, now: dt.datetime
    ) -> WalletVerdict: ...

    def open_native(
        self, payment_id: str, amount: Decimal, merchant_id: str, now: dt.datetime
    ) -> WalletVerdict: ...

    def query(self, payment_id: str, native: bool, now: dt.datetime) -> WalletVerdict: ...

    def reverse(self, payment_id: str, now: dt.datetime) -> WalletVerdict: ...

    def close(self, payment_id: str, now: dt.datetime) -> WalletVerdict: ...


UNKNOWN = WalletVerdict(PaymentStatus.UNKNOWN)

WECHAT_PAY_FAILURES = {
    "USERPAYING": WalletVerdict(PaymentStatus.PAYING),
    "SYSTEMERROR": UNKNOWN,
    "BANKERROR": UNKNOWN,
    "NOTENOUGH": WalletVerdict(PaymentStatus.FAILED, "insufficient_funds"),
    "AUTHCODEEXPIRE": WalletVerdict(PaymentStatus.FAILED, "code_expired"),
    "AUTH_CODE_INVALID": WalletVerdict(PaymentStatus.FAILED, "code_used"),
    "AUTH_CODE_ERROR": WalletVerdict(PaymentStatus.FAILED, "code_invalid"),
    "NOTSUPORTCARD": WalletVerdict(PaymentStatus.FAILED, "wallet_refused"),
    "OUT_TRADE_NO_USED": WalletVerdict(PaymentStatus.FAILED, "wallet_refused"),
    "ORDERCLOSED": WalletVerdict(PaymentStatus.CLOSED),
    "ORDERREVERSED": WalletVerdict(PaymentStatus.CLOSED),
}
WECHAT_TRADE_STATES = {
    "SUCCESS": WalletVerdict(PaymentStatus.PAID),
    "REFUND": WalletVerdict(PaymentStatus.REVERSED, refunded=True),
    "CLOSED": WalletVerdict(PaymentStatus.CLOSED),
    "REVOKED": WalletVerdict(PaymentStatus.CLOSED),
    "USERPAYING": WalletVerdict(PaymentStatus.PAYING),
    "PAYERROR": WalletVerdict(PaymentStatus.UNKNOWN, "payerror"),
}
ALIPAY_FAILURES = {
    "ACQ.BUYER_BALANCE_NOT_ENOUGH": WalletVerdict(PaymentStatus.FAILED, "insufficient_funds"),
    "ACQ.PAYMENT_AUTH_CODE_INVALID": WalletVerdict(PaymentStatus.FAILED, "code_invalid"),
    "ACQ.PAYMENT_AUTH_CODE_USED": WalletVerdict(PaymentStatus.FAILED, "code_used"),
    "ACQ.CONTEXT_INCONSISTENT": WalletVerdict(PaymentStatus.FAILED, "wallet_refused"),
    "ACQ.TRADE_HAS_CLOSE": WalletVerdict(PaymentStatus.CLOSED),
}


class WeChatMerchant:
    def __init__(self, wallet: WeChatPay) -> None:
        self.wallet = wallet

    def pay(
        self, payment_id: str, amount: Decimal, code: str, merchant_id: str, now: dt.datetime
    ) -> WalletVerdict:
        answer = self.wallet.micropay(
            {
                "mch_id": merchant_id,
                "out_trade_no": payment_id,
                "total_fee": fen(amount),
                "auth_code": code,
                "body": "缴费",
            },
            now,
        )
        if answer.get("result_code") == "SUCCESS":
            return WalletVerdict(PaymentStatus.PAID, trade_no=answer.get("transaction_id"))
        return WECHAT_PAY_FAILURES.get(answer.get("err_code", ""), UNKNOWN)

    def open_native(
        self, payment_id: str, amount: Decimal, merchant_id: str, now: dt.datetime
    ) -> WalletVerdict:
        answer = self.wallet.unifiedorder(
            {
                "mch_id": merchant_id,
                "out_trade_no": payment_id,
                "total_fee": fen(amount),
                "trade_type": "NATIVE",
                "body": "缴费",
            },
            now,
        )
        if answer.get("result_code") == "SUCCESS":
            return WalletVerdict(PaymentStatus.WAITING, code_url=answer["code_url"])
        if answer.get("err_code") == "ORDERPAID":
            return self.query(payment_id, True, now)
        return WalletVerdict(PaymentStatus.FAILED, "wallet_refused")

    def query(self, payment_id: str, native: bool, now: dt.datetime) -> WalletVerdict:
        answer = self.wallet.orderquery({"out_trade_no": payment_id}, now)
        if answer.get("result_code") != "SUCCESS":
            return UNKNOWN  # ORDERNOTEXIST too: the pay may still be on its way
        state = answer.get("trade_state", "")
        if state == "NOTPAY":
            return WalletVerdict(PaymentStatus.WAITING if native else PaymentStatus.UNKNOWN)
        verdict = WECHAT_TRADE_STATES.get(state, UNKNOWN)
        if verdict.status is PaymentStatus.PAID:
            return WalletVerdict(PaymentStatus.PAID, trade_no=answer.get("transaction_id"))
        return verdict

    def reverse(self, payment_id: str, now: dt.datetime) -> WalletVerdict:
        before = self.query(payment_id, False, now)
        answer = self.wallet.reverse({"out_trade_no": payment_id}, now)
        if answer.get("result_code") != "SUCCESS":
            return WalletVerdict(before.status, before.reason, recall=True)
        # WeChat's reverse does not say whether money went back (a PAYERROR may have been
        # charged): its refund records do.
        refunds = self.wallet.refundquery({"out_trade_no": payment_id}, now)
        if refunds.get("result_code") == "SUCCESS" and refunds.get("refund_status_0") == "SUCCESS":
            return WalletVerdict(PaymentStatus.REVERSED, refunded=True, trade_no=before.trade_no)
        return WalletVerdict(PaymentStatus.CLOSED)

    def close(self, payment_id: str, now: dt.datetime) -> WalletVerdict:
        answer = self.wallet.closeorder({"out_trade_no": payment_id}, now)
        if answer.get("result_code") == "SUCCESS":
            return WalletVerdict(PaymentStatus.CLOSED)
        if answer.get("err_code") == "ORDERPAID":
            return self.query(payment_id, True, now)
        return UNKNOWN


class AlipayMerchant:
    def __init__(self, wallet: Alipay) -> None:
        self.wallet = wallet

    def pay(
        self, payment_id: str, amount: Decimal, code: str, merchant_id: str, now: dt.datetime
    ) -> WalletVerdict:
        answer = self.wallet.trade_pay(
            {
                "out_trade_no": payment_id,
                "scene": "bar_code",
                "auth_code": code,
                "total_amount": str(amount),
                "seller_id": merchant_id,
                "subject": "缴费",
            },
            now,
        )
        code_ = answer.get("code")
        if code_ == "10000":
            return WalletVerdict(PaymentStatus.PAID, trade_no=answer.get("trade_no"))
        if code_ == "10003":
            return WalletVerdict(PaymentStatus.PAYING)
        if code_ == "40004":
            return ALIPAY_FAILURES.get(
                answer.get("sub_code", ""), WalletVerdict(PaymentStatus.FAILED, "wallet_refused")
            )
        return UNKNOWN

    def open_native(
        self, payment_id: str, amount: Decimal, merchant_id: str, now: dt.datetime
    ) -> WalletVerdict:
        answer = self.wallet.trade_precreate(
            {
                "out_trade_no": payment_id,
                "total_amount": str(amount),
                "seller_id": merchant_id,
                "subject": "缴费",
            },
            now,
        )
        if answer.get("code") == "10000":
            return WalletVerdict(PaymentStatus.WAITING, code_url=answer["qr_code"])
        return WalletVerdict(PaymentStatus.FAILED, "wallet_refused")

    def query(self, payment_id: str, native: bool, now: dt.datetime) -> WalletVerdict:
        answer = self.wallet.trade_query({"out_trade_no": payment_id}, now)
        if answer.get("code") != "10000":
            return UNKNOWN  # ACQ.TRADE_NOT_EXIST too: the pay may still be on its way
        status = answer.get("trade_status")
        if status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            return WalletVerdict(PaymentStatus.PAID, trade_no=answer.get("trade_no"))
        if status == "WAIT_BUYER_PAY":
            return WalletVerdict(PaymentStatus.WAITING if native else PaymentStatus.PAYING)
        if status == "TRADE_CLOSED":
            return WalletVerdict(PaymentStatus.CLOSED)
        return UNKNOWN

    def reverse(self, payment_id: str, now: dt.datetime) -> WalletVerdict:
        answer = self.wallet.trade_cancel({"out_trade_no": payment_id}, now)
        if answer.get("code") == "10000" and answer.get("retry_flag") != "Y":
            if answer.get("action") == "refund":
                return WalletVerdict(PaymentStatus.REVERSED, refunded=True)
            return WalletVerdict(PaymentStatus.CLOSED)
        before = self.query(payment_id, False, now)
        return WalletVerdict(before.status, before.reason, recall=True)

    def close(self, payment_id: str, now: dt.datetime) -> WalletVerdict:
        answer = self.wallet.trade_close({"out_trade_no": payment_id}, now)
        if answer.get("code") == "10000":
            return WalletVerdict(PaymentStatus.CLOSED)
        if answer.get("sub_code") == "ACQ.TRADE_STATUS_ERROR":
            return self.query(payment_id, True, now)
        return UNKNOWN


def merchants(sessions: sessionmaker) -> dict[Wallet, Merchant]:
    """The wallets the reference center can take payments with, all simulated."""
    return {
        Wallet.WECHAT: WeChatMerchant(WeChatPay(sessions)),
        Wallet.ALIPAY: AlipayMerchant(Alipay(sessions)),
    }
