"""The review of a resident's application in a real browser (Debian's Chromium through
Playwright), against the real center with an application a kiosk made and delivered: a reviewer
claims it, sees the page photo, asks for another document, then approves; a second reviewer
sees it held and cannot take it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sync.protocol.business import ApplicationProgress, Stage
from tests.integration.test_staff_applications import delivered  # noqa: F401  (a fixture)
from tests.integration.test_staff_console import PASSWORD
from tests.support.browser import NEEDS_BROWSER, launch_chromium

pytestmark = NEEDS_BROWSER


@pytest.fixture
def pages() -> Iterator[tuple[Any, Any]]:
    for chromium in launch_chromium():
        first = chromium.new_context(viewport={"width": 1366, "height": 900}).new_page()
        second = chromium.new_context(viewport={"width": 1366, "height": 900}).new_page()
        yield first, second


def _sign_in(page: Any, url: str, login: str) -> None:
    page.goto(f"{url}/staff/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/staff/")


def test_a_reviewer_claims_reviews_asks_and_approves(delivered, pages) -> None:  # noqa: F811
    center, kiosk, number, _page = delivered
    wang, zhao = pages
    _sign_in(wang, center.url, "wang")
    wang.click("nav >> text=业务申请")
    wang.click(f"text={number}")
    wang.click("button.claim")
    assert "此单由您处理" in wang.inner_text(".holder")
    image = wang.locator("img.document").first
    image.wait_for()
    assert wang.evaluate("img => img.naturalWidth", image.element_handle()) > 0
    assert "139****5678" in wang.inner_text("table.form")

    _sign_in(zhao, center.url, "zhao")
    zhao.goto(f"{center.url}/staff/applications/{number}")
    assert "wang" in zhao.inner_text(".holder")
    assert zhao.locator("form.decide").count() == 0  # only the holder decides

    wang.select_option("select[name=wanted]", "parking-proof")
    wang.click("button[value=more_documents]")
    assert "需补充材料" in wang.inner_text(".stage")
    wang.click("button[value=reject]")  # no reason given
    assert "不通过必须填写原因" in wang.inner_text("[role=alert]")
    wang.click("button[value=review]")
    wang.click("button[value=approve]")
    assert "已通过" in wang.inner_text(".stage")
    seen = kiosk.desk.application_progress(number)
    assert isinstance(seen, ApplicationProgress) and seen.stage is Stage.APPROVED
