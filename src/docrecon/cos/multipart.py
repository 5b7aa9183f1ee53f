"""Multipart uploads (spec §3.3.2): the ETag of an assembled object and the reader that streams
its parts, in order, into the object store. Uploads and their parts are recorded by
:class:`docrecon.state.cos_uploads.UploadStore`."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from docrecon.cos.crc64 import crc64

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

MAX_PARTS = 10000


def multipart_etag(etags: Sequence[str]) -> str:
    """S3 convention: MD5 of the concatenated binary part MD5s, ``-<part count>``, quoted."""
    digest = hashlib.md5(b"".join(bytes.fromhex(e.strip('"')) for e in etags), usedforsecurity=False)
    return f'"{digest.hexdigest()}-{len(etags)}"'


class PartsReader(io.RawIOBase):
    """The part files read one after the other, computing the CRC-64 of the whole on the way."""

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__()
        self._paths = list(paths)
        self._current: io.BufferedReader | None = None
        self.crc = 0
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        while True:
            if self._current is None:
                if not self._paths:
                    return 0
                self._current = open(self._paths.pop(0), "rb")  # noqa: SIM115 - closed when exhausted
            n: int = self._current.readinto(view)
            if n:
                self.crc = crc64(bytes(view[:n]), self.crc)
                self.size += n
                return n
            self._current.close()
            self._current = None

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None
        super().close()
