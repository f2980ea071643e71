import json
import logging
from pathlib import Path

from kiosk.logging_setup import configure_logging, open_log_file


def test_json_file_and_console_are_masked(tmp_path: Path, capsys) -> None:
    log_file = configure_logging(tmp_path, level="INFO", console=True)
    try:
        log = logging.getLogger("kiosk.test")
        log.info("card %s read", "320102195203140026", extra={"code": "134567890123456789"})
        try:
            raise ValueError("bad phone 13912345678")
        except ValueError:
            log.exception("failed for 11010519491231002X")
        for handler in logging.getLogger().handlers:
            handler.flush()
    finally:
        configure_logging(None, console=False)
    assert log_file is not None
    lines = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["message"] == "card 3201************26 read"
    assert lines[0]["code"] == "1345**********6789"
    assert lines[0]["level"] == "INFO" and lines[0]["logger"] == "kiosk.test"
    whole = log_file.read_text(encoding="utf-8") + capsys.readouterr().err
    for secret in ("320102195203140026", "134567890123456789", "13912345678", "11010519491231002X"):
        assert secret not in whole
    assert "ValueError" in lines[1]["error"]


def test_file_rotates_at_its_size(tmp_path: Path) -> None:
    configure_logging(tmp_path, max_bytes=2_000, backups=2, console=False)
    try:
        for n in range(200):
            logging.getLogger("kiosk.rotate").warning("line %d %s", n, "x" * 50)
    finally:
        configure_logging(None, console=False)
    assert (tmp_path / "kiosk.jsonl.1").exists()
    assert not (tmp_path / "kiosk.jsonl.3").exists()


def test_a_file_opened_later_gets_what_was_logged_before_it_masked(tmp_path: Path) -> None:
    log_file = configure_logging(tmp_path, console=False, file_later=True)
    try:
        logging.getLogger("kiosk.start").info("kiosk starting for card %s", "320102195203140026")
        assert log_file is not None and not log_file.exists()  # nothing written yet
        open_log_file()
        logging.getLogger("kiosk.start").info("first frame shown")
        open_log_file()  # a second call does nothing
        for handler in logging.getLogger().handlers:
            handler.flush()
    finally:
        configure_logging(None, console=False)
    lines = [json.loads(line)["message"] for line in log_file.read_text("utf-8").splitlines()]
    assert lines == ["kiosk starting for card 3201************26", "first frame shown"]
