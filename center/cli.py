"""`kiosk-center`: run the reference center; enrol and revoke kiosks.

kiosk-center [--db URL] [--host H --port P] [--ssl-certfile F --ssl-keyfile F]
             [--simulated-wallets] [--accept-scheme-1-until YYYY-MM-DD|never]
             [--call-hours HH:MM-HH:MM] [--call-no-answer-minutes N]
             [--stun-url URL ...] [--turn-url URL ...] [--turn-lifetime SECONDS]
             (the TURN secret only from $KIOSK_CENTER_TURN_SECRET: never on a command line)
kiosk-center enroll-token --kiosk-id ID [--db URL]   prints a one-time enrolment token
kiosk-center revoke --kiosk-id ID [--db URL]
kiosk-center vat-ready --request VAT000000000001 [--db URL]   the VAT invoice is made: SMS queued
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import getpass
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

import uvicorn

from center.app import BUSINESS_CHORES_EVERY_S, create_app, start_up_line
from center.asgi import DB_ENV
from center.business.claims import set_team
from center.calls.settings import (
    TURN_SECRET_ENV,
    CallSettings,
    ServiceHours,
    SettingsError,
    call_settings_from_env,
)
from center.database import StationContactRow, open_database
from center.history import mark_vat_ready
from center.kiosk_auth import (
    SCHEME_1_ACCEPTED_UNTIL,
    TOKEN_LIFETIME,
    issue_enrolment_token,
    revoke_kiosk,
)
from center.staff.accounts import Role, StaffError, add_staff
from rules.masking import mask_digits
from rules.phone import is_phone_number


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kiosk-center",
        description="Reference central platform for the base-station kiosks (protocol v1 API).",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8600, help="port to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--db",
        default=os.environ.get(DB_ENV) or "sqlite:///kiosk-center.db",
        help=f"SQLAlchemy database URL (default: ${DB_ENV}, else kiosk-center.db in the "
        "current folder)",
    )
    parser.add_argument(
        "--demo-data",
        action="store_true",
        help="fill an empty database with deterministic demo residents, accounts and bills",
    )
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="compute bills and late fees for this date instead of the clock's",
    )
    parser.add_argument(
        "--answer-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long before every /v1 answer, to play a slow center (default: 0)",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="server log level (default: %(default)s); ID numbers are never logged",
    )
    parser.add_argument(
        "--require-signatures",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="refuse /v1 requests not signed by an enrolled kiosk (default: on; "
        "--no-require-signatures only for development)",
    )
    parser.add_argument(
        "--simulated-wallets",
        action="store_true",
        help="take payments with the WeChat Pay and Alipay simulators and mount their control "
        "routes (/sim/wallets): demos and tests only; without it payments are refused",
    )
    parser.add_argument(
        "--accept-scheme-1-until",
        type=_date_or_never,
        default=SCHEME_1_ACCEPTED_UNTIL,
        metavar="YYYY-MM-DD|never",
        help="serve kiosks still signing with signature scheme 1 (Idempotency-Key unsigned) "
        "until this day, UTC (default: %(default)s; a kiosk that signed with scheme 2 once is "
        "never served scheme 1 again)",
    )
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when the process that started this one ends, even killed (the kiosk's "
        "embedded center in demo mode)",
    )
    _add_call_options(parser)
    parser.add_argument("--ssl-certfile", metavar="FILE", help="serve https with this certificate")
    parser.add_argument("--ssl-keyfile", metavar="FILE", help="the certificate's private key")
    _add_kiosk_commands(parser)
    return parser.parse_args(argv)


def _add_call_options(parser: argparse.ArgumentParser) -> None:
    calls = parser.add_argument_group(
        "video help", "calls from kiosks (each also from its KIOSK_CENTER_* variable)"
    )
    calls.add_argument(
        "--call-hours",
        type=ServiceHours.parse,
        metavar="HH:MM-HH:MM",
        help="answer calls only within these hours, the center's local time (default: always; "
        "$KIOSK_CENTER_CALL_HOURS)",
    )
    calls.add_argument(
        "--call-no-answer-minutes",
        type=float,
        metavar="N",
        help="end a call nobody took after N minutes (default: 10; "
        "$KIOSK_CENTER_CALL_NO_ANSWER_MINUTES)",
    )
    calls.add_argument(
        "--stun-url",
        action="append",
        metavar="URL",
        help="a STUN server given to both ends, stun:host:port (repeatable; default: none; "
        "$KIOSK_CENTER_STUN_URLS, comma-separated)",
    )
    calls.add_argument(
        "--turn-url",
        action="append",
        metavar="URL",
        help=f"a TURN server (coturn, REST credentials from ${TURN_SECRET_ENV}; repeatable; "
        "default: none; $KIOSK_CENTER_TURN_URLS)",
    )
    calls.add_argument(
        "--turn-lifetime",
        type=int,
        metavar="SECONDS",
        help="how long TURN credentials last (default: 3600; $KIOSK_CENTER_TURN_LIFETIME_S)",
    )


def call_settings(args: argparse.Namespace) -> CallSettings:
    """The environment's call settings, with what the command line says instead."""
    settings = call_settings_from_env()
    ice = settings.ice
    if args.stun_url:
        ice = dataclasses.replace(ice, stun_urls=tuple(args.stun_url))
    if args.turn_url:
        ice = dataclasses.replace(ice, turn_urls=tuple(args.turn_url))
    if args.turn_lifetime:
        ice = dataclasses.replace(ice, turn_lifetime_s=args.turn_lifetime)
    if ice.turn_urls and not ice.turn_secret:
        raise SettingsError(f"TURN servers need their shared secret in ${TURN_SECRET_ENV}")
    changes: dict[str, object] = {"ice": ice}
    if args.call_hours is not None:
        changes["hours"] = args.call_hours
    if args.call_no_answer_minutes is not None:
        changes["no_answer_after"] = dt.timedelta(minutes=args.call_no_answer_minutes)
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]


