"""The kiosk's credentials: who it is at the center and the secret it signs requests with.

They live in their own file, readable by the kiosk's user only (0600), never in the database
file and never in a log: `Credentials` does not show its secret in a repr.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


class CredentialsError(Exception):
    """The credentials file is missing, unreadable, malformed or too widely readable."""


@dataclass(frozen=True)
class Credentials:
    kiosk_id: str
    key_id: str
    secret: bytes = field(repr=False)


def load_credentials(path: Path | str) -> Credentials:
    path = Path(path)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CredentialsError(
            f"no credentials at {path}: enrol this kiosk first (kiosk enroll --center URL "
            "--token TOKEN)"
        ) from None
    except OSError as error:
        raise CredentialsError(f"cannot read the credentials at {path}: {error.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(
            f"the credentials at {path} may be read by other users (mode "
            f"{stat.S_IMODE(mode):o}): chmod 600 {path}"
        )
    try:
        data = json.loads(text)
        secret = base64.b64decode(data["secret"], validate=True)
        credentials = Credentials(str(data["kiosk_id"]), str(data["key_id"]), secret)
    except (ValueError, KeyError, TypeError, binascii.Error):
        # The text is not echoed: it holds the secret.
        raise CredentialsError(f"the credentials at {path} are malformed; enrol again") from None
    if not credentials.kiosk_id or not credentials.key_id or len(secret) < 16:
        raise CredentialsError(f"the credentials at {path} are incomplete; enrol again")
    return credentials


def save_credentials(path: Path | str, credentials: Credentials) -> None:
    """Write the file with mode 0600, atomically: a crash leaves the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        {
            "kiosk_id": credentials.kiosk_id,
            "key_id": credentials.key_id,
            "secret": base64.b64encode(credentials.secret).decode("ascii"),
        }
    )
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # Created 0600 from the start: the secret is never readable by others, not even briefly.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)  # O_CREAT's mode is ignored if the file already existed
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
