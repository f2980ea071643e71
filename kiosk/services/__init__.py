"""The kiosk's use cases, as the screens call them: `UseCases` is the one interface they see.

`KioskServices` (which answers it) is loaded on first use: the screens can be drawn before the
HTTP client, the schemas and the store are imported (they take most of a cold start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.services.problems import LookupFailed, LookupProblem
from kiosk.services.use_cases import UseCases

if TYPE_CHECKING:
    from kiosk.services.kiosk_services import KioskServices

__all__ = ["KioskServices", "LookupFailed", "LookupProblem", "UseCases"]


def __getattr__(name: str) -> Any:
    if name == "KioskServices":
        from kiosk.services.kiosk_services import KioskServices

        return KioskServices
    raise AttributeError(name)
