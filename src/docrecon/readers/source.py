"""A document to read: a path or bytes, its name, and an optionally declared type."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from docrecon.readers.formats import Format


@dataclass
class Source:
    """Where the bytes come from. Use :meth:`from_path` or :meth:`from_bytes`."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    declared: Format | None = None
    _sha256: str | None = field(default=None, repr=False)

    @classmethod
    def from_path(cls, path: str | os.PathLike[str], declared: Format | None = None) -> Source:
        p = Path(path)
        return cls(name=p.name, path=p, declared=declared)

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "document", declared: Format | None = None) -> Source:
        return cls(name=name, data=data, declared=declared)

    @property
    def stem(self) -> str:
        stem = Path(self.name).stem if self.name else "document"
        return stem or "document"

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return open(self.path, "rb")

    def head(self, n: int = 8192) -> bytes:
        with self.open() as fh:
            return fh.read(n)

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            h = hashlib.sha256()
            with self.open() as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            self._sha256 = h.hexdigest()
        return self._sha256

    @contextmanager
    def as_path(self, suffix: str = "") -> Iterator[Path]:
        """A filesystem path holding the content (a temporary file for in-memory sources)."""
        if self.path is not None:
            yield self.path
            return
        assert self.data is not None
        fd, tmp = tempfile.mkstemp(prefix="docrecon-", suffix=suffix)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(self.data)
            yield Path(tmp)
        finally:
            os.unlink(tmp)
