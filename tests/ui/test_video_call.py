"""Video help from the resident's side, on the real window, the real link (aiortc in its own
loop) and the real center over loopback; staff are played by tests/support/staff_peer.py, a
second WebRTC peer speaking the staff page's side of the protocol."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from kiosk.services.video_help import CallState
from kiosk.ui.local_text import CHINESE, ENGLISH
from kiosk.video.link import VideoLink, VideoSettings
from tests.support.ui import click


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    link = VideoLink(
        VideoSettings(f"http://127.0.0.1:{closed_port()}", "kiosk-ui-test", None), None
    )
    window.attach_video(link, None)
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
