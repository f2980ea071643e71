"""Video help's signalling at the center, from outside: a real center over HTTP and WebSocket
on loopback, kiosks signing their handshake as sync/client.py signs a GET, staff signed in to
the console with a browser's cookie and Origin, and the same call with the kiosk and the staff
page on two center processes sharing one database."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from center.calls.settings import CallSettings, IceSettings, ServiceHours
from center.database import CallRow, Database, PaymentRow, StaffAuditRow, open_database
from center.server import RunningCenter, serve_center
from center.staff.accounts import Role, add_staff
from sync.call_socket import handshake_headers
from sync.credentials import Credentials
from sync.protocol.calls import KIOSK_SOCKET_PATH, STAFF_SOCKET_PATH, new_call_id
from tests.support.center import DEMO_TODAY, center_worker, enrol
from tests.support.staff_peer import sign_in as signed_in

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]
SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
CONTEXT = {"screen": "bill", "language": "zh_CN", "account_masked": "3201****0002"}
WAIT_S = 8.0


# -- the two sides --------------------------------------------------------------------------


class Side:
    """One socket: send messages, expect one of a type (the others wait their turn)."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.heard: list[dict[str, Any]] = []

    async def send(self, **message: Any) -> None:
        await self.socket.send(json.dumps(message))

    async def send_raw(self, text: str | bytes) -> None:
        await self.socket.send(text)

    async def expect(self, kind: str, timeout: float = WAIT_S, **fields: Any) -> dict[str, Any]:
        def matches(message: dict[str, Any]) -> bool:
            return message["type"] == kind and all(message.get(k) == v for k, v in fields.items())

        for message in self.heard:
            if matches(message):
                self.heard.remove(message)
                return message
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kind} {fields} within {timeout} s; heard {self.heard}")
            try:
                text = await asyncio.wait_for(self.socket.recv(), left)
            except TimeoutError:
                continue
            message = json.loads(text)
            if matches(message):
                return message
            self.heard.append(message)

    async def quiet(self, kind: str, seconds: float = 0.5) -> None:
        """Nothing of `kind` comes within `seconds`."""
        with pytest.raises(AssertionError):
            await self.expect(kind, timeout=seconds)

    async def close(self) -> None:
        await self.socket.close()


def ws_url(center: RunningCenter, path: str) -> str:
    return center.url.replace("http://", "ws://") + path


def signed_headers(credentials: Credentials, path: str = KIOSK_SOCKET_PATH) -> dict[str, str]:
    """The socket's handshake as the kiosk signs it."""
    return handshake_headers(credentials.kiosk_id, credentials, path)


async def kiosk(center: RunningCenter, credentials: Credentials) -> Side:
    socket = await connect(
        ws_url(center, KIOSK_SOCKET_PATH), additional_headers=signed_headers(credentials)
    )
    return Side(socket)


def sign_in(center: RunningCenter, login: str) -> str:
    """The session cookie of a browser signed in as `login`."""
    return signed_in(center.url, login, PASSWORD).cookies["staff_session"]


async def staff(center: RunningCenter, cookie: str, origin: str | None = None) -> Side:
    socket = await connect(
        ws_url(center, STAFF_SOCKET_PATH),
        additional_headers={"Cookie": f"staff_session={cookie}"},
        origin=origin or center.url,  # type: ignore[arg-type]
    )
    side = Side(socket)
    await side.expect("queue")
    return side


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(test())


# -- the centers ----------------------------------------------------------------------------


class Site:
    """A running center, its database, a few enrolled kiosks and staff accounts."""

    def __init__(self, center: RunningCenter) -> None:
        self.center = center
        self.database: Database = open_database(center.db_url)
        self._kiosks: dict[str, Credentials] = {}
        self._cookies: dict[str, str] = {}

    def kiosk(self, kiosk_id: str) -> Credentials:
        if kiosk_id not in self._kiosks:
            self._kiosks[kiosk_id] = enrol(self.center, self.database, kiosk_id)
        return self._kiosks[kiosk_id]

    def staff(self, login: str, role: Role = Role.AGENT) -> str:
        if login not in self._cookies:
            now = dt.datetime.now(dt.UTC)
            add_staff(self.database.sessions, login, login.title(), role, PASSWORD, now)
            self._cookies[login] = sign_in(self.center, login)
        return self._cookies[login]

    def call_row(self, call_id: str) -> CallRow:
        with self.database.sessions() as session:
            row = session.get(CallRow, call_id)
            assert row is not None
            return row

    def audit(self, login: str) -> list[tuple[str, str | None]]:
        with self.database.sessions() as session:
            rows = session.scalars(
                select(StaffAuditRow).where(StaffAuditRow.login == login).order_by(StaffAuditRow.id)
            )
            return [(row.action, row.kiosk_id) for row in rows]


