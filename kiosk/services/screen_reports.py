"""The kiosk's screen sent to the center when an operator asks (a `screenshot` command)."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol

from sync.protocol.fleet import RemoteCommand, Screenshot, ScreenshotStored

log = logging.getLogger(__name__)


class ScreenshotCenter(Protocol):
    def send_screenshot(self, shot: Screenshot) -> ScreenshotStored: ...


class ScreenReports:
    """`send(command)` is the remote commands' screenshot hook: it has the screen taken (on
    the UI thread, by `take`, which answers the PNG and whether it is masked, or raises) and
    sends it."""

    def __init__(self, center: ScreenshotCenter, take: Callable[[], tuple[bytes, bool]]) -> None:
        self._center = center
        self._take = take

    def send(self, command: RemoteCommand) -> None:
        png, masked = self._take()
        self._center.send_screenshot(
            Screenshot(
                command_id=command.id,
                taken_at=dt.datetime.now(dt.UTC),
                png_base64=base64.b64encode(png).decode("ascii"),
                masked=masked,
            )
        )
        log.info("screenshot sent (%d bytes, masked %s)", len(png), masked)
