"""What the maintenance screens do, on the running kiosk's own devices, queue and lock.

The in-app counterpart of the `kiosk device` commands: the same tests (kiosk/technician.py,
given as `exercise`), through the devices the kiosk already holds open. Every step a technician
takes is entered in the audit trail under the name they entered with. Each method but
`camera_frame` may wait on a device or the store: the screens call them from their worker pool.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from drivers.contracts import Camera, Device, PrintJob
from kiosk.domain.payment import ReceiptStatus
from kiosk.services.audit import AuditTrail
from kiosk.services.heartbeat import QueueStatus, device_health
from kiosk.services.paper_roll import PaperCounter
from kiosk.services.payment_types import PaymentLine
from kiosk.services.remote_commands import LockState, RemoteCommands
from kiosk.services.technician_access import TechnicianAccess
from sync.protocol.fleet import DeviceHealth

if TYPE_CHECKING:
    from kiosk.services.paying import Payments

log = logging.getLogger(__name__)


class RelayFacts(QueueStatus, Protocol):
    """What the queue page shows of delivery to the center (sync.relay.RelayStatus)."""

    @property
    def last_error(self) -> str | None: ...
    @property
    def failures_in_a_row(self) -> int: ...


# exercise(kind, device, wait_s, out) -> 0 when the device's test passed (kiosk/technician.py)
Exercise = Callable[[str, Device, float, TextIO], int]


__all__ = [
    "DeviceHealth",
    "LogLine",
    "MaintenanceDesk",
    "PaymentLine",
    "QueueFacts",
    "Setting",
    "TestOutcome",
    "UsbExport",
]


@dataclass(frozen=True)
class Setting:
    """One setting: its value now, the value saved for the next start, and how it may be
    changed (choices, or a range and a step; neither: shown only)."""

    key: str
    value: Any
    next_value: Any
    choices: tuple[Any, ...] = ()
    low: float = 0
    high: float = 0
    step: float = 0

    @property
    def editable(self) -> bool:
        return bool(self.choices or self.step)


class Settings(Protocol):
    """The technician's settings (kiosk/site_settings.py)."""

    def lines(self) -> list[Setting]: ...

    def change(self, changes: dict[str, Any]) -> str | None: ...


@dataclass(frozen=True)
class LogLine:
    time: str
    level: str
    logger: str
    message: str  # masked


@dataclass(frozen=True)
class UsbExport:
    folder: str | None  # where the files went; None when they could not
    files: int
    bytes: int
    problem: str | None = None


class Logs(Protocol):
    """The kiosk's log and its export (kiosk/log_book.py)."""

    def last_lines(self, level: str = "all", limit: int = 200) -> list[LogLine]: ...

    def export(self, now: dt.datetime) -> UsbExport: ...


@dataclass(frozen=True)
class QueueFacts:
    depth: int | None
    parked: int | None
    oldest_unsent: dt.datetime | None
    last_success: dt.datetime | None
    last_error: str | None
    failures_in_a_row: int


@dataclass(frozen=True)
class TestOutcome:
    kind: str
    passed: bool
    lines: tuple[str, ...]  # what the test said, personal data masked


