"""A WeChat Pay (API v2) simulator: micropay, orderquery, reverse, refundquery, unifiedorder
(NATIVE), closeorder, answering in WeChat's own fields.

`return_code` is the transport, `result_code` the business outcome; a FAIL with SYSTEMERROR,
BANKERROR or USERPAYING proves nothing (query). Amounts travel in fen (`total_fee`). Orders live
in the shared ledger (center/wallets/ledger.py); the parameters are dicts as the XML would be.
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

WALLET = "wechat"

TRADE_STATE = {
    OrderState.PAID: "SUCCESS",
    OrderState.PAYING: "USERPAYING",
    OrderState.NOTPAY: "NOTPAY",
    OrderState.PAYERROR: "PAYERROR",
    OrderState.FAILED: "CLOSED",
    OrderState.CLOSED: "CLOSED",
    OrderState.REVOKED: "REVOKED",
}
ERR_CODE = {
    Opening.USERPAYING: ("USERPAYING", "需要用户输入支付密码"),
    Opening.SYSTEMERROR: ("SYSTEMERROR", "系统超时"),
    Opening.BANKERROR: ("BANKERROR", "银行端超时"),
    Opening.NOT_ENOUGH: ("NOTENOUGH", "用户余额不足"),
    Opening.CODE_EXPIRED: ("AUTHCODEEXPIRE", "二维码已过期，请用户在微信上刷新后再试"),
    Opening.CODE_USED: ("AUTH_CODE_INVALID", "每个二维码仅限使用一次，请刷新再试"),
    Opening.CODE_INVALID: ("AUTH_CODE_ERROR", "授权码参数错误"),
    Opening.PARAMS_DIFFER: ("OUT_TRADE_NO_USED", "商户订单号重复"),
    Opening.ORDER_CLOSED: ("ORDERCLOSED", "订单已关闭"),
    Opening.ORDER_REVOKED: ("ORDERREVERSED", "订单已撤销"),
}


def fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def yuan_of(total_fee: int) -> Decimal:
    return (Decimal(total_fee) / 100).quantize(Decimal("0.01"))


class WeChatPay:
    """The wallet as a merchant's server sees it (one call, one answer dict)."""

    def __init__(self, sessions: sessionmaker) -> None:
        self.book = WalletBook(sessions, WALLET, trade_no_prefix="4200")

    def micropay(self, params: dict[str, str | int], now: dt.datetime) -> dict[str, str]:
        opening, order = self.book.micropay(
            str(params["out_trade_no"]),
            yuan_of(int(params["total_fee"])),
            str(params["auth_code"]),
            str(params["mch_id"]),
            now,
        )
        if opening is Opening.SUCCESS:
            return _success(order, trade_type="MICROPAY")
        err_code, description = ERR_CODE[opening]
        return _fail(err_code, description)

    def orderquery(self, params: dict[str, str], now: dt.datetime) -> dict[str, str]:
        order = self.book.look_up(params["out_trade_no"], now)
        if order is None:
            return _fail("ORDERNOTEXIST", "此交易订单号不存在")
        answer = _success(order, trade_type="MICROPAY" if order.kind == "micropay" else "NATIVE")
        answer["trade_state"] = TRADE_STATE[order.state]
        if order.state is not OrderState.PAID:
            answer.pop("transaction_id", None)
            answer.pop("time_end", None)
        return answer

    def reverse(self, params: dict[str, str], now: dt.datetime) -> dict[str, str]:
        reversal, _order = self.book.reverse(params["out_trade_no"], now)
        if reversal is Reversal.RECALL:
            return {**_fail("USERPAYING", "用户支付中，需要输入密码"), "recall": "Y"}
        return {"return_code": "SUCCESS", "result_code": "SUCCESS", "recall": "N"}

    def refundquery(self, params: dict[str, str], now: dt.datetime) -> dict[str, str]:
        """Whether money went back to the resident: a reversed charge counts as a refund."""
        order = self.book.look_up(params["out_trade_no"], now)
        if order is None or not order.refunded:
            return _fail("REFUNDNOTEXIST", "退款订单查询失败")
        refund_fee = str(fen(order.amount))
        return {
            "return_code": "SUCCESS",
            "result_code": "SUCCESS",
            "out_trade_no": order.out_trade_no,
            "transaction_id": order.trade_no,
            "refund_count": "1",
            "refund_fee": refund_fee,
            "refund_fee_0": refund_fee,
            "refund_status_0": "SUCCESS",
        }

    def unifiedorder(self, params: dict[str, str | int], now: dt.datetime) -> dict[str, str]:
        if params.get("trade_type") != "NATIVE":
            return _fail("PARAM_ERROR", "trade_type must be NATIVE here")
        out_trade_no = str(params["out_trade_no"])
        token = url_token(f"wechat:{out_trade_no}", 22)
        fresh, order = self.book.open_native(
            out_trade_no,
            yuan_of(int(params["total_fee"])),
            str(params["mch_id"]),
            now,
            url=f"weixin://wxpay/bizpayurl?pr={token}",
        )
        if not fresh:
            return _fail("OUT_TRADE_NO_USED", "商户订单号重复")
        if order.state == OrderState.PAID:
            return _fail("ORDERPAID", "该订单已支付")
        return {
            "return_code": "SUCCESS",
            "result_code": "SUCCESS",
            "trade_type": "NATIVE",
            "prepay_id": "wx" + order.trade_no,
            "code_url": order.code_url or "",
            "time_expire": f"{order.expires_at:%Y%m%d%H%M%S}" if order.expires_at else "",
        }

    def closeorder(self, params: dict[str, str], now: dt.datetime) -> dict[str, str]:
        closing, _order = self.book.close(params["out_trade_no"], now)
        if closing is Closing.ALREADY_PAID:
            return _fail("ORDERPAID", "订单已支付，不能发起关单")
        return {"return_code": "SUCCESS", "result_code": "SUCCESS"}


def _success(order: OrderView, trade_type: str) -> dict[str, str]:
    answer = {
        "return_code": "SUCCESS",
        "result_code": "SUCCESS",
        "trade_type": trade_type,
        "out_trade_no": order.out_trade_no,
        "total_fee": str(fen(order.amount)),
        "transaction_id": order.trade_no,
    }
    if order.paid_at is not None:
        answer["time_end"] = f"{order.paid_at:%Y%m%d%H%M%S}"
    return answer


def _fail(err_code: str, description: str) -> dict[str, str]:
    return {
        "return_code": "SUCCESS",
        "result_code": "FAIL",
        "err_code": err_code,
        "err_code_des": description,
    }
