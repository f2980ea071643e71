"""Debian's Chromium driven by Playwright, as the staff console's browser tests use it. No browser
is ever downloaded: the tests are skipped, with the reason, where either is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
try:
    import playwright.sync_api  # noqa: F401

    HAVE_PLAYWRIGHT = True
except ImportError:
    HAVE_PLAYWRIGHT = False

NEEDS_BROWSER = [
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (./run installs it as root)"
    ),
    pytest.mark.skipif(not HAVE_PLAYWRIGHT, reason="playwright (the Python package) is missing"),
]
# Headless on a machine with no network beyond loopback; a fake camera and microphone granted
# without asking; loopback candidates offered and host addresses not hidden behind mDNS names,
# so a kiosk on the same machine can reach the page's peer connection.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]


def launch_chromium() -> Iterator[Any]:
    """A headless Chromium for a fixture to yield (closed after)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = start_chromium(playwright)
        yield browser
        browser.close()


def start_chromium(playwright: Any, executable: str | Path | None = None, *flags: str) -> Any:
    """A headless Chromium from a running Playwright; `executable` starts it another way (on
    another host), with more `flags`."""
    return playwright.chromium.launch(
        executable_path=str(executable or CHROMIUM),
        headless=True,
        args=[*FLAGS, *flags],
        ignore_default_args=["--mute-audio"],
    )
