"""The wallet simulators' state machines, on a real SQLite file, with time passed in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from center.database import Database, open_database, write_lock
from center.wallets.alipay import Alipay
from center.wallets.behaviour import Behaviour, SwitchSetting, set_switch
from center.wallets.ledger import ledger
from center.wallets.wechat import WeChatPay

T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
WECHAT_CODE = "134567890123456789"
ALIPAY_CODE = "284567890123456789"


@pytest.fixture
def database(tmp_path) -> Database:
    database = open_database(f"sqlite:///{tmp_path / 'wallets.db'}")
    yield database
    database.close()


@pytest.fixture
def wechat(database) -> WeChatPay:
    return WeChatPay(database.sessions)


@pytest.fixture
def alipay(database) -> Alipay:
    return Alipay(database.sessions)


def behave(database: Database, *upcoming: str, **options) -> None:
    with database.sessions.begin() as session:
        write_lock(session)
        set_switch(
            session, SwitchSetting(upcoming=tuple(Behaviour(b) for b in upcoming), **options)
        )


def micropay(wechat: WeChatPay, order: str, fee: int = 1000, code: str = WECHAT_CODE, at=T0):
    params = {"out_trade_no": order, "total_fee": fee, "auth_code": code, "mch_id": "m1"}
    return wechat.micropay(params, at)


def state(wechat: WeChatPay, order: str, at=T0) -> str:
    return wechat.orderquery({"out_trade_no": order}, at)["trade_state"]


def test_success_charges_once_and_a_retry_is_answered_alike(wechat, database):
    first = micropay(wechat, "o1")
    assert first["result_code"] == "SUCCESS" and first["total_fee"] == "1000"
    assert micropay(wechat, "o1") == first
    assert state(wechat, "o1") == "SUCCESS"
    orders = ledger(database.sessions)
    assert [(o["out_trade_no"], o["charged"], o["amount"]) for o in orders] == [
        ("o1", True, "10.00")
    ]


def test_same_order_number_with_other_parameters_is_refused(wechat):
    micropay(wechat, "o1")
    answer = micropay(wechat, "o1", fee=2000)
    assert (answer["result_code"], answer["err_code"]) == ("FAIL", "OUT_TRADE_NO_USED")


def test_a_payment_code_is_single_use_even_after_a_failure(wechat, database):
    behave(database, "insufficient_funds")
    assert micropay(wechat, "o1")["err_code"] == "NOTENOUGH"
    assert micropay(wechat, "o2")["err_code"] == "AUTH_CODE_INVALID"
    assert not any(o["charged"] for o in ledger(database.sessions))


def test_a_code_of_another_wallet_is_refused(alipay):
    answer = alipay.trade_pay(
        {"out_trade_no": "a1", "total_amount": "5.00", "auth_code": WECHAT_CODE, "seller_id": "m"},
        T0,
    )
    assert (answer["code"], answer["sub_code"]) == ("40004", "ACQ.PAYMENT_AUTH_CODE_INVALID")


def test_password_above_1000_yuan_pays_after_the_resident_confirms(wechat, database):
    behave(database, after_s=3.0)
    assert micropay(wechat, "big", fee=100_001)["err_code"] == "USERPAYING"
    assert state(wechat, "big", T0 + dt.timedelta(seconds=2)) == "USERPAYING"
    assert state(wechat, "big", T0 + dt.timedelta(seconds=3)) == "SUCCESS"


def test_userpaying_then_the_resident_gives_up(wechat, alipay, database):
    behave(database, "userpaying_fail", "userpaying_fail", after_s=1.0)
    assert micropay(wechat, "o1")["err_code"] == "USERPAYING"
    assert state(wechat, "o1", T0 + dt.timedelta(seconds=1)) == "PAYERROR"
    biz = {"out_trade_no": "a1", "total_amount": "5.00", "auth_code": ALIPAY_CODE, "seller_id": "m"}
    assert alipay.trade_pay(biz, T0)["code"] == "10003"
    later = T0 + dt.timedelta(seconds=1)
    assert alipay.trade_query({"out_trade_no": "a1"}, later)["trade_status"] == "TRADE_CLOSED"


def test_systemerror_paid_is_unknown_then_success_and_reverse_refunds(wechat, database):
    behave(database, "systemerror_paid")
    assert micropay(wechat, "o1")["err_code"] == "SYSTEMERROR"
    assert state(wechat, "o1") == "SUCCESS"
    assert wechat.reverse({"out_trade_no": "o1"}, T0)["recall"] == "N"
    assert state(wechat, "o1") == "REVOKED"
    [order] = ledger(database.sessions)
    assert order["charged"] and order["refunded"]


def test_reverse_recall_asks_once_more_then_closes(alipay, database):
    behave(database, "reverse_recall")
    biz = {"out_trade_no": "a1", "total_amount": "5.00", "auth_code": ALIPAY_CODE, "seller_id": "m"}
    assert alipay.trade_pay(biz, T0)["code"] == "10003"
    first = alipay.trade_cancel({"out_trade_no": "a1"}, T0)
    assert first["retry_flag"] == "Y"
    second = alipay.trade_cancel({"out_trade_no": "a1"}, T0)
    assert (second["code"], second["action"], second["retry_flag"]) == ("10000", "close", "N")
    assert alipay.trade_cancel({"out_trade_no": "a1"}, T0)["action"] == "close"  # idempotent


def test_a_pay_after_a_reverse_of_the_same_number_never_charges(wechat, database):
    assert wechat.reverse({"out_trade_no": "late"}, T0)["result_code"] == "SUCCESS"
    assert micropay(wechat, "late")["err_code"] == "ORDERREVERSED"
    assert not any(o["charged"] for o in ledger(database.sessions))


def test_payerror_charged_is_refunded_by_reverse(wechat, database):
    behave(database, "payerror_charged")
    micropay(wechat, "o1")
    assert state(wechat, "o1") == "PAYERROR"
    assert wechat.refundquery({"out_trade_no": "o1"}, T0)["err_code"] == "REFUNDNOTEXIST"
    wechat.reverse({"out_trade_no": "o1"}, T0)
    [order] = ledger(database.sessions)
    assert order["charged"] and order["refunded"] and order["state"] == "revoked"
    refunds = wechat.refundquery({"out_trade_no": "o1"}, T0)
    assert (refunds["refund_status_0"], refunds["refund_fee"]) == ("SUCCESS", "1000")


def test_native_order_expires_after_two_hours(wechat):
    opened = wechat.unifiedorder(
        {"out_trade_no": "n1", "total_fee": 500, "mch_id": "m", "trade_type": "NATIVE"}, T0
    )
    assert opened["code_url"].startswith("weixin://wxpay/bizpayurl?pr=")
    assert state(wechat, "n1", T0 + dt.timedelta(minutes=119)) == "NOTPAY"
    assert state(wechat, "n1", T0 + dt.timedelta(hours=2)) == "CLOSED"


def test_native_scan_pays_and_a_paid_order_cannot_be_closed(alipay):
    opened = alipay.trade_precreate(
        {"out_trade_no": "n1", "total_amount": "12.50", "seller_id": "m"}, T0
    )
    assert opened["qr_code"].startswith("https://qr.alipay.com/")
    paid = alipay.book.scan_and_pay(opened["qr_code"], T0)
    assert paid is not None and paid.charged and paid.amount == Decimal("12.50")
    closed = alipay.trade_close({"out_trade_no": "n1"}, T0)
    assert closed["sub_code"] == "ACQ.TRADE_STATUS_ERROR"
    assert alipay.trade_query({"out_trade_no": "n1"}, T0)["trade_status"] == "TRADE_SUCCESS"


def test_queued_behaviours_are_taken_one_per_new_order_then_the_default(wechat, database):
    behave(database, "bankerror", default=Behaviour.CODE_EXPIRED)
    codes = iter(f"1345678901234567{n:02d}" for n in range(10))
    assert micropay(wechat, "o1", code=next(codes))["err_code"] == "BANKERROR"
    # A retry of the same order is answered as the order now stands: the bank came back.
    assert micropay(wechat, "o1", code="134567890123456700")["result_code"] == "SUCCESS"
    assert micropay(wechat, "o2", code=next(codes))["err_code"] == "AUTHCODEEXPIRE"


def test_a_mix_is_the_same_for_the_same_seed(database, wechat):
    mix = {Behaviour.SUCCESS: 1, Behaviour.BANKERROR: 1, Behaviour.USERPAYING_FOREVER: 1}

    def run(prefix: str) -> list[str]:
        behave(database, mix=mix, seed=7)
        answers = []
        for n in range(12):
            answer = micropay(wechat, f"{prefix}{n}", code=f"13{prefix}{n:015d}")
            answers.append(answer.get("err_code", "SUCCESS"))
        return answers

    first, second = run("1"), run("2")
    assert first == second
    assert len(set(first)) == 3
