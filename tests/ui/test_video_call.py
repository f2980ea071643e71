"""Video help from the resident's side, on the real window, the real link (aiortc in its own
loop) and the real center over loopback; staff are played by tests/support/staff_peer.py, a
second WebRTC peer speaking the staff page's side of the protocol."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from center.database import open_database
from center.staff.accounts import Role, add_staff
from kiosk.embedded_center import free_port  # a port nobody listens on
from kiosk.services.video_help import CallState
from kiosk.store import Store
from kiosk.ui.local_text import CHINESE, ENGLISH
from kiosk.video.link import VideoLink, VideoSettings
from tests.support.staff_peer import StaffPeer, sign_in
from tests.support.ui import click, queued_events


def open_video_help(qtbot: Any, window: Any) -> None:
    click(qtbot, window.idle)
    click(qtbot, window.home.help_tile)
    click(qtbot, window.help.video_button)
    assert window.navigator.current == "video_call"


@pytest.mark.parametrize("language", [CHINESE, ENGLISH])
def test_a_center_out_of_reach_is_said_at_once_with_the_hotline_and_a_call_back_offered(
    qtbot: Any, make_window: Any, running_center: Any, language: str
) -> None:
    window = make_window(running_center.url, language=language)
    link = VideoLink(VideoSettings(f"http://127.0.0.1:{free_port()}", "kiosk-ui-test", None), None)
    window.attach_video(link)
    try:
        open_video_help(qtbot, window)
        screen = window.video_call
        qtbot.waitUntil(lambda: screen.state == CallState.UNREACHABLE, timeout=3000)
        assert screen.hotline.isVisible() and screen.hotline.text() == "95598"
        assert screen.call_back_button.isVisible() and not screen.pictures.isVisible()
        words = {CHINESE: "暂时无法连接服务中心", ENGLISH: "cannot be reached"}[language]
        assert words in screen.status.text()
        assert not window.session.held_for_payment and not link.in_call
        click(qtbot, screen.call_back_button)
        assert window.navigator.current == "call_back"
    finally:
        link.close()


def test_no_link_at_all_says_the_same_and_the_back_button_returns_to_help(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    window = make_window(running_center.url, language=ENGLISH)
    open_video_help(qtbot, window)
    screen = window.video_call
    assert screen.state == CallState.UNREACHABLE  # no back end yet: said at once
    click(qtbot, screen.main_button)
    assert window.navigator.current == "help"


# -- with staff at the center ------------------------------------------------------------------

PASSWORD = "agent password 1"


@pytest.fixture
def agent(running_center: Any) -> Iterator[StaffPeer]:
    """An agent signed in at the center, their call page's socket open."""
    login = f"agent-{uuid.uuid4().hex[:8]}"
    database = open_database(running_center.db_url)
    try:
        add_staff(database.sessions, login, "王芳", Role.AGENT, PASSWORD, dt.datetime.now(dt.UTC))
    finally:
        database.close()
    peer = StaffPeer(running_center.url, sign_in(running_center.url, login, PASSWORD))
    peer.connect()
    yield peer
    peer.close()


@pytest.fixture
def calling(qtbot: Any, make_window: Any, running_center: Any) -> Iterator[Callable[..., Any]]:
    """calling(language) -> (window, link): a kiosk window whose Help calls the real center."""
    links: list[VideoLink] = []

    def make(language: str = CHINESE, **options: Any) -> tuple[Any, VideoLink]:
        window = make_window(running_center.url, language=language, **options)
        settings = VideoSettings(
            running_center.url, "kiosk-ui-test", None, loopback_candidates=True, speaker=""
        )
        link = VideoLink(settings, None, window._services.record_call)
        links.append(link)
        window.attach_video(link)
        return window, link

    yield make
    for link in links:
        link.close()


