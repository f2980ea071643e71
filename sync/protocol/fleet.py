"""Protocol v1, the fleet: heartbeat with the kiosk's health, remote commands and their acks.

The kiosk posts a `Heartbeat` every few seconds; the center keeps it as the kiosk's last seen
health and answers the commands still waiting for that kiosk. The kiosk carries each command
out once and acknowledges it (`CommandAck`) to `/v1/commands/{id}/ack`. Operators queue commands
and read the fleet's health through the admin routes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from sync.protocol.schemas import _Message

CommandKind = Literal["lock", "unlock", "sync_now", "reload_settings", "restart", "screenshot"]
HealthLevel = Literal["ok", "warning", "fault", "unknown"]
CommandStatus = Literal["pending", "done", "failed"]
ShortText = Annotated[str, Field(max_length=200)]
Message = Annotated[str, Field(min_length=1, max_length=300)]


class DeviceHealth(_Message):
    """One device as its driver's check_health() saw it. `detail` is never personal data."""

    name: Annotated[str, Field(min_length=1, max_length=40)]
    status: HealthLevel
    detail: ShortText = ""


class Versions(_Message):
    app: Annotated[str, Field(max_length=40)]
    protocol: Annotated[str, Field(max_length=10)]
    config_hash: Annotated[str, Field(max_length=64)]


class KioskHealth(_Message):
    devices: list[DeviceHealth] = Field(default_factory=list, max_length=20)
    queue_depth: Annotated[int, Field(ge=0)] | None = None
    queue_parked: Annotated[int, Field(ge=0)] | None = None
    oldest_unsent: dt.datetime | None = None
    last_sync: dt.datetime | None = None
    disk_free_bytes: Annotated[int, Field(ge=0)] | None = None
    locked: bool = False
    versions: Versions
    station_id: Annotated[str, Field(max_length=40)] | None = None
    # The receipt roll: what is left, estimated from what was printed since it was fitted.
    paper_left_pct: Annotated[int, Field(ge=0, le=100)] | None = None
    # A resident's session going on since then (None: the kiosk waits on its idle screen).
    session_since: dt.datetime | None = None


class Heartbeat(_Message):
    kiosk_id: Annotated[str, Field(min_length=1, max_length=64)]
    sent_at: dt.datetime
    health: KioskHealth


class RemoteCommand(_Message):
    """What the center asks one kiosk to do; `id` makes it idempotent at the kiosk."""

    id: UUID
    kind: CommandKind
    message_zh: Message | None = None  # lock: what residents read on the lock screen
    message_en: Message | None = None
    issued_at: dt.datetime
    # sync.protocol.signing.command_signature, with the kiosk's secret (None: an unenrolled
    # kiosk of a center that does not require signatures).
    signature: Annotated[str, Field(max_length=64)] | None = None

    def signed_fields(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "issued_at": self.issued_at.isoformat(),
        }


class HeartbeatAnswer(_Message):
    commands: list[RemoteCommand] = Field(default_factory=list)
    server_time: dt.datetime


class CommandAck(_Message):
    status: Literal["done", "failed"]
    reason: ShortText | None = None
    done_at: dt.datetime


class CommandOrder(_Message):
    """An operator's request for a new command (admin API)."""

    kind: CommandKind
    message_zh: Message | None = None
    message_en: Message | None = None


class CommandRecord(_Message):
    """A command as the center keeps it: pending until the kiosk acknowledges it."""

    id: UUID
    kiosk_id: str
    kind: CommandKind
    status: CommandStatus
    reason: str | None = None
    issued_at: dt.datetime
    acked_at: dt.datetime | None = None


class FleetKiosk(_Message):
    kiosk_id: str
    last_seen: dt.datetime
    health: KioskHealth
    pending_commands: int


class FleetView(_Message):
    kiosks: list[FleetKiosk]


class AuditHead(_Message):
    """The last entry of a kiosk's audit trail the center holds (rules.audit_chain): the kiosk's
    own trail must contain it, unchanged. `seq` 0: the center holds none yet."""

    seq: Annotated[int, Field(ge=0)]
    hash: Annotated[str, Field(pattern=r"^([0-9a-f]{64})?$")]
    broken_at: Annotated[int, Field(ge=1)] | None = None  # the first entry the center saw unchained


SCREENSHOT_MAX_BYTES = 3_000_000  # a 1920x1080 PNG of the kiosk's screen is some 200 KB


class Screenshot(_Message):
    """The kiosk's screen as the center asked for it (a `screenshot` command): a PNG, with what
    a resident's session shows made unreadable."""

    command_id: UUID
    taken_at: dt.datetime
    png_base64: Annotated[str, Field(min_length=8, max_length=SCREENSHOT_MAX_BYTES * 4 // 3 + 4)]
    masked: bool  # a session was going on: its screen is blurred


class ScreenshotStored(_Message):
    bytes: Annotated[int, Field(ge=0)]
