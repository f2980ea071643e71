"""Video help end to end, nothing played: the real kiosk process (enrolled, its call socket
signed, aiortc in its own loop) calls; Debian's Chromium, driven by Playwright with a fake
camera and microphone, signs in as an agent on the console's call page and answers. The kiosk
and the browser hold their sockets on two different center processes over one database, so
every message between them passes through the database.

Counted at both ends: the browser's decoded frames of the kiosk's camera and screen and the
kiosk's audio bytes; the kiosk's frames of staff's picture (shown on its screen) and staff's
audio. Then pushes, the note, a payment looked up, hang-up from each side, the call's event at
the center, and an agent whose camera fails going on with audio only.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from center.database import Database, ReceivedEventRow, StaffAuditRow, open_database
from center.kiosk_auth import issue_enrolment_token
from center.server import RunningCenter
from center.staff.accounts import Role, add_staff
from tests.support.browser import CHROMIUM, NEEDS_BROWSER, start_chromium
from tests.support.center import center_worker
from tests.support.kiosk_process import KioskProcess
from tests.support.netns import other_host
from tests.support.waiting import wait_for

pytestmark = NEEDS_BROWSER
PASSWORD = "agent password 1"
KIOSK = "kiosk-e2e"
WAIT_S = 20.0  # a browser, a kiosk process and two center processes share two cores


@dataclass
class Site:
    kiosk_side: RunningCenter  # the worker the kiosk talks to
    staff_side: RunningCenter  # the worker the agent's browser talks to
    database: Database
    kiosk: KioskProcess


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("video-e2e")
    db_url = f"sqlite:///{folder / 'center.db'}"
    database = open_database(db_url)  # the tables, before two processes race for them
    now = dt.datetime.now(dt.UTC)
    add_staff(database.sessions, "agent1", "李坐席", Role.AGENT, PASSWORD, now)
    token = issue_enrolment_token(database.sessions, KIOSK, now)
    workers: list[tuple[subprocess.Popen[bytes], RunningCenter]] = []
    kiosk: KioskProcess | None = None
    try:
        # Every address: the staff side is also reached from another host (the link-down test).
        workers = [center_worker(db_url), center_worker(db_url, host="0.0.0.0")]
        kiosk = KioskProcess(workers[0][1].url, folder / "kiosk", kiosk_id=KIOSK, token=token)
        yield Site(workers[0][1], workers[1][1], database, kiosk)
    finally:
        if kiosk is not None:
            kiosk.close()
        for process, _center in workers:
            process.terminate()
            process.wait(timeout=10)
        database.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def chromium(playwright: Any) -> Iterator[Any]:
    browser = start_chromium(playwright)
    yield browser
    browser.close()


def call_page(chromium: Any, center: RunningCenter | str, *, camera: bool = True) -> Any:
    """An agent signed in on the call page, its socket open; `camera` False: the browser's
    camera fails (the microphone works)."""
    url = center if isinstance(center, str) else center.url
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    if not camera:
        page.add_init_script(
            """
            const ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
            navigator.mediaDevices.getUserMedia = (wanted) => wanted && wanted.video
              ? Promise.reject(new DOMException("camera unplugged", "NotReadableError"))
              : ask(wanted);
            """
        )
    page.goto(f"{url}/staff/login")
    page.fill("input[name=login]", "agent1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/staff/")
    page.goto(f"{url}/staff/calls")
    page.wait_for_selector("#socket-status[data-state=open]", timeout=10_000)
    return page


def stats(page: Any) -> dict[str, Any]:
    return page.evaluate("() => window.callStats()")  # type: ignore[no-any-return]


def take_the_call(site: Site, page: Any) -> None:
    site.kiosk.ask("call")
    wait_for(
        lambda: site.kiosk.state()["state"] == "waiting", timeout=WAIT_S, what="the kiosk waits"
    )
    page.click("button[data-action=take]", timeout=10_000)
    wait_for(
        lambda: site.kiosk.state()["state"] == "talking", timeout=WAIT_S, what="the kiosk talks"
    )


def test_an_agent_answers_the_kiosk_sees_and_hears_it_helps_and_hangs_up(
    site: Site, chromium: Any, tmp_path: Path
) -> None:
    page = call_page(chromium, site.staff_side)
    take_the_call(site, page)
    # Frames at both ends: the kiosk's camera and its screen in the browser, staff on the kiosk.
    got = wait_for(
        lambda: (
            (s := stats(page))["camera_frames"] > 20
            and s["screen_frames"] > 5
            and s["audio_bytes_received"] > 2000
            and s
        ),
        timeout=WAIT_S,
        what="the kiosk's camera, screen and sound in the browser",
    )
    assert got["state"] == "connected"
    kiosk = wait_for(
        lambda: (k := site.kiosk.state())["shown_frames"] > 20 and k["audio_frames"] > 50 and k,
        timeout=WAIT_S,
        what="staff's picture and sound on the kiosk",
    )
    assert kiosk["status"] == "正在与李坐席通话。" and kiosk["attempts"] == 1
    size = page.evaluate(
        "() => [document.getElementById('kiosk-screen').videoWidth,"
        " document.getElementById('kiosk-screen').videoHeight]"
    )
    assert size == [640, 360]  # the kiosk's screen, as wide as staff read it
    # What staff see of it is the kiosk's window: its dark blue top bar (#0B3D6B) on top.
    red, green, blue = page.evaluate(
        """() => { const video = document.getElementById('kiosk-screen');
                   const canvas = document.createElement('canvas');
                   canvas.width = 640; canvas.height = 360;
                   const paint = canvas.getContext('2d'); paint.drawImage(video, 0, 0);
                   return Array.from(paint.getImageData(320, 8, 1, 1).data.slice(0, 3)); }"""
    )
    assert abs(red - 11) < 24 and abs(green - 61) < 24 and abs(blue - 107) < 24
    # Push: open a service on the kiosk; a message; the results shown to staff.
    page.select_option("#push-screen", "receipts")
    page.click("#push-open")
    page.wait_for_selector("#push-results li[data-kind=open_screen][data-state=ok]")
    assert site.kiosk.state()["screen"] == "account_entry"
    page.fill("#push-message", "请输入电费单上的户号")
    page.click("#push-show")
    page.wait_for_selector("#push-results li[data-kind=message][data-state=ok]")
    kiosk = site.kiosk.state()
    assert kiosk["screen"] == "video_call" and kiosk["message"] == "请输入电费单上的户号"
    page.fill("#push-notice", "请于工作日携带身份证到营业厅办理过户。")
    page.click("#push-print")
    page.wait_for_selector("#push-results li[data-kind=print_notice][data-state=ok]")
    # The note, and a payment looked up by a reference the kiosk never made.
    page.fill("#note", "住户询问户号位置，已指导。")
    page.click("#save-note")
    page.wait_for_selector("#note-status[data-state=saved]")
    page.fill("#lookup-reference", "0000-0000-0000")
    page.click("#lookup")
    page.wait_for_selector("#lookup-status[data-state=not_found]")
    assert page.evaluate("document.documentElement.scrollHeight") <= 768  # a 1366x768 laptop
    page.screenshot(path=str(tmp_path / "staff-call-zh_CN.png"))  # docs/screenshots has one
    # Staff hang up: the kiosk says so; the call's event reaches the center.
    page.click("#hang-up")
    ended = wait_for(
        lambda: (k := site.kiosk.state())["state"] == "ended" and k,
        timeout=WAIT_S,
        what="the kiosk ends",
    )
    assert ended["detail"] == "工作人员已结束通话，谢谢。" and not ended["in_call"]
    event = wait_for(
        lambda: call_events(site.database), timeout=WAIT_S, what="the call's event at the center"
    )
    assert event[-1]["outcome"] == "staff" and event[-1]["answered_by"] == "李坐席"
    assert event[-1]["talked_s"] > 1
    actions = {row.action for row in audit(site.database)}
    assert {"call_take", "call_push", "call_note", "call_payment_lookup", "call_hang_up"} <= actions
    assert page.errors == []  # type: ignore[attr-defined]
    site.kiosk.ask("hang_up")  # Back to Help
    page.context.close()


def test_the_resident_hangs_up_and_the_page_is_told(site: Site, chromium: Any) -> None:
    page = call_page(chromium, site.staff_side)
    take_the_call(site, page)
    wait_for(lambda: stats(page)["camera_frames"] > 5, timeout=WAIT_S, what="the kiosk's camera")
    site.kiosk.ask("hang_up")
    page.wait_for_selector("#calls[data-state=ended], #calls[data-state=idle]", timeout=10_000)
    assert stats(page)["camera_frames"] == 0  # the connection is gone
    assert site.kiosk.state()["state"] == "ended"
    site.kiosk.ask("hang_up")  # Back to Help
    page.context.close()


def test_an_agent_whose_camera_fails_goes_on_with_audio_only(site: Site, chromium: Any) -> None:
    page = call_page(chromium, site.staff_side, camera=False)
    take_the_call(site, page)
    page.wait_for_selector("#call-notice[data-notices~=audio_only_self]", timeout=10_000)
    wait_for(
        lambda: stats(page)["camera_frames"] > 5,
        timeout=WAIT_S,
        what="the kiosk's camera still seen",
    )
    kiosk = wait_for(
        lambda: (k := site.kiosk.state())["audio_frames"] > 50 and k,
        timeout=WAIT_S,
        what="staff heard",
    )
    assert kiosk["shown_frames"] == 0  # no picture of staff: the kiosk talks on
    page.click("#hang-up")
    wait_for(lambda: site.kiosk.state()["state"] == "ended", timeout=WAIT_S, what="the kiosk ends")
    site.kiosk.ask("hang_up")
    page.context.close()


def test_a_link_down_for_a_few_seconds_and_the_call_goes_on(
    site: Site, playwright: Any, tmp_path: Path
) -> None:
    """The agent's browser on another host (a network namespace joined by a veth pair): the
    link between them is taken down for four seconds mid-call, media and the page's socket
    with it, then put back."""
    with other_host() as there:
        port = site.staff_side.url.rsplit(":", 1)[1]
        staff_url = f"http://{there.here}:{port}"
        browser = there.browser_command(tmp_path, str(CHROMIUM))
        # Camera and microphone want a secure origin: this one is the center on the link.
        secure = f"--unsafely-treat-insecure-origin-as-secure={staff_url}"
        chromium = start_chromium(playwright, browser, secure)
        try:
            call_through_a_dropped_link(site, chromium, staff_url, there)
        finally:
            chromium.close()


def call_through_a_dropped_link(site: Site, chromium: Any, staff_url: str, there: Any) -> None:
    page = call_page(chromium, staff_url)
    take_the_call(site, page)
    before = wait_for(
        lambda: (s := stats(page))["camera_frames"] > 20 and s, timeout=WAIT_S, what="media"
    )
    kiosk_before = wait_for(
        lambda: (k := site.kiosk.state())["shown_frames"] > 20 and k,
        timeout=WAIT_S,
        what="staff seen",
    )
    there.link_down_for(4.0)
    after = wait_for(
        lambda: (s := stats(page))["camera_frames"] > before["camera_frames"] + 45 and s,
        timeout=30,
        what="the kiosk's camera again in the browser",
    )
    kiosk = wait_for(
        lambda: (k := site.kiosk.state())["shown_frames"] > kiosk_before["shown_frames"] + 45 and k,
        timeout=30,
        what="staff's picture again on the kiosk",
    )
    assert kiosk["state"] == "talking" and kiosk["in_call"]  # the call went on
    assert after["state"] == "connected"
    page.click("#hang-up")
    wait_for(lambda: site.kiosk.state()["state"] == "ended", timeout=WAIT_S, what="the kiosk ends")
    site.kiosk.ask("hang_up")


def call_events(database: Database) -> list[dict[str, Any]]:
    with database.sessions() as session:
        rows = session.scalars(
            select(ReceivedEventRow).where(
                ReceivedEventRow.kiosk_id == KIOSK, ReceivedEventRow.type == "help.call_ended"
            )
        )
        return [row.payload for row in rows]


def audit(database: Database) -> list[StaffAuditRow]:
    with database.sessions() as session:
        return list(session.scalars(select(StaffAuditRow).where(StaffAuditRow.login == "agent1")))
