"""The SMS outbox: news for a resident is queued in the transaction that made it, and a sender
hands queued messages to a gateway once each.

A message is claimed by one UPDATE that moves it from "queued" to "sending" (and names the
claimed rows back), so two senders running at once never both send the same message: the row
one of them moved is no longer "queued" for the other. Once claimed, a message is sent at most
once; a sender that dies mid-send leaves it "sending" for staff to see, never sends it twice.

The reference center's gateway (`RecordingGateway`) only records; a real one (an operator's
SMS API) implements `SmsGateway`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from center.business.tables import SmsRow
from rules.masking import mask_digits

log = logging.getLogger(__name__)

QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
MAX_ATTEMPTS = 3  # a message a gateway refused this often is left "failed" for staff


class SmsFailed(Exception):
    """The gateway did not take the message; the text says why (no phone, no text in it)."""


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Hand one message over; raise SmsFailed when the gateway refuses it."""


class RecordingGateway:
    """The reference center's gateway: keeps what it was given (tests and demos read it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        with self._lock:
            self.sent.append((phone, text))


def queue_sms(session: Session, phone: str, text: str, about: str | None, now: dt.datetime) -> None:
    """Queue a message in the caller's transaction: it exists only if the news commits."""
    session.add(
        SmsRow(phone=phone, text=text, about=about, state=QUEUED, attempts=0, created_at=now)
    )


def send_queued(
    sessions: sessionmaker[Session], gateway: SmsGateway, now: dt.datetime, *, limit: int = 50
) -> int:
    """Claim up to `limit` queued messages, send each once: how many the gateway took."""
    with sessions.begin() as session:
        oldest = select(SmsRow.id).where(SmsRow.state == QUEUED).order_by(SmsRow.id).limit(limit)
        claimed = list(
            session.execute(
                update(SmsRow)
                .where(SmsRow.id.in_(oldest.scalar_subquery()), SmsRow.state == QUEUED)
                .values(state=SENDING)
                .returning(SmsRow.id, SmsRow.phone, SmsRow.text, SmsRow.attempts)
            )
        )
    sent = 0
    for row_id, phone, text, attempts in sorted(claimed):
        error: str | None = None
        try:
            gateway.send(phone, text)
        except SmsFailed as failure:
            error = str(failure)[:200]
            log.warning("SMS to %s not sent: %s", mask_digits(phone, 3, 2), error)
        with sessions.begin() as session:
            if error is None:
                values: dict[str, object] = dict(state=SENT, sent_at=now, attempts=attempts + 1)
                sent += 1
            else:
                again = attempts + 1 < MAX_ATTEMPTS
                values = dict(state=QUEUED if again else FAILED, attempts=attempts + 1)
                values["last_error"] = error
            session.execute(update(SmsRow).where(SmsRow.id == row_id).values(**values))
    return sent
