"""Where extracted pictures live: blocks hold an ``ImageRef`` key, never bytes."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from typing import Protocol

from docrecon.model.types import ImageRef

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class AssetStore(Protocol):
    def put(self, name: str, data: bytes, mime: str, width: int = 0, height: int = 0) -> ImageRef: ...
    def get(self, key: str) -> bytes: ...
    def keys(self) -> list[str]: ...


def check_key(key: str) -> str:
    if not _SAFE.match(key) or ".." in key:
        raise ValueError(f"unsafe asset key {key!r}")
    return key


class MemoryAssets:
    """Keeps pictures in a dict: the default for ``docrecon.parse``."""

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}

    def put(self, name: str, data: bytes, mime: str, width: int = 0, height: int = 0) -> ImageRef:
        self._data[check_key(name)] = data
        return ImageRef(name, mime, width, height)

    def get(self, key: str) -> bytes:
        return self._data[key]

    def keys(self) -> list[str]:
        return list(self._data)


class DirAssets:
    """Spills pictures to a directory so long documents keep memory flat."""

    def __init__(self, directory: str | None = None) -> None:
        self._owned = directory is None
        self.directory = directory or tempfile.mkdtemp(prefix="docrecon-assets-")
        os.makedirs(self.directory, exist_ok=True)
        self._keys: list[str] = []

    def put(self, name: str, data: bytes, mime: str, width: int = 0, height: int = 0) -> ImageRef:
        with open(os.path.join(self.directory, check_key(name)), "wb") as fh:
            fh.write(data)
        self._keys.append(name)
        return ImageRef(name, mime, width, height)

    def get(self, key: str) -> bytes:
        with open(os.path.join(self.directory, check_key(key)), "rb") as fh:
            return fh.read()

    def keys(self) -> list[str]:
        return list(self._keys)

    def cleanup(self) -> None:
        if self._owned:
            shutil.rmtree(self.directory, ignore_errors=True)