def test_a_call_from_help_to_staff_hanging_up(
    qtbot: Any, calling: Any, agent: StaffPeer, store: Store
) -> None:
    window, link = calling(ENGLISH)
    open_video_help(qtbot, window)
    screen = window.video_call
    qtbot.waitUntil(lambda: screen.state == CallState.WAITING, timeout=5000)
    assert screen.status.text() == "You are next in line." and screen.main_button.text() == "Cancel"
    assert window.session.timeout_s is not None
    call_id = agent.waiting_call()
    waiting = agent.wait_for(lambda m: m["type"] == "queue" and m["calls"])["calls"][0]
    assert waiting["kiosk_id"] == "kiosk-ui-test" and waiting["context"]["screen"] == "help"
    assert waiting["station"] == "钟灵街营业基站"  # staff see where the resident stands
    agent.take(call_id)
    qtbot.waitUntil(lambda: screen.state == CallState.TALKING, timeout=10000)
    assert screen.status.text() == "You are talking to 王芳."
    assert screen.main_button.text() == "Hang up" and screen.pictures.isVisible()
    qtbot.waitUntil(lambda: screen.staff_view.frames > 5, timeout=10000)  # staff seen
    got = agent.wait_until(lambda r: r.camera_frames > 10 and r.screen_frames > 3)
    assert got.audio_frames > 0 and (640, 360) in got.screen_sizes  # the kiosk's screen, small
    # Staff open a service screen for the resident: the call stays in view over it.
    agent.push(call_id, "open_screen", screen="receipts")
    qtbot.waitUntil(lambda: window.navigator.current == "account_entry", timeout=5000)
    assert window.call_bar.isVisible() and link.in_call
    assert agent.wait_for(lambda m: m["type"] == "push_done")["ok"] is True
    # A screen this kiosk does not have now (no reference data yet): said, nothing breaks.
    agent.push(call_id, "open_screen", screen="info_prices")
    refused = agent.wait_for(lambda m: m["type"] == "push_done" and not m["ok"])
    assert refused["detail"] == "not available on this kiosk"
    assert window.navigator.current == "account_entry" and link.in_call
    click(qtbot, window.call_bar.back_button)
    assert window.navigator.current == "video_call" and not window.call_bar.isVisible()
    agent.push(call_id, "message", text="请把电费单上的户号念给我听。")
    qtbot.waitUntil(lambda: screen.message.isVisible(), timeout=5000)
    assert screen.message.text() == "请把电费单上的户号念给我听。"
    agent.hang_up(call_id)
    qtbot.waitUntil(lambda: screen.state == CallState.ENDED, timeout=5000)
    assert screen.detail.text() == "Staff ended the call. Thank you."
    assert not link.in_call and screen.staff_view.picture is None
    ended = [e for e in queued_events(store) if e.type == "help.call_ended"]
    qtbot.waitUntil(lambda: any(e.type == "help.call_ended" for e in queued_events(store)))
    ended = [e for e in queued_events(store) if e.type == "help.call_ended"]
    assert ended[0].payload["outcome"] == "staff" and ended[0].payload["answered_by"] == "王芳"
    assert ended[0].payload["call_id"] == call_id and ended[0].payload["talked_s"] > 0
    click(qtbot, screen.main_button)
    assert window.navigator.current == "help"


def test_the_resident_cancels_while_waiting_and_staff_see_the_call_go(
    qtbot: Any, calling: Any, agent: StaffPeer
) -> None:
    window, link = calling(CHINESE)
    open_video_help(qtbot, window)
    screen = window.video_call
    qtbot.waitUntil(lambda: screen.state == CallState.WAITING, timeout=5000)
    assert screen.status.text() == "下一位就是您。"
    call_id = agent.waiting_call()
    # The resident switches language while waiting: the words follow.
    click(qtbot, window.top_bar.language_button)
    assert screen.status.text() == "You are next in line."
    click(qtbot, screen.main_button)  # Cancel
    qtbot.waitUntil(lambda: screen.state == CallState.ENDED, timeout=5000)
    agent.wait_for(
        lambda m: m["type"] == "queue" and all(c["call_id"] != call_id for c in m["calls"])
    )
    assert not link.in_call


