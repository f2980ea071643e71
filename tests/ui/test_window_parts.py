"""The window's parts on their own: the way back, the center's lock, the inactivity clock."""

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QStackedWidget, QWidget

from kiosk.domain.session import EndReason
from kiosk.services.remote_commands import LockState
from kiosk.ui.home.locked import LockedScreen
from kiosk.ui.widgets import Screen
from kiosk.ui.window.lock_guard import LockGuard
from kiosk.ui.window.navigator import Navigator
from kiosk.ui.window.session_clock import SessionClock


class _Page(Screen):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def retranslate(self) -> None:
        pass


def _navigator(qtbot: Any, *names: str, redirect: str | None = None) -> Navigator:
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    navigator = Navigator(
        stack,
        build_missing=lambda: None,
        before_move=lambda name: redirect or name,
    )
    navigator.add([_Page(name) for name in names])
    return navigator


def test_back_retraces_the_screens_shown_but_not_the_idle_one(qtbot: Any) -> None:
    navigator = _navigator(qtbot, "idle", "home", "bill", "pay")
    moves: list[tuple[str, str]] = []
    navigator.sig_moved.connect(lambda old, new: moves.append((old, new)))
    for name in ("idle", "home", "bill", "pay"):
        navigator.show(name, start="idle")
    navigator.forget({"bill"})
    assert navigator.back() and navigator.current == "home"
    assert not navigator.back()  # nothing left: the window ends the session
    assert moves[-1] == ("pay", "home")


def test_every_move_can_be_redirected(qtbot: Any) -> None:
    navigator = _navigator(qtbot, "idle", "home", "locked", redirect="locked")
    navigator.go("home")
    assert navigator.current == "locked"


def test_the_lock_waits_for_a_payment_being_settled(qtbot: Any) -> None:
    screen = LockedScreen("95598")
    qtbot.addWidget(screen)
    settling = [True]
    guard = LockGuard(screen, settling_payment=lambda: settling[0])
    taken: list[str] = []
    guard.sig_locked.connect(lambda: taken.append("locked"))
    guard.sig_unlocked.connect(lambda: taken.append("unlocked"))
    state = LockState("暂停服务", "Out of service", dt.datetime(2026, 11, 24, tzinfo=dt.UTC))
    guard.set_state(state)
    assert not guard.locked and taken == [] and guard.redirect("home") == "home"
    settling[0] = False
    guard.session_ended()  # the payment's session is over: the lock takes hold
    assert guard.locked and guard.redirect("idle") == screen.name
    guard.set_state(None)
    assert not guard.locked and taken == ["unlocked"]


def test_the_clock_warns_then_expires_and_a_payment_holds_it(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    now = [0.0]
    clock = SessionClock(
        window,
        timeout_s=60,
        warning_s=20,
        monotonic=lambda: now[0],
        wallclock=lambda: dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC),
    )
    warnings: list[int] = []
    expired: list[bool] = []
    clock.sig_warning.connect(warnings.append)
    clock.sig_expired.connect(lambda: expired.append(True))
    clock.start()
    clock.visited("home")
    clock.hold_for_payment(True)
    now[0] = 100.0
    clock.tick()
    assert not warnings and not expired
    clock.hold_for_payment(False)  # released: the minute starts again
    now[0] = 145.0
    clock.tick()
    assert warnings == [15]
    now[0] = 161.0
    clock.tick()
    assert expired == [True]
    summary = clock.stop(EndReason.TIMEOUT, language="zh_CN", large_text=False)
    assert summary is not None and summary.screens == ("home",) and not clock.running
    assert clock.stop(EndReason.TIMEOUT, language="zh_CN", large_text=False) is None
    clock.teardown()
