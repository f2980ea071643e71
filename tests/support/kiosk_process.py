"""The real kiosk in its own process, driven by a test through its standard input.

`python -m tests.support.kiosk_process CENTER_URL DATA_DIR KIOSK_ID [TOKEN]` starts the kiosk
as `kiosk run` does (offscreen, its configured simulated devices, enrolled with TOKEN), with
video help allowed to offer loopback candidates, a tone for a microphone and no speaker. It
reads one command a line and answers one JSON line each:

    call        the resident presses Help, then Talk to staff by video
    hang_up     the resident presses the call's big button (Cancel / Hang up / Back)
    state       {"state", "screen", "staff_frames", "audio_frames", "camera_sent", ...}
    events      the types and payloads of the events waiting in the kiosk's queue
    quit

`KioskProcess` is the test's side of it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class KioskProcess:
    def __init__(
        self, center_url: str, data_dir: Path, *, kiosk_id: str = "kiosk-e2e", token: str = ""
    ) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.kiosk_process", center_url, str(data_dir),
             kiosk_id, token],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )  # fmt: skip
        self._lock = threading.Lock()
        ready = self._read()
        if ready.get("ready") is not True:
            raise RuntimeError(f"the kiosk did not start: {ready}")

    def ask(self, command: str) -> dict[str, Any]:
        with self._lock:
            assert self._process.stdin is not None
            self._process.stdin.write(command + "\n")
            self._process.stdin.flush()
            return self._read()

    def state(self) -> dict[str, Any]:
        return self.ask("state")

    def close(self) -> None:
        if self._process.poll() is None:
            try:
                self.ask("quit")
                self._process.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired, RuntimeError):
                self._process.kill()
                self._process.wait(timeout=5)

    def _read(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the kiosk process ended ({self._process.poll()})")
        return json.loads(line)


def main(center_url: str, data_dir: str, kiosk_id: str, token: str = "") -> int:
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication

    from kiosk.app import RunningKiosk
    from kiosk.config import load_config
    from sync.queue import next_batch
    from tests.perf.ui_thread import run_until

    app = QApplication(sys.argv[:1])
    config = load_config(
        overrides={
            "center": {"url": center_url},
            "kiosk": {"data_dir": data_dir, "id": kiosk_id},
            "video": {"loopback_candidates": True, "microphone": "tone", "speaker": ""},
        }
    )
    if token:  # enrolled as a real kiosk is: every request and the call socket signed
        from kiosk.enroll import enroll

        enroll(config, token)
    running = RunningKiosk(config, demo=False)
    window = running.window
    run_until(lambda: running.services.ready and running.backend.kiosk is not None, 60)
    kiosk = running.backend.kiosk
    assert kiosk is not None and kiosk.video is not None
    video = kiosk.video
    window.start_session()

    def answer(reply: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()

    def handle(command: str) -> None:
        screen = window.video_call
        if command == "call":
            window.show_help()
            window.help.video_button.click()
            answer({"ok": True})
        elif command == "hang_up":
            screen.main_button.click()
            answer({"ok": True})
        elif command == "state":
            stats = video.stats
            answer(
                {
                    "state": screen.state.value,
                    "status": screen.status.text(),
                    "detail": screen.detail.text(),
                    "screen": window.navigator.current,
                    "message": screen.message.text() if screen.message.isVisible() else "",
                    "staff_frames": stats.staff_frames,
                    "shown_frames": screen.staff_view.frames,
                    "audio_frames": stats.audio_frames,
                    "attempts": stats.attempts,
                    "in_call": video.in_call,
                }
            )
        elif command == "events":
            with kiosk.store.engine.connect() as connection:
                batch = next_batch(connection, limit=500)
            answer({"events": [{"type": e.type, "payload": e.payload} for e in batch]})
        elif command.startswith("screen_picture "):
            import cv2

            picture = video._screen.get()
            if picture is not None:
                cv2.imwrite(command.split(" ", 1)[1], cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
            answer({"shape": None if picture is None else list(picture.shape)})
        elif command == "quit":
            answer({"ok": True})
            app.quit()
        else:
            answer({"error": f"no command {command!r}"})

    class Commands(QObject):
        sig_command = Signal(str)

    commands = Commands()
    commands.sig_command.connect(handle)

    def read() -> None:
        for line in sys.stdin:
            commands.sig_command.emit(line.strip())
        commands.sig_command.emit("quit")

    threading.Thread(target=read, daemon=True).start()
    answer({"ready": True})
    app.exec()
    running.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
