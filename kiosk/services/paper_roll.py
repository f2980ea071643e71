"""How much of the receipt roll is left, estimated from what was printed since it was fitted.

A thermal printer knows only "near end" and "out"; the estimate warns a technician days ahead.
Lengths follow the ESC/POS defaults at 8 dots per millimetre: a text line of 24 dots with 6 of
spacing, double height twice that; a QR of about 33 modules square; the cutter's margin.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from drivers.contracts import Cut, Feed, PrintJob, QrCode, TextLine, TextSize
from kiosk.services.audit import AuditTrail
from kiosk.services.ports import UnitOfWorkFactory
from kiosk.services.remote_commands import KioskState

log = logging.getLogger(__name__)

DOTS_PER_MM = 8.0
LINE_MM = 30 / DOTS_PER_MM  # 24-dot characters and the default line spacing
QR_MODULES = 33  # a typical receipt QR (version 4) with its quiet zone
CUT_MM = 12.0  # the paper fed past the cutter


def job_length_mm(job: PrintJob) -> float:
    length = 0.0
    for line in job.lines:
        if isinstance(line, TextLine):
            tall = line.size in (TextSize.DOUBLE, TextSize.DOUBLE_HEIGHT)
            length += LINE_MM * (2 if tall else 1)
        elif isinstance(line, QrCode):
            length += QR_MODULES * line.module_size / DOTS_PER_MM + LINE_MM
        elif isinstance(line, Feed):
            length += LINE_MM * line.lines
        elif isinstance(line, Cut):
            length += CUT_MM
    return length


@dataclass(frozen=True)
class PaperRoll:
    roll_mm: float
    printed_mm: float = 0.0

    @property
    def left_mm(self) -> float:
        return max(self.roll_mm - self.printed_mm, 0.0)

    @property
    def left_pct(self) -> int:
        return round(100 * self.left_mm / self.roll_mm) if self.roll_mm > 0 else 0

    def after(self, job: PrintJob) -> PaperRoll:
        return PaperRoll(self.roll_mm, self.printed_mm + job_length_mm(job))


PRINTED_KEY = "paper.printed_mm"


class PaperCounter:
    """Counts what is printed (`used`), forgets it when a new roll is fitted (`replaced`, in
    maintenance), and says what is left. The count is kept in kiosk_state: it survives a
    restart. Thread-safe."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        state: KioskState,
        audit: AuditTrail,
        *,
        roll_mm: float,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._state = state
        self._audit = audit
        self._roll_mm = roll_mm
        self._lock = threading.Lock()
        self._roll = PaperRoll(roll_mm, float(state.read(PRINTED_KEY) or 0))

    @property
    def roll(self) -> PaperRoll:
        return self._roll

    def used(self, job: PrintJob) -> None:
        with self._lock:
            roll = self._roll.after(job)
            try:
                with self._unit_of_work() as uow:
                    self._state.write(uow, PRINTED_KEY, f"{roll.printed_mm:.1f}")
                    uow.commit()
            except Exception:  # the estimate must never fail a receipt
                log.exception("paper used not counted")
            self._roll = roll

    def replaced(self, who: str) -> None:
        with self._lock:
            with self._unit_of_work() as uow:
                self._state.write(uow, PRINTED_KEY, "0")
                self._audit.record_in(
                    uow, who, "paper.replaced", f"{self._roll.left_pct} % was left by estimate"
                )
                uow.commit()
            self._roll = PaperRoll(self._roll_mm)