def _date_or_never(text: str) -> dt.date | None:
    return None if text == "never" else dt.date.fromisoformat(text)


def _add_kiosk_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # --db after the command too; SUPPRESS keeps one given before the command.
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--db", default=argparse.SUPPRESS, help="SQLAlchemy database URL")
    database.add_argument("--kiosk-id", required=True, help="the kiosk's id (its kiosk.id)")
    token = commands.add_parser(
        "enroll-token",
        parents=[database],
        help="print a one-time token a kiosk enrols with (kiosk enroll --token ...)",
    )
    token.add_argument(
        "--hours",
        type=float,
        default=TOKEN_LIFETIME.total_seconds() / 3600,
        help="the token expires after this many hours (default: %(default)s)",
    )
    commands.add_parser(
        "revoke", parents=[database], help="refuse every request of this kiosk from now on"
    )
    vat = commands.add_parser(
        "vat-ready", help="a requested VAT invoice is made: tell the resident by SMS"
    )
    vat.add_argument("--db", default=argparse.SUPPRESS, help="SQLAlchemy database URL")
    vat.add_argument("--request", required=True, help="the request's id (VAT...)")
    _add_station_command(commands)
    staff = commands.add_parser("staff", help="staff accounts of the console (/staff/)")
    staff_commands = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = staff_commands.add_parser("add", help="add a staff account (the first admin, say)")
    add.add_argument("--db", default=argparse.SUPPRESS, help="SQLAlchemy database URL")
    add.add_argument("--login", required=True, help="what they sign in with")
    add.add_argument("--name", default="", help="the name shown on the console")
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument(
        "--team",
        default="center",
        help="whose work they take from the shared queue: a station's id, or center (default)",
    )
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else it is asked for, twice)",
    )


