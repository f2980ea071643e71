"""Real-name checks at the center, with the reference center's simulated public identity
service: a match score for the live photo against the card, a threshold, and staff review in
between.

The simulated service (`simulated_score`), deterministic so tests and demos choose outcomes:

- a photo that is not a decodable JPEG/PNG, or shows nothing (a uniform picture: pixel
  standard deviation under 8; no face can be in it) scores 20;
- a test card the service has no record of, an ID number whose sequence code (digits 15-17)
  is 999, scores 10;
- any other pair scores 70 + (the first 4 bytes of sha256(id number + photo bytes) mod 30),
  that is 70 to 99: the same person and photo always get the same score.

Outcome: at or above the threshold (settings, default 80) passed; within the review band below
it (default 10 points: 70 to 79.x) review, for staff; below that failed. A challenge the kiosk
saw fail (turn, blink) is never passed on the score: at best review. A card expired (or not yet
valid) fails with that reason whatever the score.

The live photo is kept behind the storage port while the check may need it (staff review) and
deleted by `sweep_photos` once the check is decided and the retention (settings, default 0
days) has passed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from center.business.progress import CENTER_TIME
from center.business.storage import FileStore, store_content
from center.business.tables import IdentityCheckRow
from center.database import as_utc
from center.errors import Refusal
from rules.id_number import is_valid_id_number
from sync.protocol.business import IdentityCheckAnswer, IdentityCheckRequest, IdentityStatus

log = logging.getLogger(__name__)

THRESHOLD_ENV = "KIOSK_CENTER_IDENTITY_THRESHOLD"
REVIEW_BAND_ENV = "KIOSK_CENTER_IDENTITY_REVIEW_BAND"
PHOTO_RETENTION_ENV = "KIOSK_CENTER_PHOTO_RETENTION_DAYS"

NO_FACE_SCORE = 20.0
UNKNOWN_CARD_SCORE = 10.0
UNKNOWN_CARD_SEQUENCE = "999"  # digits 15-17 of a test card the service has no record of
PHOTO_PREFIX = "faces"


@dataclass(frozen=True)
class IdentitySettings:
    threshold: float = 80.0
    review_band: float = 10.0  # points below the threshold that go to staff review
    photo_retention: dt.timedelta = dt.timedelta(0)  # after the decision

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> IdentitySettings:
        env = os.environ if env is None else env
        settings = cls(
            threshold=float(env.get(THRESHOLD_ENV, cls.threshold)),
            review_band=float(env.get(REVIEW_BAND_ENV, cls.review_band)),
            photo_retention=dt.timedelta(days=float(env.get(PHOTO_RETENTION_ENV, 0))),
        )
        if not 0 <= settings.threshold <= 100 or settings.review_band < 0:
            raise ValueError(f"{THRESHOLD_ENV} is a score 0-100, {REVIEW_BAND_ENV} not negative")
        return settings


def simulated_score(id_number: str, photo: bytes) -> tuple[float, str | None]:
    """The simulated identity service's score (0-100) and, when it is low for a known reason,
    that reason (an English key)."""
    if _no_face(photo):
        return NO_FACE_SCORE, "no_face"
    if id_number[14:17] == UNKNOWN_CARD_SEQUENCE:
        return UNKNOWN_CARD_SCORE, "card_not_on_record"
    digest = hashlib.sha256(id_number.encode() + photo).digest()
    return 70.0 + int.from_bytes(digest[:4], "big") % 30, None


def check_identity(
    session: Session,
    files: FileStore,
    settings: IdentitySettings,
    kiosk_id: str,
    request: IdentityCheckRequest,
    now: dt.datetime,
) -> IdentityCheckAnswer:
    """Decide a kiosk's real-name check (or answer the decision again for the same id)."""
    check_id = str(request.check_id)
    existing = session.get(IdentityCheckRow, check_id)
    if existing is not None:
        if existing.kiosk_id != kiosk_id:
            raise Refusal(409, "identity_check_exists", "this check id is taken")
        return answer_of(existing)
    if not is_valid_id_number(request.id_number):
        raise Refusal(422, "invalid_id_number", "the ID number's check digit is wrong")
    try:
        photo = base64.b64decode(request.photo_jpeg, validate=True)
    except (binascii.Error, ValueError):
        raise Refusal(422, "invalid_photo", "the photo is not valid base64") from None
    score, low_reason = simulated_score(request.id_number, photo)
    status, reason = _outcome(score, low_reason, settings, request, now)
    key, _digest = store_content(files, photo, PHOTO_PREFIX)
    decided = status is not IdentityStatus.REVIEW
    row = IdentityCheckRow(
        check_id=check_id,
        kiosk_id=kiosk_id,
        station=kiosk_id,
        id_number=request.id_number,
        name=request.name,
        score=score,
        threshold=settings.threshold,
        challenge=request.liveness.challenge.value,
        challenge_passed=request.liveness.passed,
        status=status.value,
        reason=reason,
        photo_key=key,
        decided_by="identity-service" if decided else None,
        created_at=now,
        decided_at=now if decided else None,
    )
    session.add(row)
    log.info("identity check", extra={"check": check_id, "status": status.value})
    return answer_of(row)


