"""The end-of-run personal-data scan (tests/support/personal_data.py) catches what is planted
and passes what is masked; a center's master data is left out, its other tables are not."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from center.database import open_database
from kiosk.logging_setup import configure_logging
from rules.masking import mask_digits, mask_id_number, mask_name
from tests.support.personal_data import SQLITE_HEADER as SQLITE_HEADER_BYTES
from tests.support.personal_data import demo_names, personal_data_in, scan_folder

ID_NUMBER = "320102195203140026"  # 李秀英, a demo resident
NAME = "李秀英"
WECHAT_CODE = "134567890123456789"
ALIPAY_CODE = "2845678901234567"


@pytest.fixture
def planted() -> Iterator[Path]:
    """A folder outside the run's temporary folder: what is planted here must not fail the run
    at its end (the scan of the run's own files)."""
    with tempfile.TemporaryDirectory(prefix="planted-") as folder:
        yield Path(folder)


def kinds(findings) -> set[str]:
    return {finding.kind for finding in findings}


def test_a_clean_folder_is_clean(planted):
    (planted / "logs").mkdir()
    (planted / "logs" / "kiosk.jsonl").write_text(
        json.dumps({"msg": f"{mask_name(NAME)} {mask_id_number(ID_NUMBER)}"}) + "\n"
    )
    (planted / "server.log").write_text(f"paid with {mask_digits(WECHAT_CODE)}\n")
    assert scan_folder(planted) == []


def test_planted_secrets_in_logs_are_found_and_reported_masked(planted):
    (planted / "logs").mkdir()
    # ensure_ascii: the name is written as \\u escapes and must be found all the same.
    (planted / "logs" / "kiosk.jsonl.1").write_text(json.dumps({"msg": f"holder {NAME}"}) + "\n")
    (planted / "center.log").write_text(f"code={WECHAT_CODE} id={ID_NUMBER}\n")
    findings = scan_folder(planted)
    assert kinds(findings) == {"name", "payment_code", "id_number"}
    report = "\n".join(map(str, findings))
    assert "kiosk.jsonl.1" in report and "center.log" in report
    assert WECHAT_CODE not in report and ID_NUMBER not in report and NAME not in report


def test_an_invalid_check_digit_or_a_plain_number_is_not_personal_data(planted):
    wrong_check = ID_NUMBER[:-1] + "9"
    invoice = "26320000000000000001"  # an e-invoice number: Alipay's shape, not a payment code
    (planted / "a.log").write_text(f"{wrong_check} 20261124153000123456 {invoice} 3201000001\n")
    assert scan_folder(planted) == []


def test_a_webrtc_session_id_is_not_a_payment_code_but_the_same_digits_alone_are():
    run = "2542165893347972503"  # a payment code's shape, as Chromium's session ids may be
    offer = f"v=0\\r\\no=- {run} 2 IN IP4 127.0.0.1\\r\\ns=-"
    assert list(personal_data_in(offer, ())) == []
    assert [kind for kind, _ in personal_data_in(f"code {run}", ())] == ["payment_code"]


def test_a_kiosk_database_is_read_byte_for_byte_its_write_ahead_log_too(planted):
    store = planted / "kiosk.db"
    writer = sqlite3.connect(store)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, payload TEXT)")
        writer.commit()
        writer.execute("INSERT INTO outbox (payload) VALUES (?)", (f"code {ALIPAY_CODE}",))
        writer.commit()  # in kiosk.db-wal only, until a checkpoint
        findings = scan_folder(planted)
    finally:
        writer.close()
    assert [(f.kind, f.place.endswith("kiosk.db-wal")) for f in findings] == [
        ("payment_code", True)
    ]


def test_a_center_database_is_scanned_outside_its_master_data(planted):
    center_db = planted / "center" / "center.db"
    center_db.parent.mkdir()
    database = open_database(f"sqlite:///{center_db}")
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO residents (id, id_number, name, address) VALUES (1, ?, ?, '南京')",
            (ID_NUMBER, NAME),
        )
    assert scan_folder(planted) == []  # master data: where names and ID numbers belong

    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO received_events (id, kiosk_id, type, aggregate_type, aggregate_id,"
            " sequence, occurred_at, payload, received_at) VALUES ('e1', 'k', 't', 'a', '1', 1,"
            " '2026-11-24 00:00:00', ?, '2026-11-24 00:00:00')",
            (json.dumps({"holder": NAME}, ensure_ascii=False),),
        )
    database.close()
    findings = scan_folder(planted)
    assert [(f.kind, "[received_events]" in f.place) for f in findings] == [("name", True)]