class MaintenanceDesk:
    def __init__(
        self,
        devices: Mapping[str, Device],
        exercise: Exercise,
        access: TechnicianAccess,
        audit: AuditTrail,
        commands: RemoteCommands,
        relay_status: Callable[[], RelayFacts],
        sync_now: Callable[[], None],
        paper: PaperCounter,
        test_page: PrintJob,
        payments: Payments | None = None,
        logs: Logs | None = None,
        settings: Settings | None = None,
    ) -> None:
        self._settings = settings
        self._payments = payments
        self._logs = logs
        self.paper = paper
        self._test_page = test_page
        self._exercise = exercise
        self._devices = devices
        self.access = access
        self._audit = audit
        self._commands = commands
        self._relay_status = relay_status
        self._sync_now = sync_now

    @property
    def device_names(self) -> tuple[str, ...]:
        return tuple(self._devices)

    def devices_now(self) -> list[DeviceHealth]:
        return device_health(self._devices)

    def test(self, kind: str, who: str, wait_s: float = 20.0) -> TestOutcome:
        device = self._devices.get(kind)
        if device is None:
            return TestOutcome(kind, False, (f"{kind}: not configured on this kiosk",))
        out = io.StringIO()
        try:
            passed = self._exercise(kind, device, wait_s, out) == 0
        except Exception as error:  # a driver's bug must not end maintenance
            log.exception("device test of %s failed", kind)
            print(f"{kind}: test failed: {type(error).__name__}: {error}", file=out)
            passed = False
        # The command line's "kind: " before each line is the screen's heading there.
        lines = tuple(
            line.removeprefix(f"{kind}: ") for line in out.getvalue().splitlines() if line
        )
        self._audit.record(who, "device.tested", f"{kind}: {'passed' if passed else 'failed'}")
        if kind == "printer" and passed:
            self.paper.used(self._test_page)
        return TestOutcome(kind, passed, lines)

    def paper_left(self) -> tuple[int, float]:
        """The roll's estimate: percent left, and metres left."""
        roll = self.paper.roll
        return roll.left_pct, roll.left_mm / 1000

    def paper_replaced(self, who: str) -> None:
        self.paper.replaced(who)

    def payments_now(self) -> list[PaymentLine]:
        """Unsettled payments and receipts not on paper (none on a kiosk without payments)."""
        return self._payments.for_technician() if self._payments is not None else []

    def settle_now(self, who: str) -> int:
        """Follow every unsettled payment now (query the wallet, reverse if still unknown),
        and print the receipts a crash left unprinted; how many payments were picked up."""
        if self._payments is None:
            return 0
        picked = self._payments.resume_unfinished()
        self._audit.record(who, "payments.followed", f"{picked} picked up")
        return picked

    def reprint(self, who: str, payment_id: str) -> bool:
        """Print a receipt kept for reprinting; whether it came out."""
        if self._payments is None:
            return False
        progress = self._payments.reprint(payment_id)
        printed = progress.receipt is ReceiptStatus.PRINTED
        self._audit.record(
            who,
            "receipt.reprinted",
            f"{progress.reference}: {'printed' if printed else 'not printed'}",
        )
        return printed

    def log_lines(self, level: str) -> list[LogLine]:
        return self._logs.last_lines(level) if self._logs is not None else []

    def export_logs(self, who: str) -> UsbExport:
        if self._logs is None:
            return UsbExport(None, 0, 0, "this kiosk keeps no log file")
        done = self._logs.export(dt.datetime.now(dt.UTC))
        where = done.folder or done.problem or ""
        self._audit.record(who, "logs.exported", f"{done.files} files, {done.bytes} bytes: {where}")
        return done

    def settings_now(self) -> list[Setting]:
        return self._settings.lines() if self._settings is not None else []

    def change_settings(self, who: str, changes: dict[str, Any]) -> str | None:
        """Save the changes for the next start; None, or why they were refused."""
        if self._settings is None:
            return "settings cannot be changed on this kiosk"
        refused = self._settings.change(changes)
        said = ", ".join(f"{key}={value}" for key, value in sorted(changes.items()))
        self._audit.record(who, "settings.refused" if refused else "settings.changed",
                           f"{said}{': ' + refused if refused else ''}"[:500])  # fmt: skip
        return refused

    def camera_frame(self) -> Any | None:
        """The camera's latest picture (numpy), or None: for the preview, at once."""
        camera = self._devices.get("camera")
        if not isinstance(camera, Camera):
            return None
        frame = camera.latest()
        return frame.image if frame is not None else None

    def queue_now(self) -> QueueFacts:
        status = self._relay_status()
        return QueueFacts(
            status.depth,
            status.parked,
            status.oldest_unsent,
            status.last_success,
            status.last_error,
            status.failures_in_a_row,
        )

    @property
    def lock_state(self) -> LockState | None:
        """Out of service (by the center or a technician), or None."""
        return self._commands.lock_state

    def sync_now(self, who: str) -> None:
        self._sync_now()
        self._audit.record(who, "sync.asked", "")

    def out_of_service(self, who: str, message_zh: str, message_en: str) -> None:
        self._commands.lock_here(who, message_zh, message_en)

    def back_in_service(self, who: str) -> None:
        self._commands.unlock_here(who)

    def record(self, who: str, action: str, detail: str = "") -> None:
        self._audit.record(who, action, detail)
