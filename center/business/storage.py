"""Where the center keeps residents' files (page photos, signatures, sealed PDFs, live photos):
one port, `FileStore`, with files on disk for the reference center (`DiskStore`) and an
S3-compatible object store when a region grows (`S3Store`). The database keeps each file's key
and sha256; the bytes live only here.

Keys are made from the content's sha256 (`content_key`), so the same page sent twice is
stored once, and a key says nothing personal.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

# A key is a relative name of safe parts: letters, digits, dot, dash, underscore, separated
# by "/"; never absolute, never a ".." part (it would reach outside the store's folder).
_KEY = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")

S3_BUCKET_ENV = "KIOSK_CENTER_S3_BUCKET"
S3_ENDPOINT_ENV = "KIOSK_CENTER_S3_ENDPOINT"  # any S3-compatible service; unset: AWS's own
S3_ACCESS_KEY_ENV = "KIOSK_CENTER_S3_ACCESS_KEY"
S3_SECRET_KEY_ENV = "KIOSK_CENTER_S3_SECRET_KEY"
S3_REGION_ENV = "KIOSK_CENTER_S3_REGION"


class FileMissing(KeyError):
    """No file under that key."""


class FileStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_key(sha256: str, prefix: str = "files") -> str:
    """The key of content with this sha256: `prefix/ab/abcdef...` (a folder per first byte
    keeps any one folder small)."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a sha256 in hex")
    return check_key(f"{prefix}/{sha256[:2]}/{sha256}")


def store_content(store: FileStore, data: bytes, prefix: str = "files") -> tuple[str, str]:
    """Put `data` under its content key unless it is there already: (key, sha256)."""
    digest = sha256_of(data)
    key = content_key(digest, prefix)
    if not store.exists(key):
        store.put(key, data)
    return key, digest


def check_key(key: str) -> str:
    if not _KEY.fullmatch(key) or ".." in key.split("/"):
        raise ValueError(f"not a safe storage key: {key!r}")
    return key


class DiskStore:
    """Files in a folder; a write goes to a temporary file first and is renamed into place, so
    a reader never sees half a file and a crash leaves none."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.folder / check_key(key)

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise FileMissing(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


class S3Store:
    """Objects in one bucket of an S3-compatible store. Nothing about the bucket is built in:
    `S3Store.from_env()` reads KIOSK_CENTER_S3_* (bucket, endpoint, keys, region)."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        region: str | None = None,
        client: Any = None,
    ) -> None:
        if client is None:
            import boto3  # only a center that uses an object store needs it loaded

            client = boto3.client(
                "s3",
                endpoint_url=endpoint_url,
                aws_access_key_id=access_key,
                aws_secret_access_key=secret_key,
                region_name=region,
            )
        self.bucket = bucket
        self._client = client

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> S3Store:
        env = os.environ if env is None else env
        bucket = env.get(S3_BUCKET_ENV)
        if not bucket:
            raise ValueError(f"{S3_BUCKET_ENV} is not set: which bucket holds the files?")
        return cls(
            bucket,
            endpoint_url=env.get(S3_ENDPOINT_ENV) or None,
            access_key=env.get(S3_ACCESS_KEY_ENV) or None,
            secret_key=env.get(S3_SECRET_KEY_ENV) or None,
            region=env.get(S3_REGION_ENV) or None,
        )

    def put(self, key: str, data: bytes) -> None:
        # One PUT is atomic in S3: a reader sees the old object or the whole new one.
        self._client.put_object(Bucket=self.bucket, Key=check_key(key), Body=data)

    def get(self, key: str) -> bytes:
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=check_key(key))
        except self._client.exceptions.NoSuchKey:
            raise FileMissing(key) from None
        body: bytes = answer["Body"].read()
        return body

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True


def file_store_from_env(
    default_folder: str | os.PathLike[str], env: Mapping[str, str] | None = None
) -> FileStore:
    """The object store when KIOSK_CENTER_S3_BUCKET is set, else files in `default_folder`."""
    env = os.environ if env is None else env
    if env.get(S3_BUCKET_ENV):
        return S3Store.from_env(env)
    return DiskStore(default_folder)
