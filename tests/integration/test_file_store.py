"""The storage port: the same test body on files on disk and on an S3 server (moto's, in
process, on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from center.business.storage import (
    DiskStore,
    FileMissing,
    FileStore,
    S3Store,
    content_key,
    store_content,
)


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["disk", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> FileStore:
    if request.param == "disk":
        return DiskStore(tmp_path / "files")
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"files-{tmp_path.name.lower().replace('_', '-')}"[:60]
    env = {
        "KIOSK_CENTER_S3_BUCKET": bucket,
        "KIOSK_CENTER_S3_ENDPOINT": endpoint,
        "KIOSK_CENTER_S3_ACCESS_KEY": "testing",
        "KIOSK_CENTER_S3_SECRET_KEY": "testing",
        "KIOSK_CENTER_S3_REGION": "us-east-1",
    }
    s3 = S3Store.from_env(env)
    s3._client.create_bucket(Bucket=bucket)
    return s3


def test_a_file_put_comes_back_and_goes_away(store: FileStore) -> None:
    assert not store.exists("pages/a.jpg")
    store.put("pages/a.jpg", b"\xff\xd8first")
    store.put("pages/a.jpg", b"\xff\xd8second")  # replaced whole
    assert store.exists("pages/a.jpg")
    assert store.get("pages/a.jpg") == b"\xff\xd8second"
    store.delete("pages/a.jpg")
    assert not store.exists("pages/a.jpg")
    with pytest.raises(FileMissing):
        store.get("pages/a.jpg")
    store.delete("pages/a.jpg")  # deleting what is gone is no error


def test_identical_content_is_stored_once_under_its_hash(store: FileStore) -> None:
    first = store_content(store, b"the same page")
    second = store_content(store, b"the same page")
    other = store_content(store, b"another page")
    assert first == second
    assert first[0] == content_key(first[1])
    assert other[0] != first[0]
    assert store.get(first[0]) == b"the same page"


@pytest.mark.parametrize("key", ["../escape", "/etc/passwd", "a/../../b", "", "a//b", ".hidden"])
def test_an_unsafe_key_is_refused(store: FileStore, key: str) -> None:
    with pytest.raises(ValueError):
        store.put(key, b"x")


def test_a_disk_write_leaves_no_partial_file(tmp_path: Path) -> None:
    store = DiskStore(tmp_path)
    store.put("a/b.bin", b"1" * 100_000)
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b.bin"]
