"""Objects in a dict: the in-memory store for tests (one process only)."""

from __future__ import annotations

import io
import threading
from typing import BinaryIO

from docrecon.errors import NotFound
from docrecon.storage.base import check_key


class MemoryStorage:
    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, key: str, data: bytes | BinaryIO) -> int:
        blob = bytes(data) if isinstance(data, bytes | bytearray) else data.read()
        with self._lock:
            self._data[check_key(key)] = blob
        return len(blob)

    def open(self, key: str) -> BinaryIO:
        with self._lock:
            blob = self._data.get(check_key(key))
        if blob is None:
            raise NotFound(f"no object {key}")
        return io.BytesIO(blob)

    def size(self, key: str) -> int | None:
        with self._lock:
            blob = self._data.get(check_key(key))
        return None if blob is None else len(blob)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(check_key(key), None)
