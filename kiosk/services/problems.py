"""Why a use case could not give the resident what they asked for, in terms a screen can say."""

from __future__ import annotations

from enum import StrEnum


class LookupProblem(StrEnum):
    NOT_FOUND = "not_found"
    INVALID_NUMBER = "invalid_number"
    NO_ACCOUNTS = "no_accounts"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    CENTER_FAULT = "center_fault"


class LookupFailed(Exception):
    """A lookup that did not produce a bill; `problem` tells the screen what to say."""

    def __init__(self, problem: LookupProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
