"""Codes typed by a keyboard-wedge scanner, caught before they land in whatever has focus.

An application-wide event filter feeds every key press to the pure ``KeyboardBurstDetector``.
Keys that may be a scanner burst are held back; a burst that ends in Enter or Tab becomes
``sig_code_scanned`` and its keys are swallowed; keys that turn out to be a person typing are
delivered to the widget they were meant for, in order, a few tens of milliseconds late.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from kiosk.domain.keyboard_burst import KeyboardBurstDetector

_KEY_TEXT = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}


@dataclass(frozen=True)
class _HeldKey:
    receiver: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class KeyboardWedge(QObject):
    sig_code_scanned = Signal(str)
    """A keyboard-wedge scanner typed a code: (text of the code)."""

    def __init__(
        self,
        parent: QObject | None = None,
        detector: KeyboardBurstDetector | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.detector = detector or KeyboardBurstDetector()
        self._clock = clock
        self._held: list[_HeldKey] = []
        self._replaying = False
        self._last_seen: tuple[int, int, QWidget] | None = None  # one press seen once
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self.flush)
        self._installed_on: QObject | None = None

    def install(self, target: QObject | None = None) -> None:
        """Watch every key press of the application (or of ``target`` alone)."""
        installed_on = target or QCoreApplication.instance()
        if installed_on is None:
            raise RuntimeError("no application to watch the keys of")
        installed_on.installEventFilter(self)
        self._installed_on = installed_on

    def uninstall(self) -> None:
        if self._installed_on is not None:
            self._installed_on.removeEventFilter(self)
            self._installed_on = None
        self._flush_timer.stop()
        self.flush(force=True)

    def flush(self, force: bool = False) -> None:
        """Pass on held keys once they can no longer be a scanner burst."""
        now = self._clock() + (3600.0 if force else 0.0)
        released = self.detector.flush(now)
        self._replay(len(released))
        if self._held:  # not due yet (the clock is behind the timer): look again later
            self._start_timer()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            self._last_seen = None  # Qt sends one before each new press: a fresh key
            return False
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QWidget) or not isinstance(event, QKeyEvent):
            return False  # the window sees the press before its widget: count it once
        if self._seen_before(watched, event):
            return False
        char = _KEY_TEXT.get(Qt.Key(event.key()), event.text())
        if not char:
            return False  # Shift and other modifiers: no character, nothing to decide
        verdict = self.detector.feed(char, self._clock())
        self._replay(len(verdict.release))
        if verdict.code is not None:
            self._held.clear()
            self._flush_timer.stop()
            self.sig_code_scanned.emit(verdict.code)
            return True
        if verdict.hold:
            self._held.append(_HeldKey(watched, event.key(), event.modifiers(), event.text()))
            self._start_timer()
            return True
        return False

    def _seen_before(self, watched: QWidget, event: QKeyEvent) -> bool:
        # An ignored press travels up to the parent widgets, through this filter again.
        pointer = shiboken6.getCppPointer(event)[0]
        last, self._last_seen = self._last_seen, (pointer, event.timestamp(), watched)
        if last is None or last[:2] != (pointer, event.timestamp()):
            return False
        previous = last[2]
        return (
            shiboken6.isValid(previous)
            and watched is not previous
            and watched.isAncestorOf(previous)
        )

    def _replay(self, count: int) -> None:
        keys, self._held = self._held[:count], self._held[count:]
        self._replaying = True
        try:
            for key in keys:
                if shiboken6.isValid(key.receiver):
                    press = QKeyEvent(QEvent.Type.KeyPress, key.key, key.modifiers, key.text)
                    QCoreApplication.sendEvent(key.receiver, press)
        finally:
            self._replaying = False

    def _start_timer(self) -> None:
        deadline = self.detector.deadline
        if deadline is not None:
            wait_ms = max(1, int((deadline - self._clock()) * 1000) + 1)
            self._flush_timer.start(wait_ms)
