"""The staff console's call page in a real browser: Debian's Chromium driven by Playwright (no
browser is ever downloaded), against the real center on loopback, with fake camera and
microphone.

The center's side of the staff socket is built apart from this page, so here the socket is
played by the test (Playwright routes the page's WebSocket), speaking sync/protocol/calls.py;
so are the note and payment look-up helpers. The kiosk is a second page in the same browser
whose offer is made as aiortc's is: one audio transceiver, the camera's video, the screen's
video, every candidate gathered before it is sent. With the center's socket in place, the same
page is driven against it (and a real aiortc kiosk) by a later test."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from center.database import open_database
from center.staff.accounts import Role, add_staff
from sync.protocol.calls import FROM_STAFF, STAFF_SOCKET_PATH, TO_STAFF

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
try:
    import playwright.sync_api  # noqa: F401

    HAVE_PLAYWRIGHT = True
except ImportError:
    HAVE_PLAYWRIGHT = False
pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (./run installs it as root)"
    ),
    pytest.mark.skipif(not HAVE_PLAYWRIGHT, reason="playwright (the Python package) is missing"),
]
PASSWORD = "correct horse battery"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]
CALL_ID = uuid.UUID(int=1).hex
OTHER_CALL = uuid.UUID(int=2).hex

# The kiosk as the page meets it: its offer made as aiortc makes one (audio, camera, screen; no
# trickle), its answer taken; a new offer (the next attempt) starts a new connection.
KIOSK_JS = """
async () => {
  const camera = await navigator.mediaDevices.getUserMedia(
    { audio: true, video: { width: 640, height: 480 } });
  const canvas = document.createElement("canvas");
  canvas.width = 320; canvas.height = 180;
  const paint = canvas.getContext("2d");
  let hue = 0;
  setInterval(() => { paint.fillStyle = `hsl(${hue++ % 360} 80% 50%)`;
                      paint.fillRect(0, 0, 320, 180); }, 40);
  const screen = canvas.captureStream(15);
  window.makeOffer = async (video = true) => {
    if (window.pc) window.pc.close();
    const pc = new RTCPeerConnection();
    pc.addTransceiver(camera.getAudioTracks()[0], { direction: "sendrecv" });
    if (video) {
      pc.addTransceiver(camera.getVideoTracks()[0], { direction: "sendrecv" });
      pc.addTransceiver(screen.getVideoTracks()[0], { direction: "sendonly" });
    }
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((done) => {
      if (pc.iceGatheringState === "complete") done();
      pc.addEventListener("icegatheringstatechange",
        () => { if (pc.iceGatheringState === "complete") done(); });
    });
    window.pc = pc;
    return pc.localDescription.sdp;
  };
  window.takeAnswer = (sdp) => window.pc.setRemoteDescription({ type: "answer", sdp });
}
"""


@pytest.fixture
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            ignore_default_args=["--mute-audio"],
        )
        yield browser
        browser.close()


@pytest.fixture
def center(start_center: Any) -> Any:
    center = start_center(demo_data=False)
    database = open_database(center.db_url)
    now = dt.datetime.now(dt.UTC)
    add_staff(database.sessions, "agent1", "李坐席", Role.AGENT, PASSWORD, now)
    add_staff(database.sessions, "rev1", "审核员甲", Role.REVIEWER, PASSWORD, now)
    database.close()
    return center


class Console:
    """A signed-in page and what it wrote to its console."""

    def __init__(self, browser: Any, center: Any, login: str) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 768})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{center.url}/staff/login")
        self.page.fill("input[name=login]", login)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{center.url}/staff/")

    def _console(self, message: Any) -> None:
        where = message.location.get("url", "")
        # The browser asks for /favicon.ico by itself; the console has none.
        if message.type == "error" and not where.endswith("/favicon.ico"):
            self.errors.append(f"{message.text} ({where})")


class StaffSocket:
    """The center's end of the page's socket, played by the test: every frame the page sends
    must be a FromStaff message; every frame sent to it is a ToStaff one."""

    def __init__(self, page: Any) -> None:
        self.routes: list[Any] = []
        self.received: list[dict[str, Any]] = []
        page.route_web_socket(f"**{STAFF_SOCKET_PATH}", self._accept)

    def _accept(self, route: Any) -> None:
        self.routes.append(route)
        route.on_message(self._receive)

    def _receive(self, frame: str | bytes) -> None:
        message = json.loads(frame)
        FROM_STAFF.validate_python(message)
        self.received.append(message)

    def send(self, message: dict[str, Any]) -> None:
        TO_STAFF.validate_python(message)
        self.routes[-1].send(json.dumps(message))

    def wait_for(self, page: Any, kind: str, count: int = 1) -> dict[str, Any]:
        until = time.monotonic() + 20
        while time.monotonic() < until:
            found = [m for m in self.received if m["type"] == kind]
            if len(found) >= count:
                return found[count - 1]
            page.wait_for_timeout(100)
        raise AssertionError(f"the page sent no {kind!r} (it sent {self.received})")


def waiting_queue() -> dict[str, Any]:
    return {
        "type": "queue",
        "calls": [
            {
                "call_id": CALL_ID,
                "kiosk_id": "kiosk-017",
                "station": "城东营业基站",
                "waiting_s": 75,
                "context": {
                    "screen": "pay_method",
                    "language": "zh_CN",
                    "account_masked": "31****8829",
                    "payment_reference": "P20261203000123",
                },
            },
            {
                "call_id": OTHER_CALL,
                "kiosk_id": "kiosk-004",
                "station": "北湖营业基站",
                "waiting_s": 12,
                "context": {"screen": "home", "language": "en"},
            },
        ],
    }


def shape(page: Any, video: str) -> str:
    width, height = page.evaluate(
        "(id) => [document.getElementById(id).videoWidth, document.getElementById(id).videoHeight]",
        video,
    )
    assert width and height, f"{video} shows nothing"
    return {round(4 / 3, 2): "4:3", round(16 / 9, 2): "16:9"}.get(
        round(width / height, 2), f"{width}x{height}"
    )


def wait_until(check: Callable[[], bool], seconds: float = 20) -> None:
    until = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < until, "timed out"
        time.sleep(0.2)


def test_a_refused_socket_is_shown_and_tried_again_and_a_reviewer_is_refused(
    chromium: Any, center: Any
) -> None:
    agent = Console(chromium, center, "agent1")
    page = agent.page
    assert "视频求助" in page.locator("nav a").all_inner_texts()
    page.click("nav >> text=视频求助")
    page.wait_for_url(f"{center.url}/staff/calls")
    # No socket at the center on this branch yet: refused, shown, tried again and again.
    page.wait_for_selector("#socket-status[data-state=closed]", timeout=10_000)
    assert "秒后重试" in page.inner_text("#socket-status")
    page.wait_for_function(
        "() => Number(document.getElementById('calls').dataset.socketRetries) >= 2", timeout=15_000
    )
    assert page.inner_text("#call-status") == "当前无通话。请从左侧列表接听呼叫。"
    assert page.is_disabled("#hang-up") and page.is_disabled("#push-open")
    assert page.evaluate("document.documentElement.scrollHeight") <= 768
    # The refused handshake is the browser's own console line; nothing else may be there.
    socket_url = center.url.replace("http://", "ws://", 1) + STAFF_SOCKET_PATH
    handshake = f"WebSocket connection to '{socket_url}' failed"
    assert [e for e in agent.errors if not e.startswith(handshake)] == []
    reviewer = Console(chromium, center, "rev1")
    assert "视频求助" not in reviewer.page.locator("nav a").all_inner_texts()
    reviewer.page.goto(f"{center.url}/staff/calls")
    assert "您的角色无权查看此页面。" in reviewer.page.inner_text("main")
    assert reviewer.page.locator("#calls").count() == 0


def test_the_queue_in_english_ticks_and_only_free_calls_can_be_taken(
    chromium: Any, center: Any
) -> None:
    agent = Console(chromium, center, "agent1")
    page = agent.page
    socket = StaffSocket(page)
    page.goto(f"{center.url}/staff/calls?lang=en")
    page.wait_for_selector("#socket-status[data-state=open]")
    queue = waiting_queue()
    queue["calls"][1]["taken_by"] = "Agent Wang"
    socket.send(queue)
    page.wait_for_selector(f"#queue li[data-call-id='{CALL_ID}']")
    first = page.inner_text(f"#queue li[data-call-id='{CALL_ID}']")
    assert "城东营业基站 · kiosk-017" in first and "31****8829" in first
    assert "P20261203000123" in first and "Screen: pay_method" in first
    assert "Taken by Agent Wang" in page.inner_text(f"#queue li[data-call-id='{OTHER_CALL}']")
    assert page.locator(f"#queue li[data-call-id='{OTHER_CALL}'] button").count() == 0
    waited = page.inner_text(f"#queue li[data-call-id='{CALL_ID}'] .waited")
    page.wait_for_function(
        f"() => document.querySelector(\"#queue li[data-call-id='{CALL_ID}'] .waited\").textContent"
        f" !== {json.dumps(waited)}"
    )
    assert page.inner_text("#call-status") == "No call. Take one from the list."
    assert [o.inner_text() for o in page.locator("#push-screen option").all()][:3] == [
        "Home",
        "Account look-up",
        "Receipts",
    ]
    assert page.evaluate("document.documentElement.scrollHeight") <= 768
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "staff-calls-en.png"))
    # Another agent was first: the center refuses the take, the page says so and is free again.
    page.click(f"button[data-action=take][data-call-id='{CALL_ID}']")
    assert socket.wait_for(page, "take")["call_id"] == CALL_ID
    assert page.inner_text("#call-status") == "Taking the call…"
    socket.send({"type": "error", "code": "already_taken", "message": "taken by Agent Wang"})
    page.wait_for_selector("#call-notice[data-notices~=refused]")
    assert "The center refused: taken by Agent Wang" in page.inner_text("#call-notice")
    assert page.get_attribute("#call-status", "data-state") == "idle"
    assert not page.is_disabled(f"button[data-action=take][data-call-id='{CALL_ID}']")
    # A socket that drops is shown and opened again; the queue stays on the page meanwhile.
    socket.routes[-1].close()
    page.wait_for_selector("#socket-status[data-state=closed]")
    page.wait_for_selector("#socket-status[data-state=open]", timeout=15_000)
    assert len(socket.routes) == 2
    assert page.locator(f"#queue li[data-call-id='{CALL_ID}']").count() == 1
    assert agent.errors == []


def test_an_agent_takes_a_call_sees_camera_and_screen_pushes_help_and_hangs_up(
    chromium: Any, center: Any
) -> None:
    agent = Console(chromium, center, "agent1")
    page = agent.page
    socket = StaffSocket(page)
    notes: list[dict[str, Any]] = []

    def note(route: Any) -> None:
        notes.append({"body": route.request.post_data_json, "headers": route.request.headers})
        route.fulfill(status=204)

    def payment(route: Any) -> None:
        if "reference=P20261203000123" in route.request.url:
            body = {
                "state": "paid",
                "amount": "120.50",
                "account_masked": "31****8829",
                "created_at": "2026-12-03T08:01:00Z",
                "updated_at": "2026-12-03T08:01:09Z",
            }
            route.fulfill(status=200, json=body)
        else:
            route.fulfill(status=404, json={"error": {"code": "not_found", "message": "no"}})

    page.route(f"**/staff/calls/{CALL_ID}/note", note)
    page.route(f"**/staff/calls/{CALL_ID}/payment?*", payment)
    page.goto(f"{center.url}/staff/calls")
    page.wait_for_selector("#socket-status[data-state=open]")
    socket.send(waiting_queue())
    page.click(f"button[data-action=take][data-call-id='{CALL_ID}']")
    assert socket.wait_for(page, "take") == {"type": "take", "call_id": CALL_ID}
    assert page.is_disabled(f"button[data-action=take][data-call-id='{OTHER_CALL}']")
    socket.send({"type": "taken", "call_id": CALL_ID, "ice_servers": []})

    kiosk_context = chromium.new_context()
    kiosk = kiosk_context.new_page()
    kiosk.goto(f"{center.url}/v1/health")
    kiosk.evaluate(KIOSK_JS)
    socket.send(
        {"type": "offer", "call_id": CALL_ID, "sdp": kiosk.evaluate("makeOffer()"), "attempt": 1}
    )
    answer = socket.wait_for(page, "answer")
    assert answer["attempt"] == 1 and answer["call_id"] == CALL_ID
    assert "a=candidate:" in answer["sdp"]  # gathered before it was sent: no trickle
    kiosk.evaluate("(sdp) => takeAnswer(sdp)", answer["sdp"])
    page.wait_for_selector("#call-status[data-state=connected]", timeout=20_000)

    def stats() -> dict[str, Any]:
        return page.evaluate("callStats()")

    wait_until(lambda: (s := stats())["camera_frames"] > 10 and s["screen_frames"] > 10)
    assert stats()["audio_bytes_received"] > 0 and stats()["state"] == "connected"
    # By the offer's order: the camera (4:3) in the big picture, the screen (16:9) beside it.
    # (Told by shape: the sender may scale either down while the link warms up.)
    assert shape(page, "kiosk-camera") == "4:3" and shape(page, "kiosk-screen") == "16:9"
    assert page.evaluate("document.getElementById('self-view').srcObject !== null")
    assert page.get_attribute("#calls", "data-self-video") == "yes"
    assert page.input_value("#lookup-reference") == "P20261203000123"
    assert page.evaluate("document.documentElement.scrollHeight") <= 768

    # Help pushed to the kiosk, and what became of it.
    page.select_option("#push-screen", "receipts")
    page.click("#push-open")
    push = socket.wait_for(page, "push")
    assert push == {"type": "push", "call_id": CALL_ID, "kind": "open_screen", "screen": "receipts"}
    page.fill("#push-message", "请稍候，正在为您查询")
    page.click("#push-show")
    assert socket.wait_for(page, "push", 2)["text"] == "请稍候，正在为您查询"
    pushed = uuid.UUID(int=9).hex
    socket.send({"type": "push_done", "call_id": CALL_ID, "push_id": pushed, "ok": True})
    socket.send(
        {
            "type": "push_done",
            "call_id": CALL_ID,
            "push_id": uuid.UUID(int=10).hex,
            "ok": False,
            "detail": "printer busy",
        }
    )
    page.wait_for_selector("#push-results li[data-kind=open_screen][data-state=ok]")
    failed = page.inner_text("#push-results li[data-kind=message][data-state=failed]")
    assert "终端未能完成" in failed and "printer busy" in failed

    # The note and the payment look-up (the session's CSRF token in a header).
    page.fill("#note", "居民询问缴费是否到账，已查询确认。")
    page.click("#save-note")
    page.wait_for_selector("#note-status[data-state=saved]")
    assert notes[0]["body"] == {"note": "居民询问缴费是否到账，已查询确认。"}
    assert notes[0]["headers"]["x-csrf-token"] == page.get_attribute("#calls", "data-csrf")
    page.click("#lookup")
    page.wait_for_selector("#lookup-status[data-state=found]", state="attached")
    assert page.inner_text("#lookup-state") == "paid"
    assert page.inner_text("#lookup-amount") == "120.50"
    assert page.evaluate("document.documentElement.scrollHeight") <= 768  # still one screen
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "staff-calls-zh_CN.png"))
    page.fill("#lookup-reference", "P-unknown")
    page.click("#lookup")
    page.wait_for_selector("#lookup-status[data-state=not_found]")

    # The kiosk loses its link: the page says so and waits, the call goes on...
    kiosk.evaluate("window.pc.close()")
    page.wait_for_selector("#call-status[data-state=reconnecting]", timeout=30_000)
    assert page.inner_text("#call-status") == "网络中断，正在重新连接…"
    assert not page.is_disabled("#hang-up") and stats()["state"] == "reconnecting"
    assert [m for m in socket.received if m["type"] == "hang_up"] == []
    # ...until the kiosk offers again: a new connection, the same call.
    socket.send(
        {"type": "offer", "call_id": CALL_ID, "sdp": kiosk.evaluate("makeOffer()"), "attempt": 2}
    )
    again = socket.wait_for(page, "answer", 2)
    assert again["attempt"] == 2
    kiosk.evaluate("(sdp) => takeAnswer(sdp)", again["sdp"])
    page.wait_for_selector("#call-status[data-state=connected]", timeout=20_000)
    wait_until(lambda: (s := stats())["camera_frames"] > 5 and s["screen_frames"] > 5)
    assert shape(page, "kiosk-camera") == "4:3" and shape(page, "kiosk-screen") == "16:9"

    page.click("#hang-up")
    assert socket.wait_for(page, "hang_up") == {"type": "hang_up", "call_id": CALL_ID}
    assert page.inner_text("#call-status") == "通话已结束：您已挂断。"
    assert page.evaluate("document.getElementById('kiosk-camera').srcObject") is None
    assert page.evaluate("document.getElementById('self-view').srcObject") is None
    assert stats() == {
        "camera_frames": 0,
        "screen_frames": 0,
        "audio_bytes_received": 0,
        "state": "ended",
    }
    assert not page.is_disabled(f"button[data-action=take][data-call-id='{OTHER_CALL}']")
    kiosk_context.close()
    # The browser notes the look-up's 404 (an unknown payment, as the contract answers it).
    assert [e for e in agent.errors if "reference=P-unknown" not in e] == []


def test_audio_only_is_shown_and_the_center_ending_a_call_clears_it(
    chromium: Any, center: Any
) -> None:
    agent = Console(chromium, center, "agent1")
    page = agent.page
    # The agent's camera refused (taken by another program, say): the microphone still works.
    page.add_init_script(
        """
        const ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        navigator.mediaDevices.getUserMedia = (wanted) => wanted.video
          ? Promise.reject(new DOMException("camera busy", "NotReadableError"))
          : ask(wanted);
        """
    )
    socket = StaffSocket(page)
    page.goto(f"{center.url}/staff/calls?lang=en")
    page.wait_for_selector("#socket-status[data-state=open]")
    socket.send(waiting_queue())
    page.click(f"button[data-action=take][data-call-id='{CALL_ID}']")
    socket.wait_for(page, "take")
    socket.send({"type": "taken", "call_id": CALL_ID, "ice_servers": []})
    page.wait_for_selector("#call-status[data-state=connecting]")
    page.wait_for_selector("#call-notice[data-notices~=audio_only_self]")
    assert page.get_attribute("#calls", "data-self-video") == "no"
    assert "Audio only: your camera is not available" in page.inner_text("#call-notice")
    # A kiosk whose camera sends nothing: after a few seconds the agent is told.
    kiosk_context = chromium.new_context()
    kiosk = kiosk_context.new_page()
    kiosk.goto(f"{center.url}/v1/health")
    kiosk.evaluate(KIOSK_JS)
    offer = kiosk.evaluate("makeOffer(false)")
    socket.send({"type": "offer", "call_id": CALL_ID, "sdp": offer, "attempt": 1})
    kiosk.evaluate("(sdp) => takeAnswer(sdp)", socket.wait_for(page, "answer")["sdp"])
    page.wait_for_selector("#call-status[data-state=connected]", timeout=20_000)
    page.wait_for_selector("#call-notice[data-notices~=audio_only_kiosk]", timeout=15_000)
    assert "the kiosk's video has not arrived" in page.inner_text("#call-notice")
    wait_until(lambda: page.evaluate("callStats()")["audio_bytes_received"] > 0)
    socket.send({"type": "ended", "call_id": CALL_ID, "reason": "resident"})
    page.wait_for_selector("#call-status[data-state=ended]")
    assert page.inner_text("#call-status") == "Call ended: the resident hung up."
    assert page.is_disabled("#hang-up") and page.is_hidden("#call-notice")
    assert page.evaluate("document.getElementById('self-view').srcObject") is None
    assert [m for m in socket.received if m["type"] == "hang_up"] == []
    kiosk_context.close()
    assert agent.errors == []
