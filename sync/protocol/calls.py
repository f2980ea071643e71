"""Video help, protocol v1: the messages of a call's signalling, shared by kiosk, center and the
staff console's page.

Two WebSockets meet at the center. The kiosk opens one outgoing socket, `KIOSK_SOCKET_PATH`,
signed like every other kiosk request (a GET with an empty body: the handshake carries the
headers of sync.protocol.signing). Staff open `STAFF_SOCKET_PATH` from the console's call page
with their session cookie. Each side sends JSON text frames, one message each, told apart by
`type`. The kiosk and the browser may hold their sockets on different center workers: the center
passes what one sends to the other through the database, never through one process's memory.

A call, in order:

1. kiosk `call` (its own call id and the context staff see). The center answers `closed` at once
   outside service hours, else `waiting` (place in the queue, estimate), again whenever that
   changes. Sending `call` again with the same id, after a dropped socket, resumes the call.
2. staff `take` a waiting call; the center gives it to the first who asked (`taken` to that
   browser, `queue` to every console) and tells the kiosk `answered`, with the ICE servers.
3. kiosk `offer` (aiortc gathers every candidate first: no trickle), staff `answer`, each
   relayed as `offer` / `answer` to the other side with the same `attempt`. A link that drops
   is mended by a new `offer` with the next attempt (aiortc has no ICE restart).
4. either side `hang_up`; the other is told `ended`. A socket that closes without hanging up
   ends the call after `RESUME_WITHIN_S` unless the kiosk resumes it.

While a call is answered staff may `push` help to the kiosk (open a service screen, show a
message, print a notice); the kiosk answers `push_done`, relayed to the staff page.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from sync.protocol.schemas import _Message

KIOSK_SOCKET_PATH = "/v1/calls/socket"
STAFF_SOCKET_PATH = "/staff/calls/socket"
# How long a call outlives a socket that closed without hanging up: the kiosk reconnects and
# sends `call` with the same id within this.
RESUME_WITHIN_S = 15.0

CallId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
Sdp = Annotated[str, Field(min_length=10, max_length=64_000)]
Attempt = Annotated[int, Field(ge=1, le=1000)]
ShortText = Annotated[str, Field(max_length=200)]
NoticeText = Annotated[str, Field(min_length=1, max_length=500)]


def new_call_id() -> str:
    return uuid.uuid4().hex


class CallContext(_Message):
    """What staff see of a waiting call. No personal data in full: the account is masked by the
    kiosk before it is sent; a payment's reference is not personal (it is printed on receipts)."""

    screen: Annotated[str, Field(max_length=40)]
    language: Annotated[str, Field(max_length=16)]
    station: Annotated[str, Field(max_length=80)] | None = None  # the station's name, in Chinese
    account_masked: Annotated[str, Field(max_length=40)] | None = None
    payment_reference: Annotated[str, Field(max_length=64)] | None = None


class IceServer(_Message):
    """One STUN or TURN server, as RTCPeerConnection takes it (coturn's time-limited REST
    credentials for TURN)."""

    urls: list[Annotated[str, Field(max_length=200)]]
    username: ShortText | None = None
    credential: ShortText | None = None


class PushKind(StrEnum):
    OPEN_SCREEN = "open_screen"
    MESSAGE = "message"
    PRINT_NOTICE = "print_notice"


# The service screens staff may open on a kiosk (the kiosk's own names for them).
PUSHABLE_SCREENS = ("home", "account_entry", "receipts", "info", "info_guides", "info_prices")


class EndReason(StrEnum):
    RESIDENT = "resident"  # the resident hung up or cancelled while waiting
    STAFF = "staff"  # staff hung up
    LINK_LOST = "link_lost"  # the link dropped and did not come back
    NO_ANSWER = "no_answer"  # nobody answered before the center gave up
    CLOSED = "closed"  # outside service hours


# -- the kiosk's messages to the center --------------------------------------------------------


class KioskCall(_Message):
    type: Literal["call"] = "call"
    call_id: CallId
    context: CallContext


class KioskOffer(_Message):
    type: Literal["offer"] = "offer"
    call_id: CallId
    sdp: Sdp
    attempt: Attempt


