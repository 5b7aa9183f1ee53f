"""The object store Protocol: inputs and result zips live under string keys.

Keys are ``/``-separated relative paths (``inputs/<task id>``, ``results/<task id>_parse.zip``).
Implementations: :class:`~docrecon.storage.local.LocalStorage` (default),
:class:`~docrecon.storage.memory.MemoryStorage` (tests), :class:`~docrecon.storage.s3.S3Storage`
(S3-compatible, also :class:`Presigning`), all built by :func:`~docrecon.storage.make_storage`.
"""

from __future__ import annotations

import re
from typing import BinaryIO, Protocol, runtime_checkable

from docrecon.errors import StorageError

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


@runtime_checkable
class Storage(Protocol):
    """Blocking calls: the API layer runs them in a thread, workers call them directly."""

    def put(self, key: str, data: bytes | BinaryIO) -> int:
        """Store ``data`` under ``key`` (replacing it); returns the number of bytes written."""
        ...

    def open(self, key: str) -> BinaryIO:
        """A readable binary file; raises :class:`docrecon.errors.NotFound` if absent."""
        ...

    def size(self, key: str) -> int | None:
        """Size in bytes, or None if the key does not exist."""
        ...

    def delete(self, key: str) -> None:
        """Remove the key; absent keys are ignored."""
        ...


@runtime_checkable
class Presigning(Protocol):
    """Optional capability: a time-limited URL that fetches the object straight from the store."""

    def presigned_url(self, key: str, ttl: int) -> str: ...


def presign(storage: Storage, key: str, ttl: int) -> str | None:
    """A presigned GET URL for ``key`` valid ``ttl`` seconds, or None if the store cannot presign."""
    return storage.presigned_url(key, ttl) if isinstance(storage, Presigning) else None


def check_key(key: str) -> str:
    """Refuse keys that could escape the store (``..``, absolute paths, odd characters)."""
    if not _KEY.match(key) or ".." in key.split("/"):
        raise StorageError(f"invalid storage key {key!r}")
    return key


def read_all(storage: Storage, key: str) -> bytes:
    with storage.open(key) as fh:
        return fh.read()
