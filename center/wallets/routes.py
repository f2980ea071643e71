"""The simulators' own HTTP routes, for tests and demos (never part of protocol v1):

- POST /sim/wallets/behaviour: how the next orders behave (center/wallets/behaviour.py);
- POST /sim/wallets/native/pay: the resident scans a native QR and pays;
- GET /sim/wallets/ledger: every order, what was charged and what went back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import sessionmaker

from center.database import write_lock
from center.wallets.alipay import Alipay
from center.wallets.behaviour import DEFAULT_AFTER_S, Behaviour, SwitchSetting, set_switch
from center.wallets.ledger import ledger
from center.wallets.wechat import WeChatPay


class BehaviourSwitch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    wallet: Literal["wechat", "alipay"] | None = None
    next: list[Behaviour] = Field(default_factory=list)
    mix: dict[Behaviour, Annotated[int, Field(ge=0)]] | None = None
    seed: int = 0
    default: Behaviour = Behaviour.SUCCESS
    after_s: Annotated[float, Field(ge=0, le=3600)] = DEFAULT_AFTER_S
    slow_s: Annotated[float, Field(ge=0, le=30)] = 0.0


class NativeScan(BaseModel):
    code_url: Annotated[str, Field(min_length=8, max_length=300)]


def simulator_routes(sessions: sessionmaker, now: Callable[[], dt.datetime]) -> APIRouter:
    router = APIRouter(prefix="/sim/wallets", tags=["wallet simulators"])
    books = [WeChatPay(sessions).book, Alipay(sessions).book]

    @router.post("/behaviour")
    def switch_behaviour(switch: BehaviourSwitch) -> dict[str, Any]:
        setting = SwitchSetting(
            wallet=switch.wallet,
            upcoming=tuple(switch.next),
            mix=switch.mix,
            seed=switch.seed,
            default=switch.default,
            after_s=switch.after_s,
            slow_s=switch.slow_s,
        )
        with sessions.begin() as session:
            write_lock(session)
            set_switch(session, setting)
        return {"wallet": switch.wallet, "next": [b.value for b in switch.next]}

    @router.post("/native/pay", response_model=None)
    def scan_and_pay(scan: NativeScan) -> dict[str, Any] | JSONResponse:
        for book in books:
            order = book.scan_and_pay(scan.code_url, now())
            if order is not None:
                return {
                    "out_trade_no": order.out_trade_no,
                    "wallet": order.wallet,
                    "state": order.state.value,
                    "charged": order.charged,
                }
        return JSONResponse(
            status_code=404,
            content={"error": {"code": "order_not_found", "message": "no order has this QR"}},
        )

    @router.get("/ledger")
    def read_ledger() -> dict[str, Any]:
        return {"orders": ledger(sessions)}

    return router