def test_a_digest_in_its_own_cell_is_not_read_as_a_payment_code(planted):
    # A wallet order's params_hash (64 hex digits) can hold a 16-digit run that has a payment
    # code's shape: a digest is no personal data; the same run in a cell of its own is.
    center_db = planted / "center" / "center.db"
    center_db.parent.mkdir()
    database = open_database(f"sqlite:///{center_db}")
    run = "2894000011116275"
    digest = "ab" + run + "cd" * 23
    assert len(digest) == 64
    with database.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE hashes (value TEXT)")
        connection.exec_driver_sql("INSERT INTO hashes (value) VALUES (?)", (digest,))
    assert scan_folder(planted) == []
    with database.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO hashes (value) VALUES (?)", (run,))
    database.close()
    assert [finding.kind for finding in scan_folder(planted)] == ["payment_code"]


def test_the_kiosk_log_writer_masks_what_the_scan_looks_for(planted):
    """The real writer, fed the real thing: what it leaves on disk passes the scan."""
    log_file = configure_logging(planted / "logs", console=False)
    try:
        logging.getLogger("kiosk.test").info(
            "resident %s with %s paid by %s", NAME, ID_NUMBER, WECHAT_CODE
        )
    finally:
        configure_logging(None, console=False)
    assert log_file is not None and log_file.read_text(encoding="utf-8")
    assert kinds(scan_folder(planted)) <= {"name"}  # names are masked by the services, not here


def test_the_session_hook_fails_a_run_that_leaves_personal_data(planted):
    """A pytest run of its own, with one test that writes a payment code to a log."""
    (planted / "conftest.py").write_text('pytest_plugins = ["tests.support.personal_data"]\n')
    (planted / "test_leak.py").write_text(
        textwrap.dedent(
            f"""
            def test_leak(tmp_path):
                (tmp_path / "leak.log").write_text("code {WECHAT_CODE}")
            """
        )
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(planted),
            f"--basetemp={planted / 'run'}",
            "--rootdir",
            str(planted),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1, run.stdout[-2000:]
    assert "personal-data scan" in run.stdout and "payment_code" in run.stdout
    assert "1 passed" in run.stdout
    assert WECHAT_CODE not in run.stdout


def test_demo_names_are_the_residents_file_names():
    assert NAME in demo_names() and len(demo_names()) >= 5


def test_photos_and_pdfs_left_by_a_kiosk_are_found(planted):
    import base64

    import cv2
    import numpy as np

    ok, jpeg = cv2.imencode(".jpg", np.full((32, 32, 3), 128, np.uint8))
    assert ok
    kiosk = planted / "kiosk-data"
    kiosk.mkdir()
    (kiosk / "kiosk.db").write_bytes(SQLITE_HEADER_BYTES + b"\0" * 64 + jpeg.tobytes())
    (kiosk / "face.jpg").write_bytes(jpeg.tobytes())
    (kiosk / "logs").mkdir()
    (kiosk / "logs" / "kiosk.jsonl").write_text(
        json.dumps({"photo": base64.b64encode(jpeg.tobytes()).decode()}) + "\n"
    )
    (kiosk / "logs" / "center.log").write_text("form.pdf " + base64.b64encode(b"%PDF-1.7").decode())
    found = {(Path(f.place).name, f.kind) for f in scan_folder(planted)}
    assert found == {
        ("kiosk.db", "photo"),
        ("face.jpg", "photo"),
        ("kiosk.jsonl", "photo"),
        ("center.log", "pdf"),
    }
    # A picture a test took outside any kiosk's data folder is the test's own; a receipt's
    # picture (PNG) is the printer simulator's.
    (planted / "screen.jpg").write_bytes(jpeg.tobytes())
    (kiosk / "receipt-0001.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert len(scan_folder(planted)) == 4


def test_random_sealed_bytes_are_not_taken_for_pictures(planted):
    import os

    kiosk = planted / "kiosk-data"
    kiosk.mkdir()
    (kiosk / "kiosk.db").write_bytes(SQLITE_HEADER_BYTES + os.urandom(8 << 20))
    assert scan_folder(planted) == []