@contextmanager
def start_site(db_url: str, calls: CallSettings | None = None) -> Iterator[Site]:
    with serve_center(
        db_url, today=DEMO_TODAY, demo_data=False, require_signatures=True, calls=calls
    ) as center:
        site = Site(center)
        yield site
        site.database.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with start_site(f"sqlite:///{tmp_path / 'center.db'}", CallSettings(resume_within_s=1.0)) as s:
        yield s


# -- who may open a socket ------------------------------------------------------------------


def test_an_unsigned_or_badly_signed_kiosk_socket_is_refused(site: Site) -> None:
    credentials = site.kiosk("kiosk-a")

    async def scenario() -> None:
        with pytest.raises(InvalidStatus) as unsigned:
            await connect(ws_url(site.center, KIOSK_SOCKET_PATH))
        assert unsigned.value.response.status_code == 401
        assert b"unsigned" in unsigned.value.response.body
        forged = Credentials(credentials.kiosk_id, credentials.key_id, b"\x00" * 32)
        with pytest.raises(InvalidStatus) as bad:
            await connect(
                ws_url(site.center, KIOSK_SOCKET_PATH), additional_headers=signed_headers(forged)
            )
        assert bad.value.response.status_code == 401
        assert b"bad_signature" in bad.value.response.body
        other_path = signed_headers(credentials, "/v1/health")
        with pytest.raises(InvalidStatus):
            await connect(ws_url(site.center, KIOSK_SOCKET_PATH), additional_headers=other_path)
        replayed = signed_headers(credentials)
        first = await connect(ws_url(site.center, KIOSK_SOCKET_PATH), additional_headers=replayed)
        await first.close()
        with pytest.raises(InvalidStatus) as again:
            await connect(ws_url(site.center, KIOSK_SOCKET_PATH), additional_headers=replayed)
        assert b"replayed" in again.value.response.body

    run(scenario)


def test_the_staff_socket_wants_a_session_the_right_origin_and_an_agent(site: Site) -> None:
    agent, admin = site.staff("agent1"), site.staff("chief", Role.ADMIN)
    operator, reviewer = site.staff("op1", Role.OPERATOR), site.staff("rev1", Role.REVIEWER)
    url = ws_url(site.center, STAFF_SOCKET_PATH)

    async def refused(headers: dict[str, str], origin: str | None) -> int:
        with pytest.raises(InvalidStatus) as why:
            await connect(url, additional_headers=headers, origin=origin)  # type: ignore[arg-type]
        return why.value.response.status_code

    async def scenario() -> None:
        assert await refused({}, site.center.url) == 403
        assert await refused({"Cookie": "staff_session=made-up"}, site.center.url) == 403
        cookie = {"Cookie": f"staff_session={agent}"}
        assert await refused(cookie, "http://evil.example") == 403
        assert await refused(cookie, None) == 403
        for role_cookie in (operator, reviewer):
            assert await refused({"Cookie": f"staff_session={role_cookie}"}, site.center.url) == 403
        for allowed in (agent, admin):
            side = await staff(site.center, allowed)
            await side.close()

    run(scenario)


# -- a call from start to end -----------------------------------------------------------------


