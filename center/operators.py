"""Who may reach the center's admin routes: callers holding the operator token.

FastAPI reads the handlers' annotations at run time, so this module does not postpone them.
"""

import hmac
import os
from typing import Annotated

from fastapi import Header
from fastapi.responses import JSONResponse

from center.errors import error_response

# Where `kiosk-center` and `create_app` find the operator token when none is passed.
OPERATOR_TOKEN_ENV = "KIOSK_CENTER_OPERATOR_TOKEN"

Authorization = Annotated[str | None, Header()]


def operator_token_from_env() -> str | None:
    return os.environ.get(OPERATOR_TOKEN_ENV) or None


def not_operator(authorization: str | None, operator_token: str | None) -> JSONResponse | None:
    """The refusal for a caller without the operator token; None for an operator."""
    if not operator_token:
        return error_response(403, "operator_api_disabled", "no operator token is configured")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), operator_token.encode()):
        return error_response(401, "not_an_operator", "a valid operator bearer token is required")
    return None
