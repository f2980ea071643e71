"""Which screen is shown, and the way back.

Every move goes through `go`: the window may redirect it (nothing gets past the center's lock) or
act before it (a lookup still running is cancelled when the resident leaves it); `sig_moved`
tells after it. Back follows the screens shown in this session; while a payment is being
settled the resident stays with it (no Back, Home or Finish).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from kiosk.ui.widgets import Screen


class Navigator(QObject):
    sig_moved = Signal(str, str)
    """(old screen name or "", new screen name): a move went through (even to the same screen)."""

    sig_navigation_locked = Signal(bool)
    """(locked): Back, Home and Finish are (un)available."""

    def __init__(
        self,
        stack: QStackedWidget,
        *,
        build_missing: Callable[[], None],
        before_move: Callable[[str], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.stack = stack
        self.screens: dict[str, Screen] = {}
        self._build_missing = build_missing
        self._before_move = before_move
        self._history: list[str] = []
        self._locked = False
        self._portrait = False

    def add(self, screens: Iterable[Screen]) -> None:
        for screen in screens:
            self.screens[screen.name] = screen
            self.stack.addWidget(screen)
            screen.set_portrait(self._portrait)

    def fit(self, width: int, height: int) -> None:
        """Lay every screen out for a window this size: portrait when it is taller than wide."""
        portrait = height > width
        if portrait != self._portrait:
            self._portrait = portrait
            for screen in self.screens.values():
                screen.set_portrait(portrait)

    @property
    def current(self) -> str:
        current = self.stack.currentWidget()
        return current.name if isinstance(current, Screen) else ""

    @property
    def previous(self) -> str:
        """The screen before this one ("" at the start)."""
        return self._history[-1] if self._history else ""

    def show(self, name: str, *, start: str) -> None:
        """Move on to `name`, remembering where from (but not from `start`, the idle screen)."""
        current = self.current
        if name == current:
            return
        if current != start:
            self._history.append(current)
        self.go(name)

    def go(self, name: str) -> None:
        """Show `name` without remembering the way (Back, Home, the session's start and end)."""
        if name not in self.screens:
            self._build_missing()
        old = self.current
        name = self._before_move(name)
        self.stack.setCurrentWidget(self.screens[name])
        self.sig_moved.emit(old, name)

    def back(self) -> bool:
        """Back one screen; False when there is none to go back to (nor when locked)."""
        if not self._history:
            return False
        self.go(self._history.pop())
        return True

    def forget(self, names: Iterable[str]) -> None:
        """Back never leads to these any more."""
        gone = set(names)
        self._history = [name for name in self._history if name not in gone]

    def clear_history(self) -> None:
        self._history.clear()

    @property
    def locked(self) -> bool:
        return self._locked

    def lock(self, locked: bool) -> None:
        """A payment is being settled: the resident stays with it until it has an outcome."""
        self._locked = locked
        self.sig_navigation_locked.emit(locked)