def test_a_whole_call_from_waiting_to_ended_on_both_sides(site: Site) -> None:
    credentials = site.kiosk("kiosk-a")
    cookie = site.staff("agent1")
    call_id = new_call_id()

    async def scenario() -> None:
        console = await staff(site.center, cookie)
        resident = await kiosk(site.center, credentials)
        await resident.send(type="call", call_id=call_id, context=CONTEXT)
        waiting = await resident.expect("waiting", call_id=call_id)
        assert waiting["place"] == 1 and waiting["estimate_s"] == 120
        queue = await console.expect("queue")
        assert [(c["call_id"], c["kiosk_id"], c["taken_by"]) for c in queue["calls"]] == [
            (call_id, "kiosk-a", None)
        ]
        assert queue["calls"][0]["context"]["account_masked"] == "3201****0002"

        await console.send(type="take", call_id=call_id)
        taken = await console.expect("taken", call_id=call_id)
        assert taken["ice_servers"] == []
        answered = await resident.expect("answered", call_id=call_id)
        assert answered["agent"] == "Agent1"
        queue = await console.expect("queue")
        assert queue["calls"][0]["taken_by"] == "agent1"

        await resident.send(type="offer", call_id=call_id, sdp=SDP + "a=offer", attempt=1)
        offer = await console.expect("offer", call_id=call_id)
        assert offer["sdp"].endswith("a=offer") and offer["attempt"] == 1
        await console.send(type="answer", call_id=call_id, sdp=SDP + "a=answer", attempt=1)
        answer = await resident.expect("answer", call_id=call_id)
        assert answer["sdp"].endswith("a=answer") and answer["attempt"] == 1

        await console.send(type="push", call_id=call_id, kind="open_screen", screen="receipts")
        push = await resident.expect("push", call_id=call_id)
        assert push["kind"] == "open_screen" and push["screen"] == "receipts"
        await resident.send(type="push_done", call_id=call_id, push_id=push["push_id"], ok=True)
        done = await console.expect("push_done", call_id=call_id)
        assert done["push_id"] == push["push_id"] and done["ok"] is True

        await console.send(type="hang_up", call_id=call_id)
        assert (await resident.expect("ended", call_id=call_id))["reason"] == "staff"
        assert (await console.expect("ended", call_id=call_id))["reason"] == "staff"
        assert (await console.expect("queue"))["calls"] == []
        await resident.close()
        await console.close()

    run(scenario)
    row = site.call_row(call_id)
    assert (row.state, row.end_reason, row.taken_by) == ("ended", "staff", "agent1")
    actions = site.audit("agent1")
    for action in ("call_take", "call_push", "call_hang_up"):
        assert (action, "kiosk-a") in actions, actions


def test_places_in_the_queue_move_up_when_the_first_call_is_taken(site: Site) -> None:
    first, second = site.kiosk("kiosk-a"), site.kiosk("kiosk-b")
    cookie = site.staff("agent1")
    call_a, call_b = new_call_id(), new_call_id()

    async def scenario() -> None:
        kiosk_a, kiosk_b = await kiosk(site.center, first), await kiosk(site.center, second)
        await kiosk_a.send(type="call", call_id=call_a, context=CONTEXT)
        assert (await kiosk_a.expect("waiting"))["place"] == 1
        await kiosk_b.send(type="call", call_id=call_b, context=CONTEXT)
        waiting_b = await kiosk_b.expect("waiting")
        assert waiting_b["place"] == 2 and waiting_b["estimate_s"] == 240
        console = await staff(site.center, cookie)
        await console.send(type="take", call_id=call_a)
        await console.expect("taken", call_id=call_a)
        await kiosk_a.expect("answered")
        moved = await kiosk_b.expect("waiting", call_id=call_b)
        assert moved["place"] == 1
        for side in (kiosk_a, kiosk_b, console):
            await side.close()

    run(scenario)


def test_two_agents_taking_one_call_at_once_one_wins(site: Site) -> None:
    credentials = site.kiosk("kiosk-a")
    cookies = site.staff("agent1"), site.staff("agent2")
    call_id = new_call_id()

    async def scenario() -> None:
        resident = await kiosk(site.center, credentials)
        await resident.send(type="call", call_id=call_id, context=CONTEXT)
        await resident.expect("waiting")
        one, two = [await staff(site.center, cookie) for cookie in cookies]
        await asyncio.gather(
            one.send(type="take", call_id=call_id), two.send(type="take", call_id=call_id)
        )

        async def outcome(side: Side) -> str:
            async def either() -> str:
                while True:
                    message = json.loads(await side.socket.recv())
                    if message["type"] == "taken":
                        return "won"
                    if message["type"] == "error":
                        assert message["code"] == "already_taken"
                        return "lost"

            return await asyncio.wait_for(either(), WAIT_S)

        assert sorted(await asyncio.gather(outcome(one), outcome(two))) == ["lost", "won"]
        await resident.expect("answered")
        await resident.quiet("answered")  # told once
        for side in (resident, one, two):
            await side.close()

    run(scenario)
    assert (
        sum(
            action == "call_take"
            for login in ("agent1", "agent2")
            for action, _ in site.audit(login)
        )
        == 1
    )


