"""The use cases with real parts: the reference center over loopback and a real store file."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.domain.session import EndReason, SessionSummary
from kiosk.services import KioskServices, LookupFailed, LookupProblem
from kiosk.store import open_store
from sync import queue
from sync.client import CenterClient

PREFIX = "https://95598.js.sgcc.local/bill/"


@pytest.fixture
def services(running_center, tmp_path: Path):
    store = open_store(tmp_path / "kiosk.db")
    client = CenterClient(running_center.url, "test-kiosk", timeout=3)
    yield KioskServices(client, store.unit_of_work, kiosk_id="test-kiosk", bill_qr_prefix=PREFIX)
    client.close()
    store.close()


def test_a_demo_account_has_its_bill(services: KioskServices) -> None:
    bill = services.look_up_account("3201000001")
    assert bill.account.number == "3201000001"
    assert len(bill.usage) == 24
    assert bill.total_due == bill.arrears + bill.late_fee


@pytest.mark.parametrize(
    ("number", "problem"),
    [("3299999999", LookupProblem.NOT_FOUND), ("12ab", LookupProblem.INVALID_NUMBER)],
)
def test_lookup_problems_are_typed(services: KioskServices, number: str, problem) -> None:
    with pytest.raises(LookupFailed) as failed:
        services.look_up_account(number)
    assert failed.value.problem is problem


def test_an_id_card_finds_exactly_its_accounts(services: KioskServices) -> None:
    accounts = services.accounts_for_id_number("320113195907050036")
    assert sorted(a.number for a in accounts) == ["3201000003", "3201000004", "6101000001"]
    with pytest.raises(LookupFailed) as failed:
        services.accounts_for_id_number("320205197302280087")
    assert failed.value.problem is LookupProblem.NO_ACCOUNTS
    with pytest.raises(LookupFailed) as failed:
        services.accounts_for_id_number("320205197302280088")  # wrong check digit
    assert failed.value.problem is LookupProblem.INVALID_NUMBER


def test_an_unreachable_center_is_said_plainly(tmp_path: Path) -> None:
    from kiosk.embedded_center import free_port

    store = open_store(tmp_path / "kiosk.db")
    client = CenterClient(f"http://127.0.0.1:{free_port()}", "test-kiosk", timeout=2)
    services = KioskServices(client, store.unit_of_work, kiosk_id="k", bill_qr_prefix=PREFIX)
    with pytest.raises(LookupFailed) as failed:
        services.look_up_account("3201000001")
    assert failed.value.problem is LookupProblem.UNREACHABLE
    store.close()


def test_session_end_is_queued_without_personal_data(services: KioskServices) -> None:
    start = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    services.end_session(
        SessionSummary(
            started_at=start,
            ended_at=start + dt.timedelta(seconds=95),
            reason=EndReason.TIMEOUT,
            screens=("home", "account_entry", "bill"),
            language="zh_CN",
            large_text=True,
        )
    )
    store = services._unit_of_work.__self__  # the Store behind the bound method
    with store.engine.connect() as connection:
        batch = queue.next_batch(connection, 10)
        rows = connection.execute(select(queue.outbox.c.type)).all()
    assert [row.type for row in rows] == ["session.ended"]
    assert batch[0].payload["reason"] == "timeout"
    assert batch[0].payload["duration_s"] == 95.0
    assert batch[0].aggregate_id == "test-kiosk"
