"""How the databases here were made: by the center as it was before its tables had migrations
(commit 666d49b), driven over HTTP as kiosks and an operator drive it.

    git worktree add /tmp/center-0001 666d49b
    PYTHONPATH=/tmp/center-0001 python tests/data/center_before_migrations/make.py

It needs a PostgreSQL server's binaries (tests/support/postgres.py) and writes
center.sqlite.sql.gz (SQLite's dump), center.postgresql.sql.gz (pg_dump's, with INSERTs) and
kiosk.json (what the test needs to speak as the kiosk on each: its id, key and secret, and what
it left waiting). Not run by the tests: it is the record of how their input was made.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import requests

from center.database import open_database
from center.kiosk_auth import issue_enrolment_token
from center.operators import OPERATOR_TOKEN_ENV
from center.server import serve_center
from sync.client import CenterClient
from sync.protocol.fleet import Heartbeat
from sync.protocol.schemas import EventBatch
from tests.support.postgres import find_binaries, running_postgres

HERE = Path(__file__).resolve().parent
KIOSK_ID = "kiosk-before-migrations"
TODAY = dt.date(2026, 11, 24)
TOKEN = "operator-secret-for-the-old-center"


def drive(db_url: str) -> dict[str, object]:
    """The old center with its demo data, one kiosk enrolled, beating, delivering events, and
    a lock command issued by an operator and not yet delivered."""
    os.environ[OPERATOR_TOKEN_ENV] = TOKEN
    with serve_center(db_url, today=TODAY, require_signatures=True) as center:
        database = open_database(db_url)
        token = issue_enrolment_token(database.sessions, KIOSK_ID, dt.datetime.now(dt.UTC))
        database.close()
        with CenterClient(center.url, KIOSK_ID) as anonymous:
            credentials = anonymous.enroll(token)
        now = dt.datetime.now(dt.UTC)
        events = [
            {
                "id": str(uuid.uuid4()),
                "type": "ReceiptPrinted",
                "aggregate_type": "payment",
                "aggregate_id": f"{KIOSK_ID}-{number // 2}",
                "sequence": number % 2,
                "occurred_at": now.isoformat(),
                "payload": {"copies": 1, "paper_left": "ok"},
            }
            for number in range(6)
        ]
        health = {
            "devices": [{"name": "printer", "status": "ok"}],
            "queue_depth": 0,
            "versions": {"app": "0.1.0", "protocol": "1", "config_hash": "0" * 64},
        }
        with CenterClient(center.url, KIOSK_ID, credentials=credentials) as client:
            client.deliver_events(
                EventBatch.model_validate({"kiosk_id": KIOSK_ID, "events": events})
            )
            client.heartbeat(
                Heartbeat.model_validate({"kiosk_id": KIOSK_ID, "sent_at": now, "health": health})
            )
        issued = requests.post(
            f"{center.url}/v1/admin/kiosks/{KIOSK_ID}/commands",
            json={"kind": "lock", "message_zh": "设备维护中", "message_en": "Under maintenance"},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
        issued.raise_for_status()
    return {
        "kiosk_id": KIOSK_ID,
        "key_id": credentials.key_id,
        "secret": base64.b64encode(credentials.secret).decode("ascii"),
        "pending_command": issued.json()["id"],
        "events": [event["id"] for event in events],
        "today": TODAY.isoformat(),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_file = Path(folder) / "center.db"
        kiosks = {"sqlite": drive(f"sqlite:///{db_file}")}
        with sqlite3.connect(db_file) as connection:
            dump = "\n".join(connection.iterdump())
        (HERE / "center.sqlite.sql.gz").write_bytes(gzip.compress((dump + "\n").encode(), mtime=0))
    with running_postgres() as server:
        db_url = server.new_database("old")
        kiosks["postgresql"] = drive(db_url)  # the same story, with a key of its own
        binaries = find_binaries()
        assert binaries is not None
        name = db_url.rsplit("/", 1)[1]
        dump = subprocess.run(
            [
                str(binaries / "pg_dump"),
                "--inserts",
                "--no-owner",
                "--no-privileges",
                "-h",
                server.host,
                "-p",
                str(server.port),
                "-U",
                "kiosk",
                name,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (HERE / "center.postgresql.sql.gz").write_bytes(gzip.compress(dump.encode(), mtime=0))
    (HERE / "kiosk.json").write_text(json.dumps(kiosks, indent=2) + "\n", "utf-8")
    print("written", *sorted(p.name for p in HERE.iterdir()), file=sys.stderr)


if __name__ == "__main__":
    main()