def decide_after_review(
    session: Session, check_id: str, *, passed: bool, by: str, now: dt.datetime
) -> IdentityCheckAnswer:
    """Staff's decision on a doubtful check (status review), in the caller's transaction."""
    row = session.get(IdentityCheckRow, check_id)
    if row is None:
        raise Refusal(404, "identity_check_not_found", f"no identity check {check_id}")
    if row.status != IdentityStatus.REVIEW.value:
        raise Refusal(409, "identity_check_decided", "this check is decided already")
    row.status = (IdentityStatus.PASSED if passed else IdentityStatus.FAILED).value
    row.reason = None if passed else "rejected_by_staff"
    row.decided_by = by
    row.decided_at = now
    log.info("identity check reviewed", extra={"check": check_id, "status": row.status})
    return answer_of(row)


def sweep_photos(
    session: Session, files: FileStore, settings: IdentitySettings, now: dt.datetime
) -> int:
    """Delete the live photos of checks decided longer than the retention ago: how many.
    A photo that an undecided check also holds (the same bytes) stays until that one is."""
    cutoff = now - settings.photo_retention
    rows = session.scalars(
        select(IdentityCheckRow).where(
            IdentityCheckRow.photo_key.is_not(None),
            IdentityCheckRow.decided_at.is_not(None),
            IdentityCheckRow.decided_at <= cutoff,
        )
    ).all()
    swept = 0
    for row in rows:
        key = row.photo_key
        assert key is not None
        still_needed = session.scalars(
            select(IdentityCheckRow.check_id).where(
                IdentityCheckRow.photo_key == key,
                IdentityCheckRow.check_id != row.check_id,
                IdentityCheckRow.decided_at.is_(None),
            )
        ).first()
        row.photo_key = None
        if still_needed is None:
            files.delete(key)
        swept += 1
    return swept


def answer_of(row: IdentityCheckRow) -> IdentityCheckAnswer:
    return IdentityCheckAnswer(
        check_id=row.check_id,  # type: ignore[arg-type]  # pydantic reads the UUID text
        status=IdentityStatus(row.status),
        score=row.score,
        threshold=row.threshold,
        reason=row.reason,
    )


def _outcome(
    score: float,
    low_reason: str | None,
    settings: IdentitySettings,
    request: IdentityCheckRequest,
    now: dt.datetime,
) -> tuple[IdentityStatus, str | None]:
    today = as_utc(now).astimezone(CENTER_TIME).date()
    if request.valid_until is not None and request.valid_until < today:
        return IdentityStatus.FAILED, "card_expired"
    if request.valid_from > today:
        return IdentityStatus.FAILED, "card_not_yet_valid"
    if score < settings.threshold - settings.review_band:
        return IdentityStatus.FAILED, low_reason or "face_not_matched"
    if score < settings.threshold:
        return IdentityStatus.REVIEW, None
    if not request.liveness.passed:
        # A still photo held up may match perfectly: the failed challenge outweighs the score.
        return IdentityStatus.REVIEW, None
    return IdentityStatus.PASSED, None


def _no_face(photo: bytes) -> bool:
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(photo, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    return image is None or float(image.std()) < 8.0
