"""The center as an ASGI application factory, for a process manager running several workers:

    KIOSK_CENTER_DB=postgresql+psycopg://center@db/center \\
        uvicorn --factory center.asgi:app_from_environment --workers 4 --port 8600

Every worker builds its own app from the environment; they share nothing but the database
(docs/center-at-scale.md). `kiosk-center` stays the one-process way to run it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping

from fastapi import FastAPI

from center.app import BUSINESS_CHORES_EVERY_S, create_app, start_up_line
from center.calls.settings import call_settings_from_env

DB_ENV = "KIOSK_CENTER_DB"
DEMO_DATA_ENV = "KIOSK_CENTER_DEMO_DATA"  # "1": fill an empty database with the demo data
TODAY_ENV = "KIOSK_CENTER_TODAY"  # YYYY-MM-DD: bills as of that day instead of the clock's
# "0": kiosks are not asked to sign (development only); signed by default.
SIGNATURES_ENV = "KIOSK_CENTER_REQUIRE_SIGNATURES"
# "1": pay with the wallet simulators and mount their /sim control routes (demos, tests).
SIMULATE_WALLETS_ENV = "KIOSK_CENTER_SIMULATE_WALLETS"
# Video help: KIOSK_CENTER_CALL_HOURS, _CALL_NO_ANSWER_MINUTES, _STUN_URLS, _TURN_URLS,
# _TURN_SECRET, _TURN_LIFETIME_S (center/calls/settings.py).


def app_from_environment(environ: Mapping[str, str] | None = None) -> FastAPI:
    """The center configured by KIOSK_CENTER_* variables (the operator token included)."""
    env = os.environ if environ is None else environ
    db_url = env.get(DB_ENV)
    if not db_url:
        raise RuntimeError(f"set {DB_ENV} to the center's SQLAlchemy database URL")
    today = env.get(TODAY_ENV)
    require_signatures = env.get(SIGNATURES_ENV, "1") != "0"
    simulate_wallets = env.get(SIMULATE_WALLETS_ENV) == "1"
    line = start_up_line(simulate_wallets=simulate_wallets, require_signatures=require_signatures)
    print(line, file=sys.stderr, flush=True)  # each worker says it
    return create_app(
        db_url,
        today=dt.date.fromisoformat(today) if today else None,
        demo_data=env.get(DEMO_DATA_ENV) == "1",
        require_signatures=require_signatures,
        simulate_wallets=simulate_wallets,
        calls=call_settings_from_env(env),
        chores_every=BUSINESS_CHORES_EVERY_S,
    )
