"""Sealing personal fields for the queue: AES-GCM under a key kept outside the database."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sync.credentials import Credentials, save_credentials
from sync.sealing import KEY_FILE, Sealer, SealError, derive_key, local_key, sealer_for

PERSONAL = {"id_number": "110101199003070019", "name": "张三"}
EVENT = "6f1c2a52-5c3e-4f0e-9a59-3f2b1d8e7a10"


def test_a_sealed_blob_opens_to_the_same_fields_and_shows_none_of_them() -> None:
    sealer = Sealer(derive_key(b"s" * 32))
    blob = sealer.seal(PERSONAL, EVENT)
    assert sealer.open(blob, EVENT) == PERSONAL
    assert b"110101199003070019" not in blob
    assert "张三".encode() not in blob


def test_each_seal_has_its_own_nonce() -> None:
    sealer = Sealer(derive_key(b"s" * 32))
    assert sealer.seal(PERSONAL, EVENT) != sealer.seal(PERSONAL, EVENT)


@pytest.mark.parametrize("change", ["flip-a-byte", "other-event", "other-key"])
def test_a_tampered_moved_or_foreign_blob_does_not_open(change: str) -> None:
    sealer = Sealer(derive_key(b"s" * 32))
    blob = sealer.seal(PERSONAL, EVENT)
    event_id = EVENT
    if change == "flip-a-byte":
        blob = blob[:-1] + bytes([blob[-1] ^ 1])
    elif change == "other-event":
        event_id = EVENT.replace("6f", "70", 1)
    else:
        sealer = Sealer(derive_key(b"t" * 32))
    with pytest.raises(SealError):
        sealer.open(blob, event_id)


def test_the_key_depends_on_the_secret_and_refuses_short_ones() -> None:
    assert derive_key(b"a" * 32) != derive_key(b"b" * 32)
    assert len(derive_key(b"a" * 32)) == 32
    with pytest.raises(ValueError):
        derive_key(b"short")


def test_the_local_key_file_is_private_and_stable(tmp_path: Path) -> None:
    first = local_key(tmp_path)
    assert local_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600


def test_after_enrolment_old_events_still_open_and_new_ones_use_the_credentials(
    tmp_path: Path,
) -> None:
    credentials = tmp_path / "credentials.json"
    before = sealer_for(tmp_path, credentials)  # not enrolled: the local key
    old_blob = before.seal(PERSONAL, EVENT)
    save_credentials(credentials, Credentials("kiosk-1", "key-1", b"k" * 32))
    after = sealer_for(tmp_path, credentials)
    assert after.open(old_blob, EVENT) == PERSONAL
    new_blob = after.seal(PERSONAL, EVENT)
    assert Sealer(derive_key(b"k" * 32)).open(new_blob, EVENT) == PERSONAL
    with pytest.raises(SealError):
        before.open(new_blob, EVENT)