def test_a_kiosk_speaks_only_of_its_own_calls_and_a_page_only_of_the_call_it_took(
    site: Site,
) -> None:
    owner, stranger = site.kiosk("kiosk-a"), site.kiosk("kiosk-b")
    taker, other = site.staff("agent1"), site.staff("agent2")
    call_id = new_call_id()

    async def scenario() -> None:
        resident = await kiosk(site.center, owner)
        await resident.send(type="call", call_id=call_id, context=CONTEXT)
        await resident.expect("waiting")
        console = await staff(site.center, taker)
        await console.send(type="take", call_id=call_id)
        await console.expect("taken")
        await resident.expect("answered")

        intruder = await kiosk(site.center, stranger)
        for attempt in (
            {"type": "hang_up", "call_id": call_id},
            {"type": "offer", "call_id": call_id, "sdp": SDP, "attempt": 1},
            {"type": "call", "call_id": call_id, "context": CONTEXT},
        ):
            await intruder.send(**attempt)
            assert (await intruder.expect("error"))["code"] == "not_your_call"
        outsider = await staff(site.center, other)
        await outsider.send(type="hang_up", call_id=call_id)
        assert (await outsider.expect("error"))["code"] == "not_your_call"
        await outsider.send(type="answer", call_id=call_id, sdp=SDP, attempt=1)
        assert (await outsider.expect("error"))["code"] == "not_your_call"

        # The call goes on as if nothing happened.
        await resident.send(type="offer", call_id=call_id, sdp=SDP, attempt=1)
        await console.expect("offer", call_id=call_id)
        await console.quiet("ended")
        assert site.call_row(call_id).state == "taken"
        for side in (resident, console, intruder, outsider):
            await side.close()

    run(scenario)


def test_garbage_frames_get_an_error_and_the_call_goes_on(site: Site) -> None:
    credentials = site.kiosk("kiosk-a")
    cookie = site.staff("agent1")
    call_id = new_call_id()

    async def scenario() -> None:
        resident = await kiosk(site.center, credentials)
        await resident.send(type="call", call_id=call_id, context=CONTEXT)
        await resident.expect("waiting")
        for garbage in ("not json", b"\x00\x01binary", '{"type": "dance"}', '{"type":"offer"}'):
            await resident.send_raw(garbage)
            assert (await resident.expect("error"))["code"] == "malformed"
        console = await staff(site.center, cookie)
        await console.send_raw("[1, 2")
        assert (await console.expect("error"))["code"] == "malformed"
        await console.send(type="push", call_id="zz", kind="message", text="hi")
        assert (await console.expect("error"))["code"] == "malformed"
        await console.send(type="take", call_id=call_id)
        await console.expect("taken")
        await console.send(type="push", call_id=call_id, kind="open_screen", screen="settings")
        assert (await console.expect("error"))["code"] == "bad_push"
        await resident.expect("answered")
        await resident.send(type="offer", call_id=call_id, sdp=SDP, attempt=1)
        await console.expect("offer")
        await resident.send(type="hang_up", call_id=call_id)
        assert (await console.expect("ended"))["reason"] == "resident"
        for side in (resident, console):
            await side.close()

    run(scenario)


def test_out_of_hours_a_call_is_closed(tmp_path: Path) -> None:
    now = dt.datetime.now().astimezone()
    start, end = (now + dt.timedelta(hours=2)).time(), (now + dt.timedelta(hours=3)).time()
    hours = ServiceHours(
        start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
    )
    with start_site(f"sqlite:///{tmp_path / 'c.db'}", CallSettings(hours=hours)) as site:
        credentials = site.kiosk("kiosk-a")
        call_id = new_call_id()

        async def scenario() -> None:
            resident = await kiosk(site.center, credentials)
            await resident.send(type="call", call_id=call_id, context=CONTEXT)
            closed = await resident.expect("closed", call_id=call_id)
            assert closed["reason"] == "out_of_hours" and closed["hours"] == hours.text
            await resident.close()

        run(scenario)
        with site.database.sessions() as session:
            assert session.get(CallRow, call_id) is None


