"""`kiosk enroll --center URL --token TOKEN`: get this kiosk's signing key from the center.

The center's operator makes the one-time token for this kiosk's id (`kiosk-center enroll-token
--kiosk-id ID`); the kiosk trades it once for its credentials and keeps them in
`[center] credentials` (mode 0600). The secret is never printed nor logged.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import KioskConfig
from sync.credentials import Credentials, CredentialsError, load_credentials, save_credentials

if TYPE_CHECKING:
    from sync.client import CenterClient

log = logging.getLogger(__name__)

CREDENTIALS_FILE = "credentials.json"


def credentials_path(config: KioskConfig) -> Path:
    """Where this kiosk's credentials are: `center.credentials`, else in kiosk.data_dir."""
    if config.center.credentials:
        return Path(config.center.credentials)
    return config.kiosk.data_dir / CREDENTIALS_FILE


def kiosk_credentials(config: KioskConfig) -> Credentials | None:
    """The enrolled credentials, or None (with a warning) when the kiosk is not enrolled yet.
    Raises CredentialsError for a file that is there but cannot be used."""
    path = credentials_path(config)
    if not path.exists():
        log.warning(
            "this kiosk is not enrolled: its requests go unsigned and a center that requires "
            "signatures refuses them (kiosk enroll --center URL --token TOKEN)",
            extra={"credentials": str(path)},
        )
        return None
    credentials = load_credentials(path)
    if credentials.kiosk_id != config.kiosk.id:
        raise CredentialsError(
            f"the credentials at {path} are for kiosk {credentials.kiosk_id!r}, but kiosk.id is "
            f"{config.kiosk.id!r}: enrol this kiosk again"
        )
    return credentials


def center_client(
    config: KioskConfig, credentials: Credentials | None, **options: Any
) -> CenterClient:
    """The center client as configured: URL, timeout, CA bundle, credentials."""
    # Imported here: `kiosk --help` and the kiosk's first frame need no HTTP library.
    from sync.client import CenterClient

    return CenterClient(
        config.center.url,
        config.kiosk.id,
        timeout=config.center.timeout_seconds,
        credentials=credentials,
        ca_bundle=config.center.ca_bundle or None,
        **options,
    )


def enroll(config: KioskConfig, token: str) -> Path:
    """Trade `token` for this kiosk's credentials at `center.url`; returns where they are."""
    with center_client(config, None) as client:
        credentials = client.enroll(token)
    path = credentials_path(config)
    save_credentials(path, credentials)
    log.info(
        "kiosk enrolled", extra={"kiosk_id": credentials.kiosk_id, "key_id": credentials.key_id}
    )
    return path


def add_enroll_command(commands: Any) -> None:
    enroll_command = commands.add_parser(
        "enroll",
        help="get this kiosk's signing key from the center with a one-time token",
        description="Trade the one-time token the center's operator made for this kiosk "
        "(kiosk-center enroll-token --kiosk-id ID) for the kiosk's credentials, written with "
        "mode 0600 to [center] credentials.",
    )
    # SUPPRESS: the values given before the command (kiosk --config X enroll) are kept.
    enroll_command.add_argument(
        "--center", metavar="URL", default=argparse.SUPPRESS, help="the center's base URL"
    )
    enroll_command.add_argument(
        "--config", type=Path, metavar="FILE", default=argparse.SUPPRESS, help="site config"
    )
    enroll_command.add_argument("--token", required=True, help="the one-time enrolment token")


def run_enroll_command(args: argparse.Namespace, config: KioskConfig) -> int:
    from sync.client import PlainHttpRefused
    from sync.protocol.errors import CenterError

    try:
        path = enroll(config, args.token)
    except (CenterError, PlainHttpRefused, CredentialsError, OSError) as error:
        print(f"kiosk enroll: {error}", file=sys.stderr)
        return 1
    print(f"kiosk {config.kiosk.id} enrolled at {config.center.url}; credentials in {path}")
    return 0
