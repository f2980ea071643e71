"""How the center refuses a request: one exception and one ErrorBody answer for every route."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from sync.protocol import ErrorBody, ErrorDetail


class Refusal(Exception):
    """A request the center answers with an ErrorBody and a 4xx status (5xx when it failed)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> JSONResponse:
        return error_response(self.status, self.code, self.message)


def error_body(code: str, message: str) -> dict[str, Any]:
    return ErrorBody(error=ErrorDetail(code=code, message=message)).model_dump(mode="json")


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content=error_body(code, message))
