"""The fleet pages in a real browser (Debian's Chromium, Playwright), on the real center with a
real kiosk heartbeating to it: an operator finds the red kiosk by its alert and by the fault
filter, locks it with a message the kiosk then shows, unlocks it and clears the alert; an agent
sees the same fleet but has no command to send, and a command forged with their session is
refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from center.database import StationContactRow, open_database
from center.staff.accounts import Role, add_staff
from kiosk.bootstrap import Kiosk, build_kiosk
from sync.client import CenterClient
from sync.protocol.fleet import DeviceHealth, Heartbeat, KioskHealth, Versions
from tests.integration.test_heartbeat import KIOSK_ID, kiosk_config
from tests.support.browser import NEEDS_BROWSER, launch_chromium
from tests.support.waiting import eventually

pytestmark = NEEDS_BROWSER
PASSWORD = "correct horse battery"


@pytest.fixture
def browser() -> Iterator[Any]:
    for chromium in launch_chromium():
        yield chromium.new_page(viewport={"width": 1366, "height": 768})


@pytest.fixture
def fleet(start_center: Any, tmp_path: Path) -> Iterator[tuple[Any, Kiosk]]:
    center = start_center(demo_data=False)
    database = open_database(center.db_url)
    now = dt.datetime.now(dt.UTC)
    add_staff(database.sessions, "op1", "值班运维", Role.OPERATOR, PASSWORD, now)
    add_staff(database.sessions, "ag1", "坐席小王", Role.AGENT, PASSWORD, now)
    with database.sessions.begin() as session:
        session.add(StationContactRow(station_id="xuanwu-xiaolingwei", phone="13900001111"))
    database.close()
    # Two other kiosks of the fleet: one fine, one with paper running low.
    versions = Versions(app="1.4.0", protocol="1", config_hash="c")
    for kiosk_id, paper in (("k-green", 80), ("k-amber", 6)):
        report = KioskHealth(
            devices=[DeviceHealth(name="printer", status="ok")],
            versions=versions,
            station_id="gulou-1",
            paper_left_pct=paper,
        )
        with CenterClient(center.url, kiosk_id) as client:
            client.heartbeat(Heartbeat(kiosk_id=kiosk_id, sent_at=now, health=report))
    kiosk = build_kiosk(kiosk_config(tmp_path / "kiosk", center.url, interval=0.3))
    kiosk.start()
    yield center, kiosk
    kiosk.close()


def sign_in(page: Any, center: Any, login: str) -> None:
    page.goto(f"{center.url}/staff/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{center.url}/staff/")


def test_an_operator_finds_a_red_kiosk_locks_it_unlocks_it_and_clears_its_alert(
    fleet: tuple[Any, Kiosk], browser: Any
) -> None:
    center, kiosk = fleet
    kiosk.devices["printer"].paper_out()  # type: ignore[attr-defined]
    page = browser
    sign_in(page, center, "op1")
    page.click("nav >> text=自助终端")

    def shown_red() -> bool:
        page.reload()
        return page.locator(f"tr.kiosk[data-kiosk={KIOSK_ID}][data-status=red]").count() == 1

    assert eventually(shown_red, timeout=10)
    counts = page.inner_text(".counts")
    assert "红：故障: 1" in counts and "黄：需关注: 1" in counts and "绿：正常: 1" in counts
    alert = page.locator(f"tr.alert[data-kiosk={KIOSK_ID}][data-kind=paper_out]")
    assert alert.count() == 1 and "打印纸用完" in alert.inner_text()
    assert page.locator("tr.alert[data-kiosk=k-amber][data-kind=paper_low]").count() == 1
    # The filter by fault: the printer's, paper's.
    page.click(".counts >> text=纸张")
    listed = page.locator("tr.kiosk").evaluate_all("rows => rows.map(r => r.dataset.kiosk)")
    assert sorted(listed) == sorted([KIOSK_ID, "k-amber"])
    page.click(".counts >> text=红：故障")
    assert page.locator("tr.kiosk").evaluate_all("rs => rs.map(r => r.dataset.kiosk)") == [KIOSK_ID]

    # Lock it, with the message residents will read; the kiosk takes it at its next heartbeat.
    page.click(f"tr.kiosk[data-kiosk={KIOSK_ID}] a")
    page.fill("form.lock input[name=message_zh]", "打印机维修中，请稍后")
    page.fill("form.lock input[name=message_en]", "Printer under repair")
    page.click("form.lock button")
    assert eventually(lambda: kiosk.fleet.remote_commands.lock_state is not None, timeout=10)
    assert kiosk.fleet.remote_commands.lock_state.message_en == "Printer under repair"

    def done(kind: str) -> bool:
        page.reload()
        return page.locator(f"tr[data-kind={kind}][data-status=done]").count() == 1

    assert eventually(lambda: done("lock"), timeout=10)
    assert "op1" in page.inner_text(".command-history")
    page.click("form.unlock button")
    assert eventually(lambda: kiosk.fleet.remote_commands.lock_state is None, timeout=10)

    # The paper is back: the alert is resolved but stays until cleared.
    kiosk.devices["printer"].back_to_normal()  # type: ignore[attr-defined]

    def resolved() -> bool:
        page.reload()
        return "已恢复于" in page.inner_text("table.alerts")

    assert eventually(resolved, timeout=10)
    page.click("table.alerts form button")
    page.wait_for_url(f"{center.url}/staff/kiosks/{KIOSK_ID}")
    assert "已由 op1 清除" in page.inner_text("table.alerts")
    page.goto(f"{center.url}/staff/kiosks")
    assert page.locator(f"tr.alert[data-kiosk={KIOSK_ID}]").count() == 0


def test_an_agent_sees_the_fleet_but_may_not_lock(fleet: tuple[Any, Kiosk], browser: Any) -> None:
    center, kiosk = fleet
    page = browser
    sign_in(page, center, "ag1")
    page.click("nav >> text=自助终端")

    def listed() -> bool:
        page.reload()
        return page.locator(f"tr.kiosk[data-kiosk={KIOSK_ID}]").count() == 1

    assert eventually(listed, timeout=10)
    assert page.locator("table.alerts form").count() == 0  # no clearing either
    page.click(f"tr.kiosk[data-kiosk={KIOSK_ID}] a")
    assert page.locator("form.lock").count() == 0
    assert "仅运维人员可发送远程指令" in page.inner_text("main")
    # A lock forged with the agent's own session and token: refused, and nothing is sent.
    csrf = page.locator("header input[name=csrf]").first.get_attribute("value")
    answer = page.request.post(
        f"{center.url}/staff/kiosks/{KIOSK_ID}/commands",
        form={"csrf": csrf, "kind": "lock", "message_zh": "锁", "message_en": "lock"},
        max_redirects=0,
    )
    assert answer.status == 403
    answer = page.request.post(
        f"{center.url}/staff/alerts/1/clear", form={"csrf": csrf}, max_redirects=0
    )
    assert answer.status == 403
    assert kiosk.fleet is not None
    kiosk.fleet.heartbeat.beat_now()
    assert not eventually(lambda: kiosk.fleet.remote_commands.lock_state is not None, timeout=1.5)
