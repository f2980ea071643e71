"""What a scanned code is, decided before anything is done with it.

Formats: ../shared/reference/payment-and-billing.md ("Payment-code formats"). A code that cannot
be a payment code is refused here, without any network call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rules.masking import mask_digits


class CodeKind(StrEnum):
    BILL = "bill"
    ACCOUNT_NUMBER = "account_number"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    UNIONPAY = "unionpay"
    URL = "url"
    GARBAGE = "garbage"


@dataclass(frozen=True, slots=True)
class ScannedCode:
    kind: CodeKind
    text: str
    account_number: str | None = None
    reason: str | None = None  # why a code was judged garbage, for the technician's log

    @property
    def is_payment_code(self) -> bool:
        return self.kind in (CodeKind.WECHAT, CodeKind.ALIPAY, CodeKind.UNIONPAY)

    @property
    def masked(self) -> bool:
        """Payment codes, and what could not be read as anything: a garbled or mistyped
        payment code is still most of one."""
        return self.is_payment_code or self.kind is CodeKind.GARBAGE

    @property
    def shown(self) -> str:
        """The code as a screen, a log or a technician's terminal may show it."""
        return mask_digits(self.text) if self.masked else self.text

    def __repr__(self) -> str:
        # Payment codes are single-use money: never let a repr carry one whole into a log.
        shown = self.text[:4] + "…" if self.masked else self.text
        return f"ScannedCode(kind={self.kind.value}, text={shown!r})"


ACCOUNT_NUMBER = re.compile(r"^[0-9]{8,13}$")
_WECHAT = re.compile(r"^1[0-5][0-9]{16}$")
_ALIPAY = re.compile(r"^(2[5-9]|30)[0-9]{14,22}$")
_UNIONPAY = re.compile(r"^62[0-9]{17}$")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")
MAX_CODE_LENGTH = 512


def classify_code(raw: str, bill_qr_prefix: str) -> ScannedCode:
    """Classify one decoded code. `bill_qr_prefix` is the start of our bills' QR (config)."""
    text = raw.strip()
    if not text:
        return ScannedCode(CodeKind.GARBAGE, text, reason="empty")
    if len(text) > MAX_CODE_LENGTH:
        return ScannedCode(CodeKind.GARBAGE, text[:16], reason="too long")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return ScannedCode(CodeKind.GARBAGE, "", reason="control characters")
    if text.startswith(bill_qr_prefix):
        number = text[len(bill_qr_prefix) :].split("?", 1)[0].strip("/")
        if ACCOUNT_NUMBER.match(number):
            return ScannedCode(CodeKind.BILL, text, account_number=number)
        return ScannedCode(CodeKind.GARBAGE, text, reason="bill code without a valid account")
    # Payment-code formats overlap the account-number range at 16+ digits, so test them first.
    for kind, pattern in (
        (CodeKind.WECHAT, _WECHAT),
        (CodeKind.UNIONPAY, _UNIONPAY),
        (CodeKind.ALIPAY, _ALIPAY),
    ):
        if pattern.match(text):
            return ScannedCode(kind, text)
    if ACCOUNT_NUMBER.match(text):
        return ScannedCode(CodeKind.ACCOUNT_NUMBER, text, account_number=text)
    if _URL.match(text):
        return ScannedCode(CodeKind.URL, text)
    return ScannedCode(CodeKind.GARBAGE, text[:16], reason="unknown format")
