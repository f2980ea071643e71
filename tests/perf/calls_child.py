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
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


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

    from tests.perf.ui_thread import StallMeter, run_for, run_until

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

    # Baseline: the same kiosk on its Help screen, nothing happening, as long as the talk.
    meter.start()
    before = cpu_s(), time.monotonic()
    run_for(float(talk_s))
    idle_cpu = (cpu_s() - before[0]) / (time.monotonic() - before[1])
    idle_stalls = meter.stop()

    first_shown = call(0.0)
    window.help.video_button.click()
    run_until(lambda: screen.staff_view.frames > 0, 20)
    run_for(1.0)  # settled: encoders warmed up
    meter.start()
    before = cpu_s(), time.monotonic()
    run_for(float(talk_s))
    call_cpu = (cpu_s() - before[0]) / (time.monotonic() - before[1])
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
                "memory_mib": memory,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
