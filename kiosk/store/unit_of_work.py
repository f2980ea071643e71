"""The unit of work (cosmicpython's shape): one transaction for a business change and its events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from kiosk.store.outbox import Outbox


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UnitOfWork:
    """Use as `with store.unit_of_work() as uow: ...; uow.commit()`.

    Leaving the block without `commit()` (or by an exception) rolls everything back: the
    business rows and the outbox rows together.
    """

    session: Session
    outbox: Outbox

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        after_events_committed: Callable[[], None] | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._session_factory = session_factory
        self._after_events_committed = after_events_committed
        self._clock = clock

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.outbox = Outbox(self.session, self._clock)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # After a commit this is a no-op; otherwise it undoes everything.
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()
        queued, self.outbox.added = self.outbox.added, []
        if queued and self._after_events_committed is not None:
            self._after_events_committed()

    def rollback(self) -> None:
        self.session.rollback()
        self.outbox.added = []
