"""Enrolment in protocol v1: a kiosk trades a one-time token for its signing key.

The center's operator makes the token for one kiosk id (`kiosk-center enroll-token`); the kiosk
posts it to `/v1/enroll` once, over TLS, and keeps the answer's secret in its credentials file.
The secret is answered this once and never again.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sync.protocol.schemas import _Message

ENROLL_PATH = "/v1/enroll"
KioskId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]


class EnrolmentRequest(_Message):
    kiosk_id: KioskId
    token: Annotated[str, Field(min_length=16, max_length=100)]


class EnrolmentAnswer(_Message):
    kiosk_id: KioskId
    key_id: Annotated[str, Field(min_length=1, max_length=40)]
    secret: Annotated[str, Field(min_length=40, max_length=100)]  # base64 of the 32 bytes
