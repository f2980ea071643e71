"""An Alipay simulator: alipay.trade.pay (scene bar_code), .query, .cancel, .precreate, .close,
answering in Alipay's own fields.

`code` 10000 success, 10003 the buyer is paying (poll), 20000 unknown (query, then cancel),
40004 a definite business failure with a `sub_code`. Amounts travel in yuan as text. Orders live
in the shared ledger (center/wallets/ledger.py). Sub codes follow Alipay's; the used-code one
(ACQ.PAYMENT_AUTH_CODE_USED) is this simulator's own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import sessionmaker

from center.wallets.ledger import (
    Closing,
    Opening,
    OrderState,
    OrderView,
    Reversal,
    WalletBook,
    url_token,
)

WALLET = "alipay"

BUSINESS_FAILED = {
    Opening.NOT_ENOUGH: ("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足"),
    Opening.CODE_EXPIRED: ("ACQ.PAYMENT_AUTH_CODE_INVALID", "支付授权码无效"),
    Opening.CODE_INVALID: ("ACQ.PAYMENT_AUTH_CODE_INVALID", "支付授权码无效"),
    Opening.CODE_USED: ("ACQ.PAYMENT_AUTH_CODE_USED", "支付授权码已使用"),
    Opening.PARAMS_DIFFER: ("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"),
    Opening.ORDER_CLOSED: ("ACQ.TRADE_HAS_CLOSE", "交易已经关闭"),
    Opening.ORDER_REVOKED: ("ACQ.TRADE_HAS_CLOSE", "交易已经关闭"),
}


def trade_status(order: OrderView) -> str:
    state = order.state
    if state is OrderState.PAID:
        return "TRADE_SUCCESS"
    if state in (OrderState.PAYING, OrderState.NOTPAY):
        return "WAIT_BUYER_PAY"
    if state is OrderState.PAYERROR:
        # Alipay has no PAYERROR: taken money shows as still waiting, nothing taken as closed.
        return "WAIT_BUYER_PAY" if order.charged else "TRADE_CLOSED"
    return "TRADE_CLOSED"


class Alipay:
    """The wallet as a merchant's server sees it (one call, one answer dict)."""

    def __init__(self, sessions: sessionmaker) -> None:
        self.book = WalletBook(sessions, WALLET, trade_no_prefix="2026")

    def trade_pay(self, biz: dict[str, str], now: dt.datetime) -> dict[str, str]:
        opening, order = self.book.micropay(
            biz["out_trade_no"],
            Decimal(biz["total_amount"]),
            biz["auth_code"],
            biz["seller_id"],
            now,
        )
        if opening is Opening.SUCCESS:
            return {**_order_fields(order), "code": "10000", "msg": "Success"}
        if opening is Opening.USERPAYING:
            return {**_order_fields(order), "code": "10003", "msg": " order success pay inprocess"}
        if opening in (Opening.SYSTEMERROR, Opening.BANKERROR):
            return _unknown()
        sub_code, sub_msg = BUSINESS_FAILED[opening]
        return _business_failed(sub_code, sub_msg)

    def trade_query(self, biz: dict[str, str], now: dt.datetime) -> dict[str, str]:
        order = self.book.look_up(biz["out_trade_no"], now)
        if order is None:
            return _business_failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        return {
            **_order_fields(order),
            "code": "10000",
            "msg": "Success",
            "trade_status": trade_status(order),
        }

    def trade_cancel(self, biz: dict[str, str], now: dt.datetime) -> dict[str, str]:
        reversal, order = self.book.reverse(biz["out_trade_no"], now)
        if reversal is Reversal.RECALL:
            return {**_unknown(), "retry_flag": "Y"}
        action = "refund" if reversal is Reversal.REFUNDED else "close"
        return {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": order.out_trade_no,
            "trade_no": order.trade_no,
            "retry_flag": "N",
            "action": action,
        }

    def trade_precreate(self, biz: dict[str, str], now: dt.datetime) -> dict[str, str]:
        out_trade_no = biz["out_trade_no"]
        token = url_token(f"alipay:{out_trade_no}", 24)
        fresh, order = self.book.open_native(
            out_trade_no,
            Decimal(biz["total_amount"]),
            biz["seller_id"],
            now,
            url=f"https://qr.alipay.com/bax{token}",
        )
        if not fresh:
            return _business_failed("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
        return {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": out_trade_no,
            "qr_code": order.code_url or "",
        }

    def trade_close(self, biz: dict[str, str], now: dt.datetime) -> dict[str, str]:
        closing, order = self.book.close(biz["out_trade_no"], now)
        if closing is Closing.ALREADY_PAID:
            return _business_failed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
        return {"code": "10000", "msg": "Success", "out_trade_no": order.out_trade_no}


def _order_fields(order: OrderView) -> dict[str, str]:
    fields = {
        "out_trade_no": order.out_trade_no,
        "trade_no": order.trade_no,
        "total_amount": str(order.amount),
    }
    if order.paid_at is not None and order.state is OrderState.PAID:
        fields["gmt_payment"] = f"{order.paid_at:%Y-%m-%d %H:%M:%S}"
    return fields


def _unknown() -> dict[str, str]:
    return {
        "code": "20000",
        "msg": "Service Currently Unavailable",
        "sub_code": "isp.unknow-error",
        "sub_msg": "系统繁忙",
    }


def _business_failed(sub_code: str, sub_msg: str) -> dict[str, str]:
    return {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_msg}
