"""The two sockets of video help (sync/protocol/calls.py): the kiosk's, signed like every /v1
request, and the staff page's, opened with the console's session cookie.

Each socket reads its side's frames and acts on them through the registry, and forwards what
the signal bus brings for it: the kiosk hears its call's channel (and the queue, to learn its
place), a staff page hears the queue and the channel of the call it took. A frame the center
cannot take gets a SocketError and the socket stays open. A kiosk may speak only of its own
calls, a staff page only of the call it took.

FastAPI reads the handlers' annotations at run time, so this module does not postpone them.
"""

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, WebSocket, WebSocketDisconnect, WebSocketException
from pydantic import ValidationError

from center.calls.bus import Inbox, SignalBus
from center.calls.registry import (
    QUEUE_CHANNEL,
    TAKEN,
    WAITING,
    CallRefused,
    CallRegistry,
    kiosk_channel,
    staff_channel,
)
from center.calls.settings import CallSettings
from center.database import Database
from center.kiosk_auth import SignedKioskSocket
from center.staff.accounts import Role, StaffMember, session_of
from center.staff.web import SESSION_COOKIE
from sync.protocol.calls import (
    FROM_KIOSK,
    FROM_STAFF,
    KIOSK_SOCKET_PATH,
    STAFF_SOCKET_PATH,
    Answered,
    Closed,
    Ended,
    EndReason,
    KioskCall,
    KioskHangUp,
    KioskOffer,
    PushDone,
    Queue,
    RelayedAnswer,
    RelayedOffer,
    SocketError,
    StaffAnswer,
    StaffHangUp,
    StaffPush,
    StaffTake,
    Taken,
    Waiting,
)

log = logging.getLogger(__name__)

CALL_ROLES = (Role.AGENT,)  # and admin, who may do everything
SWEEP_EVERY_S = 0.5
MAX_FRAME = 80_000


async def staff_socket_member(websocket: WebSocket) -> StaffMember:
    """The route guard of the staff socket: a live console session of a role that answers
    calls (agent, admin), opened from the center's own pages (the Origin is this host: a
    WebSocket's CSRF guard). Anything else is closed before it is accepted (HTTP 403). The
    session is checked again before each frame is acted on: signing out closes the socket."""
    origin = websocket.headers.get("origin", "")
    host = websocket.headers.get("host", "")
    if not origin or not host or urlsplit(origin).netloc.lower() != host.lower():
        raise WebSocketException(code=1008, reason="origin")
    token = websocket.cookies.get(SESSION_COOKIE)
    if not token:
        raise WebSocketException(code=1008, reason="not signed in")
    state = websocket.app.state
    found = await asyncio.to_thread(session_of, state.database.sessions, token, state.clock())
    if found is None:
        raise WebSocketException(code=1008, reason="not signed in")
    member, _csrf = found
    if not member.may(*CALL_ROLES):
        raise WebSocketException(code=1008, reason="role")
    websocket.state.staff_token = token
    return member


async def _still_signed_in(websocket: WebSocket) -> bool:
    state = websocket.app.state
    token = websocket.state.staff_token
    found = await asyncio.to_thread(session_of, state.database.sessions, token, state.clock())
    return found is not None


# How often a staff socket's session is checked while the page is quiet.
SESSION_CHECK_S = 5.0

StaffSocketMember = Annotated[StaffMember, Depends(staff_socket_member)]


