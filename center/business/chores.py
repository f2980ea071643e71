"""The business's background chores in a running center: send the queued SMS, delete live
photos whose retention has passed. Every `every` seconds, in a worker thread (both touch the
database and the gateway), until stopped. Several center processes may each run them: an SMS
is claimed by one sender only (center/business/sms.py), and deleting a photo twice is no harm.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from center.business.identity import IdentitySettings, sweep_photos
from center.business.sms import SmsGateway, send_queued
from center.business.storage import FileStore

log = logging.getLogger(__name__)


class BusinessChores:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        files: FileStore,
        gateway: SmsGateway,
        identity: IdentitySettings,
        clock: Callable[[], dt.datetime],
        every: float,
        sweeps: Sequence[Callable[[Session, dt.datetime], object]] = (),
    ) -> None:
        """`sweeps`: other chores, each run in a transaction of its own (the fleet's)."""
        self._sweeps = tuple(sweeps)
        self._sessions = sessions
        self._files = files
        self._gateway = gateway
        self._identity = identity
        self._clock = clock
        self._every = every
        self._task: asyncio.Task[None] | None = None

    def run_once(self) -> None:
        # The sweeps first: the SMS they queue go out in the same turn.
        for sweep in self._sweeps:
            with self._sessions.begin() as session:
                sweep(session, self._clock())
        send_queued(self._sessions, self._gateway, self._clock())
        with self._sessions.begin() as session:
            sweep_photos(session, self._files, self._identity, self._clock())

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.run_once)
            except Exception:  # a database hiccup: try again next time, keep the center up
                log.exception("business chores failed")
            await asyncio.sleep(self._every)
