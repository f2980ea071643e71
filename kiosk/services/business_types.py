"""What the business screens hand to the services and get back: plain data, no Qt.

The screens build a `ReadyApplication` (the domain's `Draft`, the photographed pages, the
signature) and `UseCases.submit_application` queues it; `UseCases.application_progress` answers
where one stands, from the center or, while it still waits in this kiosk's queue, from here.
Everything personal in these objects lives only as long as the resident's session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kiosk.domain.applications import Draft

# The protocol's words the screens use, through the services (re-exported).
from sync.protocol.business import ApplicationProgress
from sync.protocol.business import Challenge as Challenge
from sync.protocol.business import IdentityCheckAnswer as IdentityCheckAnswer
from sync.protocol.business import IdentityStatus as IdentityStatus


@dataclass(frozen=True)
class CardHolder:
    """The ID card's fields the business needs (the photo on the chip is not readable here)."""

    name: str
    id_number: str
    address: str
    valid_from: dt.date
    valid_until: dt.date | None  # None: valid for life

    def __repr__(self) -> str:  # never a whole ID number or name in a log
        return f"CardHolder(id_number={self.id_number[:3]}…)"

    def card_fields(self) -> dict[str, str]:
        return {"name": self.name, "id_number": self.id_number, "address": self.address}


@dataclass(frozen=True)
class PagePhoto:
    """One document page as the resident accepted it: found, straightened, compressed."""

    document: str  # the document id (kiosk.domain.applications.DocumentNeed.id)
    jpeg: bytes
    sharpness: float

    def __repr__(self) -> str:
        return f"PagePhoto({self.document}, {len(self.jpeg)} bytes)"


@dataclass(frozen=True)
class PageSeen:
    """What the camera shows when a document is held to it: the picture for the screen, the
    page's corners in it, and, when the page is good, the page straightened and compressed."""

    picture: object  # the camera's picture (a numpy array, BGR or grey), drawn on the screen
    corners: tuple[tuple[float, float], ...] | None  # TL, TR, BR, BL in the picture's pixels
    problem: str | None  # why it will not do, in the resident's English words; None: good
    jpeg: bytes | None  # the straightened page as it would be sent, when good
    sharpness: float

    def __repr__(self) -> str:
        return f"PageSeen(problem={self.problem!r}, {len(self.jpeg or b'')} bytes)"


@dataclass(frozen=True)
class FaceSeen:
    """What the camera shows at the real-name check: the picture for the screen, the face's box
    in it, and, when the face will do and its eyes are open, the face cropped and compressed."""

    picture: object  # the camera's picture (a numpy array, BGR or grey), drawn on the screen
    box: tuple[int, int, int, int] | None  # x, y, width, height in the picture's pixels
    problem: str | None  # why it will not do yet, in the resident's English words; None: good
    eyes: str  # "open", "shut" or "unsure"
    centre: tuple[float, float] | None  # of the picture
    width: float  # the face's width, of the picture's
    jpeg: bytes | None

    def __repr__(self) -> str:
        return f"FaceSeen(problem={self.problem!r}, eyes={self.eyes}, {len(self.jpeg or b'')} B)"


@dataclass(frozen=True)
class SignedPad:
    """The signature as drawn on the pad: strokes of (x, y, ms) and the picture of them."""

    strokes: tuple[tuple[tuple[int, int, int], ...], ...]
    width: int
    height: int
    png: bytes
    content_sha256: str  # of the application content shown while signing
    signed_at: dt.datetime


@dataclass(frozen=True)
class LiveFace:
    """What the kiosk saw at the real-name check: the face photo and the active challenge."""

    jpeg: bytes
    challenge: Challenge
    passed: bool
    frames: int

    def __repr__(self) -> str:
        return f"LiveFace({self.challenge}, passed={self.passed}, {len(self.jpeg)} B)"


@dataclass
class ReadyApplication:
    number: str
    draft: Draft
    pages: list[PagePhoto] = field(default_factory=list)
    signature: SignedPad | None = None
    identity_check_id: str | None = None
    language: str = "zh_CN"
    resubmission_of: str | None = None


@dataclass(frozen=True)
class Submitted:
    number: str
    slip_printed: bool
    queued_only: bool  # the center was not reachable: it goes when the link is back


@dataclass(frozen=True)
class WaitingHere:
    """An application still in this kiosk's queue: the center has not got it yet."""

    number: str
    kind: str
    submitted_at: dt.datetime


Progress = ApplicationProgress | WaitingHere
