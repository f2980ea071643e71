"""The staff console's call page in Debian's Chromium (Playwright, no browser downloaded) against
the real center on loopback: the page's own behaviour around a call. Kiosks here are signed
call sockets speaking sync/protocol/calls.py without media (the media, with the real kiosk,
is tests/e2e/test_video_call_end_to_end.py).

A reviewer is refused the page; the queue shows what staff need (station, masked account,
payment reference, screen, waiting time ticking) in both languages on a 1366x768 laptop; two
agents see one take win; a session signed out everywhere loses its socket, and the page says
so and keeps trying.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from center.database import open_database
from center.server import RunningCenter
from center.staff.accounts import Role, add_staff
from sync.call_socket import handshake_headers
from sync.protocol.calls import KIOSK_SOCKET_PATH, new_call_id
from tests.support.browser import NEEDS_BROWSER, launch_chromium
from tests.support.center import enrol

pytestmark = NEEDS_BROWSER
PASSWORD = "correct horse battery"
CONTEXT = {
    "screen": "pay_method",
    "language": "zh_CN",
    "account_masked": "32****0001",
    "payment_reference": "3F2A-91C0-7B1D",
}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture
def center(start_center: Any) -> Any:
    center = start_center(demo_data=False, signed=True)
    database = open_database(center.db_url)
    now = dt.datetime.now(dt.UTC)
    add_staff(database.sessions, "agent1", "李坐席", Role.AGENT, PASSWORD, now)
    add_staff(database.sessions, "agent2", "王坐席", Role.AGENT, PASSWORD, now)
    add_staff(database.sessions, "rev1", "审核员甲", Role.REVIEWER, PASSWORD, now)
    center.database = database
    yield center
    database.close()


@contextmanager
def kiosk_calls(center: RunningCenter, kiosk_id: str) -> Iterator[tuple[ClientConnection, str]]:
    """A kiosk's signed call socket with one call placed: (socket, call id)."""
    credentials = enrol(center, center.database, kiosk_id)  # type: ignore[attr-defined]
    headers = handshake_headers(kiosk_id, credentials)
    url = center.url.replace("http://", "ws://", 1) + KIOSK_SOCKET_PATH
    with connect(url, additional_headers=headers, proxy=None) as socket:
        call_id = new_call_id()
        socket.send(json.dumps({"type": "call", "call_id": call_id, "context": CONTEXT}))
        assert json.loads(socket.recv(timeout=10))["type"] == "waiting"
        yield socket, call_id


def signed_in(chromium: Any, center: Any, login: str, language: str = "") -> Any:
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{center.url}/staff/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{center.url}/staff/")
    if language:
        page.goto(f"{center.url}/staff/?lang={language}")
    return page


def test_a_reviewer_has_no_call_page(chromium: Any, center: Any) -> None:
    reviewer = signed_in(chromium, center, "rev1")
    assert "视频求助" not in reviewer.locator("nav a").all_inner_texts()
    reviewer.goto(f"{center.url}/staff/calls")
    assert "您的角色无权查看此页面。" in reviewer.inner_text("main")
    assert reviewer.locator("#calls").count() == 0
    reviewer.context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_queue_tells_staff_what_they_need_and_one_take_wins(
    chromium: Any, center: Any, language: str, tmp_path: Path
) -> None:
    first = signed_in(chromium, center, "agent1", language)
    first.click("nav a[href='/staff/calls']")
    first.wait_for_selector("#socket-status[data-state=open]")
    assert (
        first.inner_text("#call-status")
        == {
            "zh_CN": "当前无通话。请从左侧列表接听呼叫。",
            "en": "No call. Take one from the list.",
        }[language]
    )
    with kiosk_calls(center, f"kiosk-q-{language}") as (socket, call_id):
        queue_and_take(chromium, center, first, socket, call_id, language, tmp_path)
    first.context.close()


def queue_and_take(
    chromium: Any,
    center: Any,
    first: Any,
    socket: ClientConnection,
    call_id: str,
    language: str,
    tmp_path: Path,
) -> None:
    row = f"#queue li[data-call-id='{call_id}']"
    first.wait_for_selector(row)
    shown = first.inner_text(row)
    assert f"kiosk-q-{language}" in shown and "32****0001" in shown and "3F2A-91C0-7B1D" in shown
    waited = first.inner_text(f"{row} .waited")
    first.wait_for_function(
        f'() => document.querySelector("{row} .waited").textContent !== {json.dumps(waited)}'
    )
    assert first.evaluate("document.documentElement.scrollHeight") <= 768
    first.screenshot(path=str(tmp_path / f"staff-calls-{language}.png"))
    # A second agent takes it first: the first agent's list says who, with no button.
    second = signed_in(chromium, center, "agent2", language)
    second.goto(f"{center.url}/staff/calls")
    second.click(f"button[data-action=take][data-call-id='{call_id}']")
    assert json.loads(socket.recv(timeout=10))["type"] == "answered"
    first.wait_for_selector(f"{row} .taken-by")
    assert "agent2" in first.inner_text(f"{row} .taken-by")
    assert first.locator(f"{row} button[data-action=take]").count() == 0
    assert first.errors == [] and second.errors == []
    second.context.close()


def test_a_session_signed_out_everywhere_loses_its_socket_and_the_page_says_so(
    chromium: Any, center: Any
) -> None:
    page = signed_in(chromium, center, "agent1")
    page.goto(f"{center.url}/staff/calls")
    page.wait_for_selector("#socket-status[data-state=open]")
    # The same agent, elsewhere, signs out everywhere: this page's session is gone with it.
    elsewhere = signed_in(chromium, center, "agent1")
    elsewhere.click("form[action='/staff/logout-everywhere'] button")
    page.wait_for_selector("#socket-status[data-state=closed]", timeout=15_000)
    page.wait_for_function(
        "() => Number(document.getElementById('calls').dataset.socketRetries) >= 1",
        timeout=15_000,
    )
    assert page.get_attribute("#socket-status", "data-state") == "closed"
    assert page.errors == []
    page.context.close()
    elsewhere.context.close()
