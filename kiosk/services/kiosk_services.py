"""One object holding every use case the screens call.

Every method but `read_code` blocks on I/O: the UI calls them from its worker pool.
"""

from __future__ import annotations

import logging
from typing import Any

from kiosk.domain.codes import ScannedCode, classify_code
from kiosk.domain.session import SessionSummary
from kiosk.services.account_lookup import accounts_for_id_number, look_up_account
from kiosk.services.ports import Center, UnitOfWorkFactory
from sync.protocol import AccountBill, AccountSummary

log = logging.getLogger(__name__)


class KioskServices:
    """One object the UI holds: each method is one use case, thread-safe."""

    def __init__(
        self,
        center: Center,
        unit_of_work: UnitOfWorkFactory,
        *,
        kiosk_id: str,
        bill_qr_prefix: str,
    ) -> None:
        self._center = center
        self._unit_of_work = unit_of_work
        self._kiosk_id = kiosk_id
        self._bill_qr_prefix = bill_qr_prefix

    def look_up_account(self, number: str) -> AccountBill:
        return look_up_account(self._center, number)

    def accounts_for_id_number(self, id_number: str) -> list[AccountSummary]:
        return accounts_for_id_number(self._center, id_number)

    def read_code(self, text: str) -> ScannedCode:
        code = classify_code(text, self._bill_qr_prefix)
        if code.reason:
            log.info("scanned code refused: %s", code.reason)
        return code

    def end_session(self, summary: SessionSummary) -> None:
        """Tell the center how the session went (no personal data: names of screens only)."""
        event: dict[str, Any] = {
            "type": "session.ended",
            "occurred_at": summary.ended_at,
            "started_at": summary.started_at.isoformat(),
            "reason": summary.reason.value,
            "duration_s": round(summary.duration_s, 1),
            "screens": list(summary.screens),
            "language": summary.language,
            "large_text": summary.large_text,
        }
        with self._unit_of_work() as uow:
            uow.outbox.add(event, aggregate_type="kiosk", aggregate_id=self._kiosk_id)
            uow.commit()