class _Line:
    """One accepted socket: sends one frame at a time (the reader and the forwarder share it)."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self._lock = asyncio.Lock()

    async def send(self, text: str) -> None:
        async with self._lock:
            await self.websocket.send_text(text)

    async def error(self, code: str, message: str) -> None:
        await self.send(SocketError(code=code, message=message[:200]).model_dump_json())


class CallDesk:
    """The sockets of one center process, the registry they act through, and the process's
    sweeper (calls whose side did not come back, calls nobody answered)."""

    def __init__(
        self, database: Database, settings: CallSettings, clock: Callable[[], dt.datetime]
    ) -> None:
        self.settings = settings
        self._clock = clock
        self.bus = SignalBus(database, clock)
        self.registry = CallRegistry(database.sessions, settings, clock)
        self._sweeper: asyncio.Task[None] | None = None

    def start(self) -> None:
        """In the running loop, once: by the lifespan, or by the first socket without one."""
        self.bus.start()
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep(), name="call-sweeper")

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._sweeper
            self._sweeper = None
        await self.bus.stop()

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_EVERY_S)
            try:
                await asyncio.to_thread(self.registry.sweep)
            except Exception:
                log.exception("the call sweeper failed")

    def routes(self) -> APIRouter:
        router = APIRouter(include_in_schema=False)

        @router.websocket(KIOSK_SOCKET_PATH)
        async def kiosk_socket(websocket: WebSocket, kiosk: SignedKioskSocket) -> None:
            await self.serve_kiosk(websocket, kiosk.kiosk_id)

        @router.websocket(STAFF_SOCKET_PATH)
        async def staff_socket(websocket: WebSocket, member: StaffSocketMember) -> None:
            await self.serve_staff(websocket, member)

        return router

    # -- the kiosk's socket ---------------------------------------------------------------

    async def serve_kiosk(self, websocket: WebSocket, kiosk_id: str) -> None:
        self.start()
        await websocket.accept()
        line, inbox = _Line(websocket), self.bus.inbox()
        inbox.join(QUEUE_CHANNEL)
        # This socket's calls not ended: call id -> the place it was told (0: answered).
        places: dict[str, int] = {}

        async def forward(channel: str, body: str) -> None:
            if channel == QUEUE_CHANNEL:
                await self._tell_places(line, places, body)
                return
            await line.send(body)
            call_id = channel.split(".")[1]
            kind = _type_of(body)
            if kind == "ended":
                places.pop(call_id, None)
                inbox.leave(channel)
            elif kind == "answered":
                places[call_id] = 0

        async def act(text: str) -> None:
            message = FROM_KIOSK.validate_json(text)
            if isinstance(message, KioskCall):
                await self._kiosk_call(line, inbox, places, kiosk_id, message)
            elif isinstance(message, KioskOffer):
                await asyncio.to_thread(
                    self.registry.kiosk_call, kiosk_id, message.call_id, taken=True
                )
                offer = RelayedOffer(
                    call_id=message.call_id, sdp=message.sdp, attempt=message.attempt
                )
                await asyncio.to_thread(
                    self.bus.send, staff_channel(message.call_id), offer.model_dump_json()
                )
            elif isinstance(message, KioskHangUp):
                await asyncio.to_thread(
                    self.registry.end, message.call_id, message.reason, kiosk_id=kiosk_id
                )
            elif isinstance(message, PushDone):
                await asyncio.to_thread(self.registry.push_done, kiosk_id, message)

        try:
            await _converse(websocket, line, inbox, act, forward)
        finally:
            inbox.close()
            for call_id in list(places):
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(self.registry.gone, call_id, "kiosk")

    async def _kiosk_call(
        self, line: _Line, inbox: Inbox, places: dict[str, int], kiosk_id: str, message: KioskCall
    ) -> None:
        hours = self.settings.hours
        if hours is not None and not hours.is_open(self._clock()):
            existing = await asyncio.to_thread(self.registry.call, message.call_id)
            if existing is None:  # a call already under way is resumed whatever the hour
                closed = Closed(call_id=message.call_id, reason="out_of_hours", hours=hours.text)
                await line.send(closed.model_dump_json())
                return
        channel = kiosk_channel(message.call_id)
        inbox.join(channel)  # before the call is written: nothing said after it is missed
        try:
            opened = await asyncio.to_thread(self.registry.open, kiosk_id, message)
        except CallRefused:
            inbox.leave(channel)
            raise
        if opened.outcome == "ended":
            inbox.leave(channel)
            reason = opened.end_reason or EndReason.LINK_LOST
            await line.send(Ended(call_id=message.call_id, reason=reason).model_dump_json())
            return
        if opened.state == WAITING:
            places[message.call_id] = opened.place
            waiting = Waiting(
                call_id=message.call_id, place=opened.place, estimate_s=opened.estimate_s
            )
            await line.send(waiting.model_dump_json())
        else:  # resumed while answered: the kiosk offers again (a new attempt)
            places[message.call_id] = 0
            answered = Answered(
                call_id=message.call_id,
                agent=opened.agent,
                ice_servers=self.settings.ice.servers_for(kiosk_id, self._clock()),
            )
            await line.send(answered.model_dump_json())

    async def _tell_places(self, line: _Line, places: dict[str, int], body: str) -> None:
        calls = Queue.model_validate_json(body).calls
        waiting = [queued.call_id for queued in calls if not queued.taken_by]
        for call_id, told in list(places.items()):
            if told == 0 or call_id not in waiting:
                continue
            place = waiting.index(call_id) + 1
            if place != told:
                _place, estimate = await asyncio.to_thread(self.registry.place, call_id)
                places[call_id] = place
                update = Waiting(call_id=call_id, place=place, estimate_s=estimate or 0)
                await line.send(update.model_dump_json())

    # -- the staff page's socket ----------------------------------------------------------

    async def serve_staff(self, websocket: WebSocket, member: StaffMember) -> None:
        self.start()
        await websocket.accept()
        line, inbox = _Line(websocket), self.bus.inbox()
        inbox.join(QUEUE_CHANNEL)
        held: list[str] = []  # the call this page took, while it lasts (one at most)
        queue = await asyncio.to_thread(self.registry.queue)
        await line.send(queue.model_dump_json())

        async def forward(channel: str, body: str) -> None:
            await line.send(body)
            if channel != QUEUE_CHANNEL and _type_of(body) == "ended":
                call_id = channel.split(".")[1]
                if call_id in held:
                    held.remove(call_id)
                inbox.leave(channel)

        def holding(call_id: str) -> None:
            if call_id not in held:
                raise CallRefused("not_your_call", "this page has not taken this call")

        async def act(text: str) -> None:
            if not await _still_signed_in(websocket):
                await websocket.close(code=1008, reason="signed out")
                return
            message = FROM_STAFF.validate_json(text)
            if isinstance(message, StaffTake):
                await self._take(line, inbox, held, member, message.call_id)
            elif isinstance(message, StaffAnswer):
                holding(message.call_id)
                await asyncio.to_thread(self.registry.held_by, message.call_id, member.login)
                answer = RelayedAnswer(
                    call_id=message.call_id, sdp=message.sdp, attempt=message.attempt
                )
                await asyncio.to_thread(
                    self.bus.send, kiosk_channel(message.call_id), answer.model_dump_json()
                )
            elif isinstance(message, StaffHangUp):
                holding(message.call_id)
                await asyncio.to_thread(
                    self.registry.end, message.call_id, EndReason.STAFF, member=member
                )
            elif isinstance(message, StaffPush):
                holding(message.call_id)
                await asyncio.to_thread(self.registry.push, member, message)

        async def watching_the_session() -> None:
            # A page that sends nothing still loses its socket soon after its session ends
            # (signed out everywhere, expired): not only at its next frame.
            while True:
                await asyncio.sleep(SESSION_CHECK_S)
                if not await _still_signed_in(websocket):
                    await websocket.close(code=1008, reason="signed out")
                    return

        watcher = asyncio.create_task(watching_the_session())
        try:
            await _converse(websocket, line, inbox, act, forward)
        finally:
            watcher.cancel()
            inbox.close()
            for call_id in held:
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(self.registry.gone, call_id, "staff")

    async def _take(
        self, line: _Line, inbox: Inbox, held: list[str], member: StaffMember, call_id: str
    ) -> None:
        if held and held[0] != call_id:
            raise CallRefused("busy", "hang up the call you hold before taking another")
        channel = staff_channel(call_id)
        inbox.join(channel)  # before the kiosk is told: its offer must not be missed
        try:
            await asyncio.to_thread(self.registry.take, call_id, member)
        except CallRefused:
            if call_id not in held:
                inbox.leave(channel)
            raise
        if call_id not in held:
            held.append(call_id)
        taken = Taken(
            call_id=call_id, ice_servers=self.settings.ice.servers_for(member.login, self._clock())
        )
        await line.send(taken.model_dump_json())


def _type_of(body: str) -> str:
    try:
        return str(json.loads(body).get("type", ""))
    except (ValueError, AttributeError):
        return ""


async def _converse(
    websocket: WebSocket,
    line: _Line,
    inbox: Inbox,
    act: Callable[[str], Awaitable[None]],
    forward: Callable[[str, str], Awaitable[None]],
) -> None:
    """Read frames and act on them while forwarding what the bus brings, until the socket
    closes. A frame the center cannot take is answered with a SocketError."""

    async def forwarding() -> None:
        while True:
            channel, body = await inbox.get()
            await forward(channel, body)

    forwarder = asyncio.create_task(forwarding())
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None or len(text) > MAX_FRAME:
                await line.error("malformed", "one JSON message per text frame")
                continue
            try:
                await act(text)
            except ValidationError as wrong:
                problems = [
                    f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
                    for error in wrong.errors()[:2]
                ]
                await line.error("malformed", "; ".join(problems) or "not a message")
            except CallRefused as refused:
                await line.error(refused.code, refused.message)
            except (WebSocketDisconnect, asyncio.CancelledError):
                raise
            except Exception:  # the database, say: this frame failed, the call goes on
                log.exception("a call frame could not be acted on")
                await line.error("internal_error", "the center failed to act on this message")
    except WebSocketDisconnect:
        return
    finally:
        forwarder.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await forwarder


__all__ = ["TAKEN", "CallDesk", "staff_socket_member"]
