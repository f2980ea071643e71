"""Run the center under uvicorn in a background thread: for tests, the perf runner and demos."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from center.app import create_app
from center.business.storage import FileStore
from center.calls.settings import CallSettings

START_TIMEOUT = 15.0


@dataclass
class RunningCenter:
    url: str
    today: dt.date | None
    db_url: str
    _server: uvicorn.Server
    _thread: threading.Thread
    app: FastAPI | None = None  # for a test to look behind the answers (app.state.files)

    def stop(self) -> None:
        """Stop answering and wait for the server thread; closes the listening port."""
        self._server.should_exit = True
        self._thread.join(timeout=START_TIMEOUT)


@contextmanager
def serve_center(
    db_url: str,
    *,
    today: dt.date | None,
    answer_delay: float = 0.0,
    demo_data: bool = True,
    host: str = "127.0.0.1",
    require_signatures: bool = False,
    simulate_wallets: bool = True,
    certificate: tuple[str, str] | None = None,
    calls: CallSettings | None = None,
    files: FileStore | None = None,
) -> Iterator[RunningCenter]:
    """The real center on a free loopback port until the block ends. `certificate`: (cert
    file, key file) to serve https; `require_signatures`: refuse requests not signed by an
    enrolled kiosk; `simulate_wallets`: pay with the wallet simulators (tests, demos);
    `calls`: video-help settings (default: always open); `files`: where residents' files go
    (default: a folder beside the database, or the object store KIOSK_CENTER_S3_* names)."""
    app = create_app(
        db_url,
        today=today,
        answer_delay=answer_delay,
        demo_data=demo_data,
        simulate_wallets=simulate_wallets,
        require_signatures=require_signatures,
        calls=calls,
        files=files,
    )
    # IPPROTO_TCP named, so asyncio sets TCP_NODELAY on each connection: with protocol 0 it
    # does not, and every answer's body waits ~40 ms for a delayed ACK (Nagle).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, 0))  # bound before the thread starts: no race for the port
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=1,
        lifespan="on",  # starts and stops the signal bus of video help
        # The center inside a kiosk's process (the demo) and the tests' centers stay on the
        # standard library's loop and HTTP parser; the workers of a center at scale, started by
        # uvicorn's own command, take uvloop and httptools (docs/center-at-scale.md).
        loop="asyncio",
        http="h11",
        ssl_certfile=certificate[0] if certificate else None,
        ssl_keyfile=certificate[1] if certificate else None,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name=f"center:{port}", daemon=True
    )
    thread.start()
    scheme = "https" if certificate else "http"
    running = RunningCenter(f"{scheme}://{host}:{port}", today, db_url, server, thread, app)
    try:
        if not _wait_until_started(server, thread):
            raise RuntimeError("the center did not start")
        yield running
    finally:
        running.stop()
        listener.close()
        app.state.database.close()


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
