"""Video help on the kiosk, measured in its own process (the staff peer runs in the parent, so
its work is not counted here). Prints one JSON line.

- Help's video button pressed to staff's picture on the kiosk's screen, for the first call;
- the kiosk process's CPU and the UI thread's longest stall during `talk_s` of a call (640x480
  camera at 15 fps, the screen at 5 fps, a tone, staff's picture and audio coming in), against
  the same kiosk idle on its Help screen for as long;
- resident memory after each of `calls` consecutive calls (help, answer, a second of talk,
  hang up).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def thread_cpu_s() -> dict[str, float]:
    """CPU seconds so far of each live thread, by name (threads of one name summed)."""
    ticks = os.sysconf("SC_CLK_TCK")
    names = {thread.native_id: thread.name for thread in threading.enumerate()}
    spent: dict[str, float] = {}
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/comm") as comm:
                name = comm.read().strip()
            with open(f"/proc/self/task/{task}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended meanwhile
        name = names.get(int(task), name).rstrip("0123456789_-")
        spent[name] = spent.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return spent


def main(center_url: str, data_dir: str, talk_s: str, calls: str) -> int:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import RunningKiosk
    from kiosk.config import load_config
    from kiosk.services.video_help import CallState

    _app = QApplication(sys.argv[:1])  # kept alive for the run
    config = load_config(
        overrides={
            "center": {"url": center_url},
            "kiosk": {"data_dir": data_dir},
            "video": {"loopback_candidates": True, "microphone": "tone", "speaker": ""},
        }
    )
    running = RunningKiosk(config, demo=False)
    window = running.window

    from tests.perf.ui_thread import StallMeter, live_for, run_for, run_until

    run_until(lambda: running.services.ready and running.backend.kiosk is not None, 30)
    window.start_session()
    window.show_help()
    screen = window.video_call
    meter = StallMeter()

    def call(talk: float) -> float:
        """One call; seconds from the button to staff's first picture shown."""
        pressed = time.monotonic()
        window.help.video_button.click()
        run_until(lambda: screen.staff_view.frames > 0, 20)
        shown = time.monotonic() - pressed
        if screen.staff_view.frames == 0:
            raise RuntimeError(f"no picture from staff: the call is {screen.state}")
        run_for(talk)
        screen.main_button.click()  # hang up
        run_until(lambda: screen.state == CallState.ENDED, 10)
        screen.main_button.click()  # back to Help
        return shown

    live_for(3.0)  # the screens drawn once behind the first frame: done
    # Baseline: the same kiosk on its Help screen, nothing happening, as long as the talk.
    meter.start()
    before = cpu_s(), time.monotonic()
    live_for(float(talk_s))
    idle_cpu = (cpu_s() - before[0]) / (time.monotonic() - before[1])
    idle_stalls = meter.stop()

    first_shown = call(0.0)
    window.help.video_button.click()
    run_until(lambda: screen.staff_view.frames > 0, 20)
    live_for(1.0)  # settled: encoders warmed up
    meter.start()
    before, threads_before = (cpu_s(), time.monotonic()), thread_cpu_s()
    live_for(float(talk_s))
    call_cpu = (cpu_s() - before[0]) / (time.monotonic() - before[1])
    threads_after = thread_cpu_s()
    by_thread = {
        name: round((spent - threads_before.get(name, 0.0)) / float(talk_s) * 100, 1)
        for name, spent in threads_after.items()
        if spent - threads_before.get(name, 0.0) > 0.01 * float(talk_s)
    }
    call_stalls = meter.stop()
    stats = running.backend.kiosk.video.stats  # type: ignore[union-attr]
    staff_frames = stats.staff_frames
    screen.main_button.click()
    run_until(lambda: screen.state == CallState.ENDED, 10)
    screen.main_button.click()

    memory = [rss_mib()]
    shown_times = []
    for _ in range(int(calls)):
        shown_times.append(call(1.0))
        memory.append(rss_mib())
    running.stop()
    print(
        json.dumps(
            {
                "first_shown_s": first_shown,
                "shown_median_s": sorted(shown_times)[len(shown_times) // 2] if shown_times else 0,
                "idle_cpu": idle_cpu,
                "call_cpu": call_cpu,
                "idle_max_ms": max(idle_stalls),
                "call_max_ms": max(call_stalls),
                "staff_frames": staff_frames,
                "call_cpu_by_thread": by_thread,
                "memory_mib": memory,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
