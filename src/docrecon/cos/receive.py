"""A request body streamed to a file while its MD5 and CRC-64 are computed.

Chunks are gathered up to 1 MiB and written and hashed in a worker thread, so memory stays at
about one buffer per upload and the event loop stays free. Whatever goes wrong (short body, the
client going away), the partial file is removed.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from docrecon.cos.crc64 import crc64
from docrecon.cos.errors import CosError

_FLUSH = 1 << 20


@dataclass(frozen=True, slots=True)
class Received:
    path: Path
    size: int
    md5_hex: str
    crc64: int

    @property
    def etag(self) -> str:
        return f'"{self.md5_hex}"'


class _Sink:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.crc = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.md5.update(data)
        self.crc = crc64(data, self.crc)
        self.size += len(data)


def expected_md5(content_md5: str | None) -> str | None:
    """The hex digest named by a ``Content-MD5`` header (base64 of the 16-byte digest)."""
    if content_md5 is None:
        return None
    try:
        raw = base64.b64decode(content_md5.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CosError("InvalidDigest", "Content-MD5 is not base64") from exc
    if len(raw) != 16:
        raise CosError("InvalidDigest", "Content-MD5 is not an MD5 digest")
    return raw.hex()


async def receive(chunks: AsyncIterator[bytes], dest: Path, expected_size: int, content_md5: str | None) -> Received:
    """Write the body to ``dest``; CosError if it is shorter or longer than ``expected_size`` or
    does not match ``Content-MD5``. ``dest`` is deleted on any failure."""
    want_md5 = expected_md5(content_md5)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(dest, "wb") as out:
            sink = _Sink(out)
            pending: list[bytes] = []
            buffered = 0
            async for chunk in chunks:
                if sink.size + buffered + len(chunk) > expected_size:
                    raise CosError("IncompleteBody", "the body is longer than Content-Length")
                pending.append(chunk)
                buffered += len(chunk)
                if buffered >= _FLUSH:
                    await asyncio.to_thread(sink.write, b"".join(pending))
                    pending, buffered = [], 0
            if pending:
                await asyncio.to_thread(sink.write, b"".join(pending))
        if sink.size != expected_size:
            raise CosError("IncompleteBody", f"received {sink.size} of {expected_size} bytes")
        digest = sink.md5.hexdigest()
        if want_md5 is not None and digest != want_md5:
            raise CosError("BadDigest", "the Content-MD5 you specified did not match what was received")
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            dest.unlink()
        raise
    return Received(dest, sink.size, digest, sink.crc)