def test_a_dropped_kiosk_socket_resumes_the_call_or_it_ends_link_lost(site: Site) -> None:
    credentials = site.kiosk("kiosk-a")
    cookie = site.staff("agent1")
    kept, lost = new_call_id(), new_call_id()

    async def scenario() -> None:
        console = await staff(site.center, cookie)
        resident = await kiosk(site.center, credentials)
        await resident.send(type="call", call_id=kept, context=CONTEXT)
        await resident.expect("waiting")
        await console.send(type="take", call_id=kept)
        await console.expect("taken")
        await resident.expect("answered")
        await resident.close()  # the link drops
        await asyncio.sleep(0.3)
        back = await kiosk(site.center, credentials)
        await back.send(type="call", call_id=kept, context=CONTEXT)
        await back.expect("answered", call_id=kept)  # offer again
        await back.send(type="offer", call_id=kept, sdp=SDP, attempt=2)
        assert (await console.expect("offer", call_id=kept))["attempt"] == 2
        await asyncio.sleep(1.8)  # past the resume window: still going
        assert site.call_row(kept).state == "taken"

        await back.send(type="call", call_id=lost, context=CONTEXT)
        await back.expect("waiting", call_id=lost)
        await back.close()
        await asyncio.sleep(0.2)
        again = await kiosk(site.center, credentials)
        await again.send(type="call", call_id=kept, context=CONTEXT)  # only this one comes back
        await again.expect("answered", call_id=kept)
        deadline = time.monotonic() + WAIT_S
        while site.call_row(lost).state != "ended" and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert site.call_row(lost).end_reason == "link_lost"
        assert site.call_row(kept).state == "taken"
        await again.send(type="call", call_id=lost, context=CONTEXT)
        assert (await again.expect("ended", call_id=lost))["reason"] == "link_lost"
        await again.send(type="hang_up", call_id=kept)
        await again.expect("ended", call_id=kept)
        await console.expect("ended", call_id=kept)
        for side in (again, console):
            await side.close()

    run(scenario)


# -- the staff's HTTP helpers ---------------------------------------------------------------


def test_notes_and_payment_lookups_belong_to_the_agent_in_the_call(site: Site) -> None:
    credentials = site.kiosk("kiosk-a")
    cookie, other = site.staff("agent1"), site.staff("agent2")
    call_id = new_call_id()
    base = f"{site.center.url}/staff/calls/{call_id}"

    def csrf_of(session_cookie: str) -> str:
        page = requests.get(
            f"{site.center.url}/staff/", cookies={"staff_session": session_cookie}, timeout=10
        )
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert found
        return found.group(1)

    async def scenario() -> None:
        resident = await kiosk(site.center, credentials)
        await resident.send(type="call", call_id=call_id, context=CONTEXT)
        await resident.expect("waiting")
        console = await staff(site.center, cookie)
        await console.send(type="take", call_id=call_id)
        await console.expect("taken")

        jar = {"staff_session": cookie}
        saved = requests.post(
            f"{base}/note", data={"note": "asked about a bill", "csrf": csrf_of(cookie)},
            cookies=jar, timeout=10,
        )  # fmt: skip
        assert saved.status_code == 200 and saved.json()["note"] == "asked about a bill"
        forged = requests.post(
            f"{base}/note", data={"note": "x", "csrf": "made-up"}, cookies=jar, timeout=10
        )
        assert forged.status_code == 403 and forged.json()["error"]["code"] == "bad_csrf"
        stranger = requests.post(
            f"{base}/note", data={"note": "x", "csrf": csrf_of(other)},
            cookies={"staff_session": other}, timeout=10,
        )  # fmt: skip
        assert stranger.status_code == 403
        assert (
            requests.post(f"{base}/note", data={"note": "x", "csrf": "y"}, timeout=10).status_code
            == 401
        )

        missing = requests.get(
            f"{base}/payment", params={"reference": "3F2A-91C0-7B1D"}, cookies=jar, timeout=10
        )
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "payment_not_found"
        nosy = requests.get(
            f"{base}/payment", params={"reference": "3F2A-91C0-7B1D"},
            cookies={"staff_session": other}, timeout=10,
        )  # fmt: skip
        assert nosy.status_code == 403
        await console.close()
        await resident.close()

    run(scenario)
    assert site.call_row(call_id).note == "asked about a bill"
    actions = [action for action, _kiosk in site.audit("agent1")]
    assert "call_note" in actions and "call_payment_lookup" in actions


