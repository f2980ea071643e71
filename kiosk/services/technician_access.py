"""Who may enter maintenance mode: a technician's PIN or card, checked against slow hashes
(argon2id) from the configuration, with entry locked after too many wrong attempts.

Every attempt, right or wrong, is entered in the audit trail, in the same transaction as the
count of wrong attempts (kiosk_state), so a restart neither forgets a lock nor loses an entry.
The PIN is never kept nor logged; a card is named by its masked ID number only. Checking a hash
takes tens of milliseconds on purpose: the screens call these from their worker pool.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kiosk.domain.technician_access import EntryLock, EntryRules
from kiosk.services.audit import AuditTrail
from kiosk.services.ports import UnitOfWorkFactory
from kiosk.services.remote_commands import KioskState
from rules.masking import mask_id_number

log = logging.getLogger(__name__)

LOCK_KEY = "maintenance.entry_lock"
TECHNICIAN = "technician"


class Refusal(StrEnum):
    WRONG_PIN = "wrong_pin"
    UNKNOWN_CARD = "unknown_card"
    LOCKED = "locked"  # too many wrong attempts: wait
    NO_PIN = "no_pin"  # this kiosk has no PIN set: a card only


@dataclass(frozen=True)
class AccessAnswer:
    granted: bool
    refusal: Refusal | None = None
    tries_left: int = 0
    locked_until: dt.datetime | None = None
    who: str = TECHNICIAN  # the actor the audit trail names


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hash_secret(secret: str) -> str:
    """The argon2id hash to put in the configuration for a PIN or a card's ID number."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(secret)


class TechnicianAccess:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        state: KioskState,
        audit: AuditTrail,
        *,
        pin_hash: str,
        card_hashes: Sequence[str] = (),
        rules: EntryRules | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._state = state
        self._audit = audit
        self._pin_hash = pin_hash
        self._card_hashes = tuple(card_hashes)
        self._rules = rules or EntryRules()
        self._clock = clock
        self._lock = threading.Lock()  # one attempt at a time: the count must not race

    @property
    def has_pin(self) -> bool:
        return bool(self._pin_hash)

    def entry_lock(self) -> EntryLock:
        return EntryLock.from_text(self._state.read(LOCK_KEY)).current(self._clock())

    def try_pin(self, pin: str) -> AccessAnswer:
        with self._lock:
            now = self._clock()
            lock = EntryLock.from_text(self._state.read(LOCK_KEY))
            if lock.locked(now):
                self._audit.record(TECHNICIAN, "entry.refused", "PIN while entry is locked")
                return AccessAnswer(False, Refusal.LOCKED, 0, lock.locked_until)
            if not self._pin_hash:
                self._audit.record(TECHNICIAN, "entry.refused", "PIN given, but none is set")
                return AccessAnswer(False, Refusal.NO_PIN, lock.tries_left(self._rules, now))
            if self._matches(self._pin_hash, pin):
                return self._granted(TECHNICIAN, "by PIN")
            return self._failed(lock, now, TECHNICIAN, Refusal.WRONG_PIN, "wrong PIN")

    def try_card(self, id_number: str) -> AccessAnswer:
        who = f"card {mask_id_number(id_number)}"[:40]
        with self._lock:
            now = self._clock()
            lock = EntryLock.from_text(self._state.read(LOCK_KEY))
            if lock.locked(now):
                self._audit.record(who, "entry.refused", "card while entry is locked")
                return AccessAnswer(False, Refusal.LOCKED, 0, lock.locked_until, who)
            if any(self._matches(known, id_number) for known in self._card_hashes):
                return self._granted(who, "by technician card")
            return self._failed(lock, now, who, Refusal.UNKNOWN_CARD, "not a technician's card")

    # -- work ------------------------------------------------------------------------------

    def _matches(self, known: str, given: str) -> bool:
        # Imported when first asked: nothing of it is needed to start the kiosk.
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return PasswordHasher().verify(known, given)
        except VerificationError:
            return False
        except InvalidHashError:
            log.error("maintenance: a configured hash is not an argon2 hash; it never matches")
            return False

    def _granted(self, who: str, how: str) -> AccessAnswer:
        with self._unit_of_work() as uow:
            self._state.write(uow, LOCK_KEY, EntryLock().to_text())
            self._audit.record_in(uow, who, "maintenance.entered", how)
            uow.commit()
        return AccessAnswer(True, who=who)

    def _failed(
        self, lock: EntryLock, now: dt.datetime, who: str, refusal: Refusal, what: str
    ) -> AccessAnswer:
        after = lock.after_failure(self._rules, now)
        left = after.tries_left(self._rules, now)
        detail = (
            f"{what}: entry locked until {after.locked_until:%H:%M} UTC"
            if after.locked(now)
            else f"{what}: {left} tries left"
        )
        with self._unit_of_work() as uow:
            self._state.write(uow, LOCK_KEY, after.to_text())
            self._audit.record_in(uow, who, "entry.refused", detail)
            uow.commit()
        if after.locked(now):
            return AccessAnswer(False, Refusal.LOCKED, 0, after.locked_until, who)
        return AccessAnswer(False, refusal, left, None, who)
