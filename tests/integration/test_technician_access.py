"""Who may enter maintenance, on the real store: the PIN and the cards checked against argon2id
hashes, the count of wrong attempts kept across restarts and safe against two at once, every
attempt in the audit trail, and neither a PIN nor an ID number written anywhere."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import threading
from pathlib import Path

import pytest

from kiosk.domain.technician_access import EntryRules
from kiosk.fleet_link import StoredKioskState
from kiosk.services.audit import AuditTrail
from kiosk.services.technician_access import Refusal, TechnicianAccess, hash_secret
from kiosk.store import Store, open_store
from kiosk.store.audit_log import read_entries
from kiosk.technician_commands import run_technician_command
from rules.audit_chain import verify_chain

PIN = "246810"
CARD = "320104198506120010"
PIN_HASH = hash_secret(PIN)
CARD_HASH = hash_secret(CARD)
NOW = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


def access(store: Store, clock: Clock, **settings: object) -> TechnicianAccess:
    options: dict[str, object] = {"pin_hash": PIN_HASH, "card_hashes": [CARD_HASH]} | settings
    return TechnicianAccess(
        store.unit_of_work,
        StoredKioskState(store),
        AuditTrail(store.unit_of_work, kiosk_id="k1", clock=clock),
        rules=EntryRules(),
        clock=clock,
        **options,  # type: ignore[arg-type]
    )


def trail(store: Store) -> list[tuple[str, str, str]]:
    with store.engine.connect() as connection:
        entries = read_entries(connection)
    assert verify_chain(entries) == []
    return [(e.actor, e.action, e.detail) for e in entries]


def test_the_right_pin_and_card_enter_and_are_audited(store: Store) -> None:
    door = access(store, Clock())
    assert door.try_pin(PIN).granted
    answer = door.try_card(CARD)
    assert answer.granted and answer.who == "card 3201************10"
    assert trail(store) == [
        ("technician", "maintenance.entered", "by PIN"),
        ("card 3201************10", "maintenance.entered", "by technician card"),
    ]


def test_a_lock_outlives_a_restart_and_runs_out(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "kiosk.db"
    store = open_store(path)
    door = access(store, clock)
    answers = [door.try_pin("0000") for _ in range(5)]
    assert [a.tries_left for a in answers[:4]] == [4, 3, 2, 1]
    assert answers[4].refusal is Refusal.LOCKED
    store.close()
    store = open_store(path)  # the kiosk restarted
    door = access(store, clock)
    assert door.try_pin(PIN).refusal is Refusal.LOCKED  # the right PIN too
    assert door.try_card(CARD).refusal is Refusal.LOCKED
    clock.now += dt.timedelta(minutes=15)
    assert door.try_pin(PIN).granted
    assert door.try_pin("0000").tries_left == 4  # the count started afresh
    details = " ".join(detail for _, _, detail in trail(store))
    assert "locked until 08:15 UTC" in details
    assert PIN not in details and "0000" not in details and CARD not in str(trail(store))
    store.close()


def test_wrong_attempts_at_once_are_all_counted(store: Store) -> None:
    door = access(store, Clock())
    start = threading.Barrier(4)
    answers = []

    def attempt() -> None:
        start.wait()
        answers.append(door.try_pin("9999"))
        answers.append(door.try_card("320102195203140026"))

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(a.tries_left for a in answers if a.refusal is not Refusal.LOCKED) == [
        1, 2, 3, 4
    ]  # fmt: skip
    assert sum(a.refusal is Refusal.LOCKED for a in answers) == 4
    assert door.try_pin(PIN).refusal is Refusal.LOCKED


def test_without_a_pin_only_a_card_enters(store: Store) -> None:
    door = access(store, Clock(), pin_hash="")
    assert door.try_pin(PIN).refusal is Refusal.NO_PIN
    assert door.try_card(CARD).granted


def test_a_hash_that_is_not_argon2_never_matches(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    door = access(store, Clock(), pin_hash="246810", card_hashes=["not-a-hash"])
    assert door.try_pin("246810").refusal is Refusal.WRONG_PIN
    assert door.try_card(CARD).refusal is Refusal.UNKNOWN_CARD
    assert "not an argon2 hash" in caplog.text


def test_the_technician_command_prints_hashes_that_match(store: Store) -> None:
    out = io.StringIO()
    answers = iter([PIN, PIN])
    status = run_technician_command(argparse.Namespace(action="pin"), lambda _: next(answers), out)
    assert status == 0 and PIN not in out.getvalue()
    pin_hash = out.getvalue().split('"')[1]
    out = io.StringIO()
    assert run_technician_command(argparse.Namespace(action="card"), lambda _: CARD, out) == 0
    card_hash = out.getvalue().split('"')[1]
    door = access(store, Clock(), pin_hash=pin_hash, card_hashes=[card_hash])
    assert door.try_pin(PIN).granted and door.try_card(CARD).granted
    refused = io.StringIO()
    answers = iter(["1234", "4321"])
    assert (
        run_technician_command(argparse.Namespace(action="pin"), lambda _: next(answers), refused)
        == 2
    )
    assert run_technician_command(argparse.Namespace(action="pin"), lambda _: "12", refused) == 2
    assert (
        run_technician_command(
            argparse.Namespace(action="card"), lambda _: "320104198506120011", refused
        )
        == 2
    )
    assert "differ" in refused.getvalue() and "check digit" in refused.getvalue()
