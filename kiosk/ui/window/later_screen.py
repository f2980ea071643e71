"""A part of the window built after the first frame, reached as an attribute of the window.

Kept apart from `later_screens` (which imports every later screen) so the window can name its
parts without importing them before its first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from kiosk.ui.window.later_screens import LaterScreens

T = TypeVar("T")


class _BuildsLater(Protocol):
    def later(self) -> LaterScreens: ...


class LaterScreen(Generic[T]):
    """Asking for it builds the later screens; its type is declared where it is used:
    `bill: LaterScreen[BillScreen] = LaterScreen("bill")`."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __get__(self, window: _BuildsLater | None, owner: type) -> T:
        if window is None:
            raise AttributeError(f"{self._name} is a part of a window, not of its class")
        part: T = getattr(window.later(), self._name)
        return part
