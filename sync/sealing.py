"""Sealing personal data while it waits in the queue: AES-256-GCM, one random nonce per event.

The key never lives in the database file. It is derived (HKDF-SHA256) from the kiosk's
credentials secret once the kiosk is enrolled; before that, from a random key kept in
`<data_dir>/queue.key` (mode 0600). Both stay usable for opening, so events sealed before
enrolment are still delivered after it.

A sealed blob is `version (1 byte) | key id (8 bytes) | nonce (12 bytes) | ciphertext+tag`;
the event id is the associated data, so a blob copied onto another row does not open.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sync.credentials import CredentialsError, load_credentials

log = logging.getLogger(__name__)

VERSION = 1
NONCE_BYTES = 12
KEY_ID_BYTES = 8
_HEADER = 1 + KEY_ID_BYTES + NONCE_BYTES
# Domain separation: this key seals the queue and nothing else derived from the same secret.
_INFO = b"kiosk-queue-sealing-v1"
KEY_FILE = "queue.key"


class SealError(ValueError):
    """A blob that cannot be opened: unknown key, tampered, or not ours."""


def derive_key(secret: bytes | str) -> bytes:
    """The 256-bit sealing key for a secret (HKDF-SHA256, no salt: the secret is random)."""
    material = secret.encode() if isinstance(secret, str) else bytes(secret)
    if len(material) < 16:
        raise ValueError("a sealing secret must have at least 16 bytes")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material)


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"key-id:" + key).digest()[:KEY_ID_BYTES]


class Sealer:
    """Seals with the first key, opens with any of them."""

    def __init__(self, key: bytes, *older: bytes) -> None:
        keys = [key, *older]
        if any(len(k) != 32 for k in keys):
            raise ValueError("sealing keys are 32 bytes")
        self._current = (_key_id(key), AESGCM(key))
        self._by_id = {_key_id(k): AESGCM(k) for k in keys}

    def seal(self, fields: Mapping[str, Any], event_id: str) -> bytes:
        key_id, aead = self._current
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(dict(fields), ensure_ascii=False, sort_keys=True).encode()
        return bytes([VERSION]) + key_id + nonce + aead.encrypt(nonce, plain, event_id.encode())

    def open(self, blob: bytes, event_id: str) -> dict[str, Any]:
        if len(blob) <= _HEADER or blob[0] != VERSION:
            raise SealError("not a sealed blob of a known version")
        aead = self._by_id.get(blob[1 : 1 + KEY_ID_BYTES])
        if aead is None:
            raise SealError("sealed with a key this kiosk no longer has")
        nonce = blob[1 + KEY_ID_BYTES : _HEADER]
        try:
            plain = aead.decrypt(nonce, blob[_HEADER:], event_id.encode())
        except InvalidTag as exc:
            raise SealError("the sealed blob was altered or belongs to another event") from exc
        opened: dict[str, Any] = json.loads(plain)
        return opened


def local_key(data_dir: Path) -> bytes:
    """The kiosk's own random key in `<data_dir>/queue.key`, created (0600) on first use."""
    path = Path(data_dir) / KEY_FILE
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    # O_EXCL: two processes starting at once must not each write their own key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as file:
        file.write(key.hex())
        file.flush()
        os.fsync(file.fileno())
    return key


def _credentials_secret(credentials_path: Path | None) -> bytes | str | None:
    if credentials_path is None or not Path(credentials_path).exists():
        return None
    try:
        return load_credentials(credentials_path).secret
    except CredentialsError as error:
        # The link to the center will say the same; the queue keeps working on the local key.
        log.warning("queue sealed with the local key only: %s", error)
        return None


def sealer_for(data_dir: Path, credentials_path: Path | None = None) -> Sealer:
    """The kiosk's sealer: the credentials' key once enrolled, else the local key file.

    The local key stays an opening key after enrolment: what was sealed before still opens.
    """
    local = local_key(data_dir)
    secret = _credentials_secret(credentials_path)
    if secret is None:
        return Sealer(local)
    return Sealer(derive_key(secret), local)
