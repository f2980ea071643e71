"""The bridge: work off the UI thread, answers on it, late answers dropped."""

import threading
import time
from typing import Any

import pytest

from kiosk.ui.background import BackgroundTasks, DeviceSignals, TaskTimedOut


@pytest.fixture
def tasks(qtbot: Any) -> Any:
    bridge = BackgroundTasks(workers=2)
    yield bridge
    bridge.shutdown()


def test_result_arrives_on_the_ui_thread(qtbot: Any, tasks: BackgroundTasks) -> None:
    ui_thread = threading.current_thread()
    seen: dict[str, Any] = {}

    def work(x: int) -> tuple[int, str]:
        return x * 2, threading.current_thread().name

    def on_result(result: tuple[int, str]) -> None:
        seen["result"] = result
        seen["thread"] = threading.current_thread()

    tasks.run(work, 21, timeout_s=5, on_result=on_result, on_error=pytest.fail)
    qtbot.waitUntil(lambda: "result" in seen)
    value, worker_name = seen["result"]
    assert value == 42
    assert worker_name.startswith("kiosk-ui-task")
    assert seen["thread"] is ui_thread
    assert not tasks.busy


def test_an_error_reaches_the_error_callback(qtbot: Any, tasks: BackgroundTasks) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        raise ValueError("bad")

    tasks.run(work, timeout_s=5, on_result=pytest.fail, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)


def test_timeout_reports_at_once_and_the_late_answer_is_dropped(
    qtbot: Any, tasks: BackgroundTasks
) -> None:
    release = threading.Event()
    finished = threading.Event()
    errors: list[BaseException] = []
    results: list[object] = []

    def slow() -> str:
        release.wait(5)
        finished.set()
        return "late"

    started = time.monotonic()
    tasks.run(slow, timeout_s=0.2, on_result=results.append, on_error=errors.append)
    assert tasks.busy
    qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert time.monotonic() - started < 2
    assert isinstance(errors[0], TaskTimedOut)
    release.set()
    assert finished.wait(2)
    qtbot.waitUntil(lambda: not tasks.busy)
    # Give the late answer every chance to arrive; it must not.
    with qtbot.assertNotEmitted(tasks.sig_busy_changed, wait=100):
        pass
    assert results == []


def test_forgotten_tasks_never_answer(qtbot: Any, tasks: BackgroundTasks) -> None:
    release = threading.Event()
    results: list[object] = []
    tasks.run(
        lambda: release.wait(5), timeout_s=5, on_result=results.append, on_error=results.append
    )
    with qtbot.waitSignal(tasks.sig_busy_changed) as busy:
        tasks.forget_all()
    assert busy.args == [False]
    release.set()
    with qtbot.assertNotEmitted(tasks.sig_busy_changed, wait=150):
        pass
    assert results == []


def test_device_callbacks_become_signals(qtbot: Any, sim_scanner: Any) -> None:
    devices = DeviceSignals()
    devices.attach_scanner(sim_scanner)
    with qtbot.waitSignal(devices.sig_code_scanned, timeout=3000) as scanned:
        assert sim_scanner.show_code("https://95598.js.sgcc.local/bill/3201000001")
    assert scanned.args == ["https://95598.js.sgcc.local/bill/3201000001"]
    devices.detach_all()
    with qtbot.assertNotEmitted(devices.sig_code_scanned, wait=200):
        sim_scanner.show_code("another code")
