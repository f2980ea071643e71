"""The unit tier runs pure code: what would reach a database, a thread, a sleep, a socket or a
process fails the test at once, saying which, so the tier stays quick and the rule stays true."""

import socket
import sqlite3
import subprocess
import threading
import time

import pytest

# pyzbar finds its native library once, at import, by asking ldconfig (a subprocess): done here,
# before the rule, so a unit test that builds a decoder does not depend on what ran before it.
import pyzbar.pyzbar  # noqa: F401


def _refuse(what: str):
    def refused(*_args, **_kwargs):
        raise AssertionError(f"a unit test may not use {what}: move it to tests/integration")

    return refused


@pytest.fixture(autouse=True)
def _pure_code_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite3, "connect", _refuse("a database"))
    monkeypatch.setattr(threading.Thread, "start", _refuse("a thread"))
    monkeypatch.setattr(time, "sleep", _refuse("a sleep"))
    monkeypatch.setattr(socket.socket, "connect", _refuse("a socket"))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("a subprocess"))
