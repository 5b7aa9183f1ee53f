"""Object storage behind one Protocol; :func:`make_storage` builds the configured backend."""

from __future__ import annotations

from docrecon.config import StorageSettings
from docrecon.storage.base import Presigning, Storage, check_key, presign, read_all
from docrecon.storage.local import LocalStorage
from docrecon.storage.memory import MemoryStorage

#: process-wide memory store, so ``kind="memory"`` means one shared store per process
_MEMORY = MemoryStorage()


def make_storage(settings: StorageSettings, default_root: str) -> Storage:
    """The backend named by ``settings.kind``; ``default_root`` is used when ``root`` is unset."""
    if settings.kind == "memory":
        return _MEMORY
    if settings.kind == "s3":
        from docrecon.storage.s3 import S3Storage  # boto3 is part of the service extra

        return S3Storage.from_settings(settings)
    return LocalStorage(settings.root or default_root)


__all__ = ["LocalStorage", "MemoryStorage", "Presigning", "Storage", "check_key", "make_storage", "presign", "read_all"]
