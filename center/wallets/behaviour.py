"""The behaviour switch: how the simulated wallets treat the next new orders, chosen per test.

Kept in the center's database, so it holds across threads, processes and restarts. A switch is
per wallet or for `any` wallet; a wallet's own switch, when set, wins. Each new order takes the
next queued behaviour; with none queued, one drawn from the mix (deterministic by seed and by
how many were drawn before); with no mix, the default.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from center.database import WalletSwitchRow

ANY_WALLET = "any"
DEFAULT_AFTER_S = 2.0


class Behaviour(StrEnum):
    SUCCESS = "success"
    USERPAYING_SUCCESS = "userpaying_success"  # the resident types the password, then it pays
    USERPAYING_FAIL = "userpaying_fail"  # the resident gives up on the phone
    USERPAYING_FOREVER = "userpaying_forever"  # never completes: the kiosk must reverse
    SYSTEMERROR_PAID = "systemerror_paid"  # SYSTEMERROR, but the money was taken
    SYSTEMERROR_UNPAID = "systemerror_unpaid"  # SYSTEMERROR, nothing taken, open until reversed
    BANKERROR = "bankerror"  # BANKERROR, then paid
    PAYERROR_CHARGED = "payerror_charged"  # PAYERROR although the resident was charged
    INSUFFICIENT_FUNDS = "insufficient_funds"
    CODE_EXPIRED = "code_expired"
    REVERSE_RECALL = "reverse_recall"  # the first reverse asks to be called again


@dataclass(frozen=True)
class Drawn:
    behaviour: Behaviour
    after_s: float
    slow_s: float = 0.0


@dataclass(frozen=True)
class SwitchSetting:
    """What a test asks for: POST /sim/wallets/behaviour."""

    wallet: str | None = None
    upcoming: tuple[Behaviour, ...] = ()
    mix: dict[Behaviour, int] | None = None
    seed: int = 0
    default: Behaviour = Behaviour.SUCCESS
    after_s: float = DEFAULT_AFTER_S
    slow_s: float = 0.0  # how long a new pay takes to answer: a slow wallet


def set_switch(session: Session, setting: SwitchSetting) -> None:
    """Replace the switch of one wallet (or of any wallet) with `setting`."""
    scope = setting.wallet or ANY_WALLET
    row = session.get(WalletSwitchRow, scope)
    if row is None:
        row = WalletSwitchRow(scope=scope)
        session.add(row)
    row.upcoming = [b.value for b in setting.upcoming]
    row.mix = {b.value: weight for b, weight in setting.mix.items()} if setting.mix else None
    row.seed = setting.seed
    row.drawn = 0
    row.default = setting.default.value
    row.after_s = setting.after_s
    row.slow_s = setting.slow_s


def draw_behaviour(session: Session, wallet: str) -> Drawn:
    """The behaviour of one new order of `wallet`; the caller holds the write lock."""
    row = session.get(WalletSwitchRow, wallet) or session.get(WalletSwitchRow, ANY_WALLET)
    if row is None:
        return Drawn(Behaviour.SUCCESS, DEFAULT_AFTER_S)
    if row.upcoming:
        first, *rest = row.upcoming
        row.upcoming = rest
        return Drawn(Behaviour(first), row.after_s, row.slow_s)
    if row.mix:
        names = sorted(row.mix)
        pick = random.Random(row.seed * 1_000_003 + row.drawn).choices(
            names, weights=[row.mix[n] for n in names]
        )[0]
        row.drawn += 1
        return Drawn(Behaviour(pick), row.after_s, row.slow_s)
    return Drawn(Behaviour(row.default), row.after_s, row.slow_s)