# -- two center processes, one database --------------------------------------------------------


@pytest.fixture(scope="module")
def two_workers(center_db_url: str) -> Iterator[tuple[Site, Site]]:
    open_database(center_db_url).close()  # the tables, before two processes race for them
    started = [center_worker(center_db_url), center_worker(center_db_url)]
    sites = [Site(center) for _process, center in started]
    try:
        yield sites[0], sites[1]
    finally:
        for site in sites:
            site.database.close()
        for process, _center in started:
            process.terminate()
        for process, _center in started:
            process.wait(timeout=10)


def test_one_call_with_the_kiosk_and_the_staff_on_two_center_processes(
    two_workers: tuple[Site, Site],
) -> None:
    kiosk_side, staff_side = two_workers
    credentials = kiosk_side.kiosk(f"kiosk-{secrets.token_hex(3)}")
    login = f"agent{secrets.token_hex(3)}"
    cookie = staff_side.staff(login)
    call_id = new_call_id()

    async def scenario() -> None:
        console = await staff(staff_side.center, cookie)
        resident = await kiosk(kiosk_side.center, credentials)
        await resident.send(type="call", call_id=call_id, context=CONTEXT)
        await resident.expect("waiting")
        queue = await console.expect("queue")
        assert call_id in [queued["call_id"] for queued in queue["calls"]]
        await console.send(type="take", call_id=call_id)
        await console.expect("taken")
        await resident.expect("answered")
        await resident.send(type="offer", call_id=call_id, sdp=SDP + "a=k", attempt=1)
        assert (await console.expect("offer"))["sdp"].endswith("a=k")
        await console.send(type="answer", call_id=call_id, sdp=SDP + "a=s", attempt=1)
        assert (await resident.expect("answer"))["sdp"].endswith("a=s")
        await console.send(type="push", call_id=call_id, kind="message", text="请稍候")
        push = await resident.expect("push")
        await resident.send(type="push_done", call_id=call_id, push_id=push["push_id"], ok=True)
        await console.expect("push_done")
        await resident.send(type="hang_up", call_id=call_id)
        assert (await console.expect("ended"))["reason"] == "resident"
        await resident.expect("ended")
        for side in (resident, console):
            await side.close()

    run(scenario)


def test_a_payment_of_the_calls_kiosk_is_found_by_its_reference_without_its_code(
    site: Site,
) -> None:
    credentials = site.kiosk("kiosk-a")
    cookie = site.staff("agent1")
    call_id, payment_id, elsewhere = new_call_id(), secrets.token_hex(16), secrets.token_hex(16)
    now = dt.datetime.now(dt.UTC)
    with site.database.sessions.begin() as session:
        for kiosk_id, paid in (("kiosk-a", payment_id), ("kiosk-b", elsewhere)):
            session.add(
                PaymentRow(
                    id=paid, kiosk_id=kiosk_id, account_number="3201000002", utility="electricity",
                    purpose="prepay", method="code", wallet="wechat", amount=Decimal("20.00"),
                    code_hash="f" * 64, status="paid", created_at=now, updated_at=now, paid_at=now,
                )
            )  # fmt: skip
    reference = "-".join(payment_id[i : i + 4].upper() for i in range(0, 12, 4))

    async def scenario() -> None:
        resident = await kiosk(site.center, credentials)
        await resident.send(type="call", call_id=call_id, context=CONTEXT)
        await resident.expect("waiting")
        console = await staff(site.center, cookie)
        await console.send(type="take", call_id=call_id)
        await console.expect("taken")
        jar = {"staff_session": cookie}
        url = f"{site.center.url}/staff/calls/{call_id}/payment"
        found = requests.get(url, params={"reference": reference}, cookies=jar, timeout=10)
        assert found.status_code == 200, found.text
        body = found.json()
        assert (body["reference"], body["state"], body["amount"]) == (reference, "paid", "20.00")
        assert body["account_masked"] == "3201**0002" and "3201000002" not in found.text
        assert "code" not in "".join(body) and "f" * 64 not in found.text
        other = "-".join(elsewhere[i : i + 4] for i in range(0, 12, 4))
        refused = requests.get(url, params={"reference": other}, cookies=jar, timeout=10)
        assert refused.status_code == 404  # another kiosk's payment is not this call's
        wrong = requests.get(url, params={"reference": "not-a-reference"}, cookies=jar, timeout=10)
        assert wrong.status_code == 422
        await console.send(type="hang_up", call_id=call_id)
        await console.expect("ended")
        after = requests.get(url, params={"reference": reference}, cookies=jar, timeout=10)
        assert after.status_code == 403  # only while the agent holds the call
        await resident.close()
        await console.close()

    run(scenario)