class KioskHangUp(_Message):
    type: Literal["hang_up"] = "hang_up"
    call_id: CallId
    reason: EndReason = EndReason.RESIDENT


class PushDone(_Message):
    type: Literal["push_done"] = "push_done"
    call_id: CallId
    push_id: CallId
    ok: bool
    detail: ShortText = ""


FromKiosk = Annotated[KioskCall | KioskOffer | KioskHangUp | PushDone, Field(discriminator="type")]

# -- the center's messages to the kiosk --------------------------------------------------------


class Closed(_Message):
    """No call now: outside service hours (`hours` says when), or no staff on duty."""

    type: Literal["closed"] = "closed"
    call_id: CallId
    reason: Literal["out_of_hours", "no_staff"]
    hours: ShortText = ""


class Waiting(_Message):
    type: Literal["waiting"] = "waiting"
    call_id: CallId
    place: Annotated[int, Field(ge=1)]
    estimate_s: Annotated[int, Field(ge=0)]


class Answered(_Message):
    type: Literal["answered"] = "answered"
    call_id: CallId
    agent: ShortText  # the display name staff chose to show
    ice_servers: list[IceServer] = Field(default_factory=list)


class RelayedAnswer(_Message):
    type: Literal["answer"] = "answer"
    call_id: CallId
    sdp: Sdp
    attempt: Attempt


class Ended(_Message):
    type: Literal["ended"] = "ended"
    call_id: CallId
    reason: EndReason


class Push(_Message):
    type: Literal["push"] = "push"
    call_id: CallId
    push_id: CallId
    kind: PushKind
    screen: Annotated[str, Field(max_length=40)] = ""
    text: Annotated[str, Field(max_length=500)] = ""


class SocketError(_Message):
    """A message the center could not take (malformed, for another kiosk's call, out of turn).
    The socket stays open: one bad frame does not end a call."""

    type: Literal["error"] = "error"
    code: Annotated[str, Field(max_length=40)]
    message: ShortText


ToKiosk = Annotated[
    Closed | Waiting | Answered | RelayedAnswer | Ended | Push | SocketError,
    Field(discriminator="type"),
]

# -- the staff page's messages to the center ---------------------------------------------------


class StaffTake(_Message):
    type: Literal["take"] = "take"
    call_id: CallId


class StaffAnswer(_Message):
    type: Literal["answer"] = "answer"
    call_id: CallId
    sdp: Sdp
    attempt: Attempt


class StaffHangUp(_Message):
    type: Literal["hang_up"] = "hang_up"
    call_id: CallId


class StaffPush(_Message):
    type: Literal["push"] = "push"
    call_id: CallId
    kind: PushKind
    screen: Annotated[str, Field(max_length=40)] = ""
    text: Annotated[str, Field(max_length=500)] = ""


FromStaff = Annotated[
    StaffTake | StaffAnswer | StaffHangUp | StaffPush, Field(discriminator="type")
]

# -- the center's messages to the staff page ---------------------------------------------------


class QueuedCall(_Message):
    call_id: CallId
    kiosk_id: ShortText
    station: ShortText
    waiting_s: Annotated[int, Field(ge=0)]
    context: CallContext
    taken_by: ShortText | None = None


class Queue(_Message):
    """Every call waiting or in progress, sent to every console on any change."""

    type: Literal["queue"] = "queue"
    calls: list[QueuedCall]


class Taken(_Message):
    """The call is this browser's: the kiosk's offer follows."""

    type: Literal["taken"] = "taken"
    call_id: CallId
    ice_servers: list[IceServer] = Field(default_factory=list)


class RelayedOffer(_Message):
    type: Literal["offer"] = "offer"
    call_id: CallId
    sdp: Sdp
    attempt: Attempt


ToStaff = Annotated[
    Queue | Taken | RelayedOffer | Ended | PushDone | SocketError, Field(discriminator="type")
]

FROM_KIOSK: TypeAdapter[FromKiosk] = TypeAdapter(FromKiosk)
TO_KIOSK: TypeAdapter[ToKiosk] = TypeAdapter(ToKiosk)
FROM_STAFF: TypeAdapter[FromStaff] = TypeAdapter(FromStaff)
TO_STAFF: TypeAdapter[ToStaff] = TypeAdapter(ToStaff)
