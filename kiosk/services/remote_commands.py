"""Remote commands from the center: lock (with a message), unlock, sync now, reload settings.

Each command is carried out once, whatever how often the center hands it over: its id and its
outcome are written in the same transaction as the change it makes (the lock state, kept in the
store's kiosk_state so it survives a restart) and the `audit.command` event that reports it.
A command seen again is not carried out again; its recorded outcome is acknowledged again.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.services.audit import AuditTrail
from kiosk.services.listeners import Listeners
from kiosk.services.ports import UnitOfWork, UnitOfWorkFactory
from sync.protocol.events import CommandCarriedOut
from sync.protocol.fleet import CommandAck, RemoteCommand

log = logging.getLogger(__name__)

LOCK_KEY = "remote_lock"
Hook = Callable[[], None]
LockListener = Callable[["LockState | None"], None]


@dataclass(frozen=True)
class LockState:
    """The kiosk is locked by the center: residents see this message and nothing else."""

    message_zh: str
    message_en: str
    locked_at: dt.datetime


class KioskState(Protocol):
    """Small durable facts of the kiosk (kiosk.store.kiosk_state), read alone or written
    inside a unit of work's transaction."""

    def read(self, key: str) -> str | None: ...

    def write(self, uow: UnitOfWork, key: str, value: str) -> None: ...


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _command_key(command_id: object) -> str:
    return f"command.{command_id}"