def test_a_call_nobody_takes_ends_no_answer(tmp_path: Path) -> None:
    settings = CallSettings(no_answer_after=dt.timedelta(seconds=1))
    with start_site(f"sqlite:///{tmp_path / 'c.db'}", settings) as site:
        credentials = site.kiosk("kiosk-a")
        call_id = new_call_id()

        async def scenario() -> None:
            resident = await kiosk(site.center, credentials)
            await resident.send(type="call", call_id=call_id, context=CONTEXT)
            await resident.expect("waiting")
            ended = await resident.expect("ended", call_id=call_id, timeout=5)
            assert ended["reason"] == "no_answer"
            await resident.close()

        run(scenario)


def test_both_ends_get_the_configured_stun_and_turn_servers(tmp_path: Path) -> None:
    ice = IceSettings(("stun:stun.example:3478",), ("turn:turn.example:3478",), "s3cret", 600)
    with start_site(f"sqlite:///{tmp_path / 'c.db'}", CallSettings(ice=ice)) as site:
        credentials = site.kiosk("kiosk-a")
        cookie = site.staff("agent1")
        call_id = new_call_id()

        async def scenario() -> None:
            resident = await kiosk(site.center, credentials)
            await resident.send(type="call", call_id=call_id, context=CONTEXT)
            await resident.expect("waiting")
            console = await staff(site.center, cookie)
            await console.send(type="take", call_id=call_id)
            for side, who in (
                (await console.expect("taken"), "agent1"),
                (await resident.expect("answered"), "kiosk-a"),
            ):
                stun, turn = side["ice_servers"]
                assert stun == {"urls": ["stun:stun.example:3478"], "username": None,
                                "credential": None}  # fmt: skip
                assert turn["urls"] == ["turn:turn.example:3478"]
                expiry, named = turn["username"].split(":")
                assert named == who and 0 < int(expiry) - time.time() <= 600
                expected = base64.b64encode(
                    hmac.new(b"s3cret", turn["username"].encode(), hashlib.sha1).digest()
                ).decode()
                assert turn["credential"] == expected
            await resident.close()
            await console.close()

        run(scenario)


def test_a_staff_page_reloaded_takes_its_call_back_or_the_call_ends_link_lost(site: Site) -> None:
    credentials = site.kiosk("kiosk-a")
    cookie = site.staff("agent1")
    call_id, other_call = new_call_id(), new_call_id()

    async def scenario() -> None:
        resident = await kiosk(site.center, credentials)
        await resident.send(type="call", call_id=call_id, context=CONTEXT)
        await resident.expect("waiting")
        console = await staff(site.center, cookie)
        await console.send(type="take", call_id=call_id)
        await console.expect("taken")
        await resident.expect("answered")
        await console.close()  # the page is reloaded
        reloaded = await staff(site.center, cookie)
        await reloaded.send(type="take", call_id=call_id)
        await reloaded.expect("taken", call_id=call_id)
        await resident.expect("answered")  # offer again, to the new page
        await resident.send(type="offer", call_id=call_id, sdp=SDP, attempt=2)
        assert (await reloaded.expect("offer"))["attempt"] == 2
        await reloaded.send(type="take", call_id=other_call)
        assert (await reloaded.expect("error"))["code"] == "busy"
        await reloaded.close()  # and this time it does not come back
        ended = await resident.expect("ended", call_id=call_id, timeout=5)
        assert ended["reason"] == "link_lost"
        await resident.close()

    run(scenario)
    assert ("call_resume", "kiosk-a") in site.audit("agent1")


