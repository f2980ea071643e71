"""What every simulated device shares: its ``sim://`` address and a cable that can be pulled."""

from __future__ import annotations

from urllib.parse import urlsplit

from drivers.contracts import Device


def check_sim_url(url: str, kind: str) -> str:
    """Accept ``sim://<kind>`` (what config names a simulated device by); reject anything else."""
    parts = urlsplit(url)
    if parts.scheme != "sim" or parts.netloc != kind:
        raise ValueError(f"a simulated {kind} is addressed as 'sim://{kind}', not {url!r}")
    return url


class Cable(Device):
    """Lets the demo and tests unplug a simulated device and plug it back."""

    def unplug(self) -> None:
        self._become_unavailable("cable unplugged (simulated)")

    def plug_in(self) -> None:
        self._become_available()