class RemoteCommands:
    """Carries out the center's commands and keeps the lock state. Thread-safe."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        state: KioskState,
        *,
        kiosk_id: str,
        audit: AuditTrail | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
        verify: Callable[[RemoteCommand], bool] | None = None,
    ) -> None:
        """`verify`: whether a command carries the center's signature for this kiosk (None:
        an unenrolled kiosk, which cannot check, carries out what it is given)."""
        self._verify = verify
        self._unit_of_work = unit_of_work
        self._audit = audit or AuditTrail(unit_of_work, kiosk_id=kiosk_id, clock=clock)
        self._state = state
        self._kiosk_id = kiosk_id
        self._clock = clock
        self._lock = threading.Lock()
        self._listeners: Listeners[LockListener] = Listeners("lock")
        # Filled by the composition root: wake the relay and the reference-data pull; re-read
        # the reference settings.
        self.sync_now_hooks: list[Hook] = []
        self.reload_settings_hooks: list[Hook] = []
        # Restart the app: the hook only asks for it, so the acknowledgement goes out first.
        self.restart_hooks: list[Hook] = []
        # The screen, taken and sent for the command given (kiosk/app.py).
        self.screenshot_hooks: list[Callable[[RemoteCommand], None]] = []
        self._lock_state = _lock_from_text(state.read(LOCK_KEY))

    @property
    def lock_state(self) -> LockState | None:
        return self._lock_state

    def watch_lock(self, listener: LockListener) -> Callable[[], None]:
        return self._listeners.watch(listener)

    def carry_out(self, command: RemoteCommand) -> CommandAck:
        """Do `command` unless it was done before; the acknowledgement to send either way."""
        with self._lock:
            known = self._state.read(_command_key(command.id))
            if known is not None:
                log.info("command %s (%s) seen again: not repeated", command.id, command.kind)
                return CommandAck.model_validate_json(known)
            if self._verify is not None and not self._verify(command):
                return self._refuse(command)
            ack, changed = self._do(command)
        if changed:
            self._tell(self._lock_state)
        return ack

    def lock_here(self, who: str, message_zh: str, message_en: str) -> None:
        """Out of service, put by a technician at the kiosk: as a lock from the center, kept
        across restarts and lifted by either."""
        state = LockState(message_zh, message_en, self._clock())
        self._set_lock_by(who, state, f"out of service «{message_zh} / {message_en}»")

    def unlock_here(self, who: str) -> None:
        self._set_lock_by(who, None, "back in service")

    def _set_lock_by(self, who: str, state: LockState | None, detail: str) -> None:
        with self._lock:
            with self._unit_of_work() as uow:
                self._state.write(uow, LOCK_KEY, _lock_to_text(state))
                action = "service.out" if state is not None else "service.back"
                self._audit.record_in(uow, who, action, detail)
                uow.commit()
            changed = state != self._lock_state
            self._lock_state = state
        if changed:
            self._tell(state)

    def _refuse(self, command: RemoteCommand) -> CommandAck:
        """A command without the center's signature: not carried out, and audited. Not
        remembered either: one the center really sent and signs next time still goes through."""
        log.warning(
            "command %s (%s) refused: its signature does not verify", command.id, command.kind
        )
        self._audit.record(
            "center", f"command.{command.kind}", f"{command.id} refused: not signed by the center"
        )
        return CommandAck(status="failed", reason="signature not valid", done_at=self._clock())

    # -- work ------------------------------------------------------------------------------

    def _do(self, command: RemoteCommand) -> tuple[CommandAck, bool]:
        new_lock = self._lock_state
        reason: str | None = None
        if command.kind == "lock":
            new_lock = LockState(
                message_zh=command.message_zh or "本机暂停服务",
                message_en=command.message_en or "This kiosk is out of service",
                locked_at=self._clock(),
            )
        elif command.kind == "unlock":
            new_lock = None
        else:
            hooks: dict[str, list[Hook]] = {
                "sync_now": self.sync_now_hooks,
                "reload_settings": self.reload_settings_hooks,
                "restart": self.restart_hooks,
                "screenshot": [functools.partial(hook, command) for hook in self.screenshot_hooks],
            }
            reason = _run_hooks(command.kind, hooks[command.kind])
        ack = CommandAck(
            status="failed" if reason else "done", reason=reason, done_at=self._clock()
        )
        changed = new_lock != self._lock_state
        with self._unit_of_work() as uow:
            if command.kind in ("lock", "unlock"):
                self._state.write(uow, LOCK_KEY, _lock_to_text(new_lock))
            self._state.write(uow, _command_key(command.id), ack.model_dump_json())
            audit = CommandCarriedOut(
                command_id=command.id,
                kind=command.kind,
                status=ack.status,
                reason=reason,
                locked=new_lock is not None,
            )
            uow.outbox.add(audit, aggregate_id=self._kiosk_id)
            self._audit.record_in(
                uow, "center", f"command.{command.kind}", _command_detail(command, ack)
            )
            uow.commit()
        self._lock_state = new_lock
        log.info("command %s (%s): %s", command.id, command.kind, ack.status)
        return ack, changed

    def _tell(self, state: LockState | None) -> None:
        self._listeners.tell(state)


def _command_detail(command: RemoteCommand, ack: CommandAck) -> str:
    said = (
        f" «{command.message_zh or ''} / {command.message_en or ''}»"
        if command.kind == "lock"
        else ""
    )
    why = f": {ack.reason}" if ack.reason else ""
    return f"{command.id} {ack.status}{why}{said}"


def _run_hooks(kind: str, hooks: list[Hook]) -> str | None:
    """None when every hook ran; else the first failure, short, for the acknowledgement."""
    if not hooks:
        return f"nothing on this kiosk handles {kind}"
    for hook in hooks:
        try:
            hook()
        except Exception as error:
            log.exception("%s hook failed", kind)
            return f"{type(error).__name__}: {error}"[:200]
    return None


def _lock_to_text(state: LockState | None) -> str:
    if state is None:
        return ""  # unlocked
    return json.dumps(
        {
            "message_zh": state.message_zh,
            "message_en": state.message_en,
            "locked_at": state.locked_at.isoformat(),
        },
        ensure_ascii=False,
    )


def _lock_from_text(text: str | None) -> LockState | None:
    if not text:
        return None
    data = json.loads(text)
    return LockState(
        message_zh=data["message_zh"],
        message_en=data["message_en"],
        locked_at=dt.datetime.fromisoformat(data["locked_at"]),
    )
