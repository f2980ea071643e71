"""The staff console in a real browser: Debian's Chromium, driven by Playwright (no browser is
ever downloaded), against the real center on loopback. Signs in through the form, reads the
pages a role may open, switches language, signs out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from center.database import open_database
from center.staff.accounts import Role, add_staff
from tests.support.browser import NEEDS_BROWSER, launch_chromium

pytestmark = NEEDS_BROWSER
PASSWORD = "correct horse battery"


@pytest.fixture
def browser() -> Iterator[Any]:
    for chromium in launch_chromium():
        yield chromium.new_page(viewport={"width": 1366, "height": 768})


def test_an_operator_signs_in_reads_the_kiosks_switches_language_and_signs_out(
    start_center: Any, browser: Any
) -> None:
    center = start_center(demo_data=False)
    database = open_database(center.db_url)
    now = dt.datetime.now(dt.UTC)
    add_staff(database.sessions, "op1", "值班运维", Role.OPERATOR, PASSWORD, now)
    database.close()
    page = browser
    page.goto(f"{center.url}/staff/")
    assert page.url.endswith("/staff/login")  # no session: the sign-in form
    page.fill("input[name=login]", "op1")
    page.fill("input[name=password]", "not it")
    page.click("button[type=submit]")
    assert "账号或密码不正确" in page.inner_text("[role=alert]")
    page.fill("input[name=login]", "op1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{center.url}/staff/")
    assert "当前登录：值班运维（运维）" in page.inner_text("header")
    assert page.locator("nav a").all_inner_texts() == ["首页", "自助终端", "公告与停电"]  # no audit
    page.click("text=自助终端")
    assert "尚未收到任何终端的心跳" in page.inner_text("main")
    page.click("text=English")
    assert "Signed in as 值班运维 (operator)" in page.inner_text("header")
    page.goto(f"{center.url}/staff/audit")
    assert "Your role may not open this page." in page.inner_text("main")
    page.click("text=Sign out everywhere")
    page.wait_for_url(f"{center.url}/staff/login")
    page.goto(f"{center.url}/staff/")
    assert page.url.endswith("/staff/login")  # the session is gone
