"""Multipart uploads (spec §3.3.2): uploads and their parts in ``cos.sqlite3``, part bytes as
files under ``<data_dir>/cos-parts/<upload id>/<part number>`` until the upload is completed
(the parts are then streamed, in order, into the object store) or aborted or abandoned."""

from __future__ import annotations

import hashlib
import io
import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docrecon.cos.crc64 import crc64
from docrecon.db import SqliteStore

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cos_uploads (
    upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, secret_id TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS cos_parts (
    upload_id TEXT NOT NULL, number INTEGER NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
    PRIMARY KEY (upload_id, number)
);
"""
MAX_PARTS = 10000


@dataclass(frozen=True, slots=True)
class Upload:
    upload_id: str
    bucket: str
    key: str
    secret_id: str
    created: float


@dataclass(frozen=True, slots=True)
class Part:
    number: int
    size: int
    #: quoted MD5 hex of the part
    etag: str


def multipart_etag(etags: Sequence[str]) -> str:
    """S3 convention: MD5 of the concatenated binary part MD5s, ``-<part count>``, quoted."""
    digest = hashlib.md5(b"".join(bytes.fromhex(e.strip('"')) for e in etags), usedforsecurity=False)
    return f'"{digest.hexdigest()}-{len(etags)}"'


class UploadStore(SqliteStore):
    def __init__(self, db_path: Path, parts_dir: Path) -> None:
        super().__init__(db_path, _SCHEMA)
        parts_dir.mkdir(parents=True, exist_ok=True)
        self.parts_dir = parts_dir

    def create(self, bucket: str, key: str, secret_id: str, now: float | None = None) -> Upload:
        upload = Upload(uuid.uuid4().hex, bucket, key, secret_id, time.time() if now is None else now)
        self.directory(upload.upload_id).mkdir(parents=True, exist_ok=True)
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO cos_uploads (upload_id, bucket, key, secret_id, created) VALUES (?,?,?,?,?)",
                (upload.upload_id, bucket, key, secret_id, upload.created),
            )
        return upload

    def get(self, upload_id: str) -> Upload | None:
        with self._lock:
            row = self._db.execute(
                "SELECT upload_id, bucket, key, secret_id, created FROM cos_uploads WHERE upload_id = ?", (upload_id,)
            ).fetchone()
        return None if row is None else Upload(str(row[0]), str(row[1]), str(row[2]), str(row[3]), float(row[4]))

    def directory(self, upload_id: str) -> Path:
        return self.parts_dir / uuid.UUID(hex=upload_id).hex

    def part_path(self, upload_id: str, number: int) -> Path:
        return self.directory(upload_id) / str(number)

    def add_part(self, upload_id: str, number: int, size: int, etag: str) -> Part:
        """Record a part whose file is already in place at :meth:`part_path` (a retry replaces it)."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO cos_parts (upload_id, number, size, etag) VALUES (?,?,?,?)",
                (upload_id, number, size, etag),
            )
        return Part(number, size, etag)

    def parts(self, upload_id: str) -> dict[int, Part]:
        with self._lock:
            rows = self._db.execute(
                "SELECT number, size, etag FROM cos_parts WHERE upload_id = ?", (upload_id,)
            ).fetchall()
        return {int(n): Part(int(n), int(s), str(e)) for n, s, e in rows}

    def drop(self, upload_id: str) -> None:
        """Forget the upload and delete its staged parts."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM cos_parts WHERE upload_id = ?", (upload_id,))
            self._db.execute("DELETE FROM cos_uploads WHERE upload_id = ?", (upload_id,))
        shutil.rmtree(self.directory(upload_id), ignore_errors=True)

    def started_before(self, before: float) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT upload_id FROM cos_uploads WHERE created < ?", (before,)).fetchall()
        return [str(r[0]) for r in rows]


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
