"""A site's settings file for a whole kiosk started by a test: its id, data folder and center."""

from __future__ import annotations

from pathlib import Path


def write_site_file(folder: Path, kiosk_id: str, center_url: str) -> Path:
    site = folder / "site.toml"
    site.write_text(
        f'[kiosk]\nid = "{kiosk_id}"\ndata_dir = "{folder / "data"}"\n'
        f'[center]\nurl = "{center_url}"\n',
        "utf-8",
    )
    return site
