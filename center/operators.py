"""Who may reach the center's admin routes: callers holding the operator token.

A route declares `dependencies=[OPERATOR_ONLY]`; the token is the app's (`create_app`), kept in
`app.state.operator_token`.

FastAPI reads the handlers' annotations at run time, so this module does not postpone them.
"""

import hmac
import os
from typing import Annotated

from fastapi import Depends, Header, Request

from center.errors import Refusal

# Where `kiosk-center` and `create_app` find the operator token when none is passed.
OPERATOR_TOKEN_ENV = "KIOSK_CENTER_OPERATOR_TOKEN"


def operator_token_from_env() -> str | None:
    return os.environ.get(OPERATOR_TOKEN_ENV) or None


async def operator_only(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> None:
    """The route guard of every admin route: refuses a caller without the operator token
    (async, with no I/O: no thread-pool hop)."""
    operator_token: str | None = getattr(request.app.state, "operator_token", None)
    if not operator_token:
        raise Refusal(403, "operator_api_disabled", "no operator token is configured")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), operator_token.encode()):
        raise Refusal(401, "not_an_operator", "a valid operator bearer token is required")


OPERATOR_ONLY = Depends(operator_only)