def test_signing_out_closes_the_staff_socket(site: Site) -> None:
    cookie = site.staff("agent1")

    async def scenario() -> None:
        console = await staff(site.center, cookie)
        home = requests.get(
            f"{site.center.url}/staff/", cookies={"staff_session": cookie}, timeout=10
        )
        csrf = re.search(r'name="csrf" value="([^"]+)"', home.text)
        assert csrf
        out = requests.post(
            f"{site.center.url}/staff/logout", data={"csrf": csrf.group(1)},
            cookies={"staff_session": cookie}, timeout=10, allow_redirects=False,
        )  # fmt: skip
        assert out.status_code == 303
        await console.send(type="take", call_id=new_call_id())
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(console.socket.recv(), WAIT_S)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008

    run(scenario)


def test_a_center_without_signatures_takes_the_kiosk_for_who_it_says(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'dev.db'}"
    with serve_center(db_url, today=DEMO_TODAY, demo_data=False) as center:

        async def scenario() -> None:
            with pytest.raises(InvalidStatus) as nobody:
                await connect(ws_url(center, KIOSK_SOCKET_PATH))
            assert nobody.value.response.status_code == 403
            socket = await connect(
                ws_url(center, KIOSK_SOCKET_PATH), additional_headers={"X-Kiosk-Id": "dev-kiosk"}
            )
            resident = Side(socket)
            call_id = new_call_id()
            await resident.send(type="call", call_id=call_id, context=CONTEXT)
            assert (await resident.expect("waiting"))["place"] == 1
            await resident.send(type="hang_up", call_id=call_id)
            assert (await resident.expect("ended"))["reason"] == "resident"
            await resident.close()

        run(scenario)


@pytest.mark.parametrize(
    ("hours", "open_at", "closed_at"),
    [
        ("08:00-20:00", "08:00", "20:00"),
        ("20:00-08:00", "07:59", "08:00"),
        ("00:00-24:00", "23:59", None),
    ],
)
def test_service_hours(hours: str, open_at: str, closed_at: str | None) -> None:
    parsed = ServiceHours.parse(hours)
    day = dt.date(2026, 12, 3)
    assert parsed.is_open(dt.datetime.combine(day, dt.time.fromisoformat(open_at)))
    if closed_at is not None:
        assert not parsed.is_open(dt.datetime.combine(day, dt.time.fromisoformat(closed_at)))
    assert parsed.text == hours
    with pytest.raises(ValueError):
        ServiceHours.parse("8-20")


def test_two_agents_on_two_processes_race_for_one_call_and_one_wins(
    two_workers: tuple[Site, Site],
) -> None:
    first, second = two_workers
    credentials = first.kiosk(f"kiosk-{secrets.token_hex(3)}")
    cookies = (
        first.staff(f"agent{secrets.token_hex(3)}"),
        second.staff(f"agent{secrets.token_hex(3)}"),
    )
    call_id = new_call_id()

    async def scenario() -> None:
        resident = await kiosk(second.center, credentials)
        await resident.send(type="call", call_id=call_id, context=CONTEXT)
        await resident.expect("waiting")
        one, two = await staff(first.center, cookies[0]), await staff(second.center, cookies[1])
        await asyncio.gather(
            one.send(type="take", call_id=call_id), two.send(type="take", call_id=call_id)
        )

        async def outcome(side: Side) -> str:
            while True:
                message = json.loads(await asyncio.wait_for(side.socket.recv(), WAIT_S))
                if message["type"] == "taken":
                    return "won"
                if message["type"] == "error":
                    assert message["code"] == "already_taken"
                    return "lost"

        assert sorted(await asyncio.gather(outcome(one), outcome(two))) == ["lost", "won"]
        await resident.expect("answered")
        await resident.quiet("answered")
        for side in (resident, one, two):
            await side.close()

    run(scenario)
