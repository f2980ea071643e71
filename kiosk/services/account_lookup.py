"""Finding a resident's account and its bill at the center."""

from __future__ import annotations

import logging

from kiosk.services.ports import Center
from kiosk.services.problems import LookupFailed, LookupProblem
from rules.codes import ACCOUNT_NUMBER
from rules.id_number import is_valid_id_number
from sync.protocol import AccountBill, AccountSummary
from sync.protocol.errors import AccountNotFound, CenterError, CenterTimeout, CenterUnreachable

log = logging.getLogger(__name__)


def _translate(error: CenterError) -> LookupFailed:
    if isinstance(error, AccountNotFound):
        return LookupFailed(LookupProblem.NOT_FOUND)
    if isinstance(error, CenterTimeout):
        return LookupFailed(LookupProblem.TIMEOUT, str(error))
    if isinstance(error, CenterUnreachable):
        return LookupFailed(LookupProblem.UNREACHABLE, str(error))
    return LookupFailed(LookupProblem.CENTER_FAULT, str(error))


def look_up_account(center: Center, number: str) -> AccountBill:
    number = number.strip()
    if not ACCOUNT_NUMBER.match(number):
        raise LookupFailed(LookupProblem.INVALID_NUMBER)
    try:
        bill = center.account_bill(number)
    except CenterError as error:
        log.info("account lookup failed: %s", type(error).__name__)
        raise _translate(error) from error
    log.info("account bill fetched", extra={"utility": bill.account.utility.value})
    return bill


def accounts_for_id_number(center: Center, id_number: str) -> list[AccountSummary]:
    if not is_valid_id_number(id_number):
        raise LookupFailed(LookupProblem.INVALID_NUMBER)
    try:
        accounts = center.accounts_for_id_number(id_number)
    except CenterError as error:
        log.info("accounts by ID failed: %s", type(error).__name__)
        raise _translate(error) from error
    if not accounts:
        raise LookupFailed(LookupProblem.NO_ACCOUNTS)
    return accounts
