"""`kiosk-center`: run the reference center."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
from collections.abc import Sequence

import uvicorn

from center.app import create_app


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
        default="sqlite:///kiosk-center.db",
        help="SQLAlchemy database URL (default: kiosk-center.db in the current folder)",
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
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper())
    app = create_app(
        args.db, today=args.today, answer_delay=args.answer_delay, demo_data=args.demo_data
    )
    # ID numbers travel in POST bodies only, so the access log's paths never carry one.
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