def test_a_call_holds_the_session_and_finishing_the_session_ends_the_call(
    qtbot: Any, calling: Any, agent: StaffPeer
) -> None:
    window, link = calling(ENGLISH, timeout_s=2.0, warning_s=1.0)
    open_video_help(qtbot, window)
    screen = window.video_call
    call_id = agent.waiting_call()
    agent.take(call_id)
    qtbot.waitUntil(lambda: screen.state == CallState.TALKING, timeout=10000)
    qtbot.wait(3500)  # longer than the inactivity limit, without a touch
    assert window.navigator.current == "video_call" and link.in_call  # talking is not idle
    click(qtbot, window.bottom_bar.finish_button)
    qtbot.waitUntil(lambda: not link.in_call, timeout=5000)
    ended = agent.wait_for(lambda m: m["type"] == "ended" and m["call_id"] == call_id)
    assert ended["reason"] == "resident"
    assert window.navigator.current in ("idle", "take_card", "rating")


def test_the_screen_staff_see_is_the_window_as_the_resident_sees_it(
    qtbot: Any, make_window: Any, running_center: Any
) -> None:
    from PySide6.QtGui import QColor, QImage

    from kiosk.ui.help.video_call_flow import window_picture

    window = make_window(running_center.url, language=ENGLISH)
    click(qtbot, window.idle)
    picture = window_picture(window)
    # Pictures of the same size drawn after it: memory freed meanwhile is reused, and a picture
    # that still pointed into the window's drawing would show them.
    noise = [QImage(640, 360, QImage.Format.Format_RGB888) for _ in range(8)]
    for image in noise:
        image.fill(QColor("red"))
    assert picture.shape == (360, 640, 3)
    top_bar = QColor(window.display.theme.bar)
    assert tuple(picture[8, 320]) == (top_bar.red(), top_bar.green(), top_bar.blue())
    del noise


def test_media_lost_is_negotiated_again_and_the_call_goes_on(
    qtbot: Any, calling: Any, agent: StaffPeer
) -> None:
    window, link = calling(ENGLISH)
    open_video_help(qtbot, window)
    screen = window.video_call
    call_id = agent.waiting_call()
    agent.take(call_id)
    qtbot.waitUntil(lambda: screen.staff_view.frames > 5, timeout=10000)
    agent.end_media()  # staff's side of the media is gone; the call itself is not
    qtbot.waitUntil(lambda: link.stats.attempts == 2, timeout=15000)
    offers = agent.wait_for(lambda m: m["type"] == "offer" and m["attempt"] == 2)
    assert offers["call_id"] == call_id
    shown = screen.staff_view.frames
    qtbot.waitUntil(lambda: screen.staff_view.frames > shown + 10, timeout=15000)
    assert screen.state == CallState.TALKING and link.in_call
    agent.hang_up(call_id)
    qtbot.waitUntil(lambda: screen.state == CallState.ENDED, timeout=5000)


def test_outside_service_hours_help_says_so_at_once_with_the_hours_and_the_hotline(
    qtbot: Any, make_window: Any, running_center: Any, tmp_path: Any
) -> None:
    from center.calls.settings import CallSettings, ServiceHours
    from center.server import serve_center

    now = dt.datetime.now().astimezone()
    # Open for one minute, twelve hours from now: closed whenever this test runs.
    start = (now + dt.timedelta(hours=12)).time().replace(second=0, microsecond=0)
    end = (dt.datetime.combine(now.date(), start) + dt.timedelta(minutes=1)).time()
    hours = ServiceHours(start, end)
    with serve_center(
        f"sqlite:///{tmp_path / 'closed.db'}", today=None, demo_data=False,
        calls=CallSettings(hours=hours),
    ) as closed:  # fmt: skip
        window = make_window(running_center.url, language=ENGLISH)
        link = VideoLink(VideoSettings(closed.url, "kiosk-ui-test", None), None)
        window.attach_video(link)
        try:
            open_video_help(qtbot, window)
            screen = window.video_call
            qtbot.waitUntil(lambda: screen.state == CallState.CLOSED, timeout=5000)
            assert screen.status.text() == "Video help is closed now."
            assert hours.text in screen.detail.text()
            assert screen.hotline.isVisible() and screen.call_back_button.isVisible()
            assert not link.in_call
        finally:
            link.close()