def _add_station_command(commands: Any) -> None:
    station = commands.add_parser(
        "station", help="a station's team: who gets the SMS of its kiosks' alerts"
    )
    actions = station.add_subparsers(dest="station_command", metavar="ACTION", required=True)
    contact = actions.add_parser("contact", help="add a phone of the station's team")
    contact.add_argument("--db", default=argparse.SUPPRESS, help="SQLAlchemy database URL")
    contact.add_argument("--station", required=True, help="the station's id (kiosk.station_id)")
    contact.add_argument("--phone", required=True, help="a mobile number (11 digits)")
    contact.add_argument("--name", default="", help="whose phone it is")


def _station_command(args: argparse.Namespace) -> int:
    if not is_phone_number(args.phone):
        print("kiosk-center: not a mobile number", file=sys.stderr)
        return 1
    database = open_database(args.db)
    try:
        with database.sessions.begin() as session:
            session.merge(
                StationContactRow(station_id=args.station, phone=args.phone, name=args.name[:40])
            )
    finally:
        database.close()
    print(f"station {args.station}: alerts go to {mask_digits(args.phone, 3, 4)} too")
    return 0


def _staff_command(args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("kiosk-center: the two passwords differ", file=sys.stderr)
            return 1
    database = open_database(args.db)
    try:
        member = add_staff(
            database.sessions,
            args.login,
            args.name,
            Role(args.role),
            password,
            dt.datetime.now(dt.UTC),
        )
        if args.team != "center":
            with database.sessions.begin() as session:
                set_team(session, member.login, args.team)
    except StaffError as refused:
        print(f"kiosk-center: {refused}", file=sys.stderr)
        return 1
    finally:
        database.close()
    print(f"staff account {member.login} ({member.role.value}, team {args.team}) added")
    return 0


def _vat_ready_command(args: argparse.Namespace) -> int:
    database = open_database(args.db)
    try:
        with database.sessions.begin() as session:
            answer = mark_vat_ready(session, args.request, dt.datetime.now(dt.UTC))
    except LookupError:
        print(f"kiosk-center: no VAT request {args.request}", file=sys.stderr)
        return 1
    finally:
        database.close()
    print(f"VAT request {answer.request_id} ready, SMS queued")
    return 0


def _kiosk_command(args: argparse.Namespace) -> int:
    if args.command == "staff":
        return _staff_command(args)
    if args.command == "station":
        return _station_command(args)
    if args.command == "vat-ready":
        return _vat_ready_command(args)
    database = open_database(args.db)
    now = dt.datetime.now(dt.UTC)
    try:
        if args.command == "enroll-token":
            lifetime = dt.timedelta(hours=args.hours)
            print(issue_enrolment_token(database.sessions, args.kiosk_id, now, lifetime))
            return 0
        if revoke_kiosk(database.sessions, args.kiosk_id, now):
            print(f"kiosk {args.kiosk_id} revoked")
            return 0
        print(f"kiosk-center: no enrolled kiosk {args.kiosk_id}", file=sys.stderr)
        return 1
    finally:
        database.close()


def _stop_when_orphaned(poll_s: float = 1.0) -> None:
    """A parent killed outright (SIGKILL, a power-cut reboot of the UI) cannot stop its children:
    watch for being handed to another parent and stop as uvicorn does on Ctrl-C."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper())
    if args.command is not None:
        return _kiosk_command(args)
    try:
        calls = call_settings(args)
    except SettingsError as wrong:
        print(f"kiosk-center: {wrong}", file=sys.stderr)
        return 2
    app = create_app(
        args.db,
        today=args.today,
        answer_delay=args.answer_delay,
        demo_data=args.demo_data,
        simulate_wallets=args.simulated_wallets,
        require_signatures=args.require_signatures,
        scheme_1_until=args.accept_scheme_1_until,
        calls=calls,
        chores_every=BUSINESS_CHORES_EVERY_S,
    )
    line = start_up_line(
        simulate_wallets=args.simulated_wallets, require_signatures=args.require_signatures
    )
    print(line, file=sys.stderr, flush=True)
    if args.exit_with_parent:
        _stop_when_orphaned()
    # ID numbers travel in POST bodies only, so the access log's paths never carry one.
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
