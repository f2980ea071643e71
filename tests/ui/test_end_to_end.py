"""A resident types a demo account on the keypad and sees the bill the real center returned."""

from typing import Any

from kiosk.ui.formats import money
from sync.client import CenterClient
from tests.support.ui import DEMO_ACCOUNT, open_bill


def test_keypad_to_bill_from_the_real_center(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    with CenterClient(running_center.url, "kiosk-e2e-check") as client:
        expected = client.account_bill(DEMO_ACCOUNT)
    window = make_window(running_center.url)
    open_bill(qtbot, window, DEMO_ACCOUNT)

    shown = window.bill
    assert shown.bill == expected
    owed = shown.owed_facts.texts()
    assert money(expected.total_due) in owed
    assert money(expected.arrears) in owed
    assert money(expected.late_fee) in owed
    account = shown.account_facts.texts()
    assert "3201 0000 01" in account
    assert expected.account.holder_name_masked in account
    assert "*" in expected.account.holder_name_masked  # the full name never reaches the kiosk
    assert expected.current is not None
    assert [row[3] for row in shown.tier_rows()] == [
        money(t.amount) for t in expected.current.tiers
    ]
    assert len(shown.chart.months) == len(expected.usage) == 24
