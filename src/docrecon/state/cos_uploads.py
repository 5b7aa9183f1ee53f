"""Multipart uploads of the embedded COS endpoint (spec §3.3.2): uploads and their parts in
``cos.sqlite3`` (or PostgreSQL), part bytes as files under ``<data_dir>/cos-parts/<upload id>/<part
number>`` until the upload is completed, aborted or abandoned (:mod:`docrecon.cos.multipart`
assembles them)."""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from docrecon.db import SqlStore

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


class UploadStore(SqlStore):
    def __init__(self, target: str | Path, parts_dir: Path) -> None:
        super().__init__(target, _SCHEMA)
        parts_dir.mkdir(parents=True, exist_ok=True)
        self.parts_dir = parts_dir

    def create(self, bucket: str, key: str, secret_id: str, now: float | None = None) -> Upload:
        upload = Upload(uuid.uuid4().hex, bucket, key, secret_id, time.time() if now is None else now)
        self.directory(upload.upload_id).mkdir(parents=True, exist_ok=True)
        with self._db.tx() as q:
            q.execute(
                "INSERT INTO cos_uploads (upload_id, bucket, key, secret_id, created) VALUES (?,?,?,?,?)",
                (upload.upload_id, bucket, key, secret_id, upload.created),
            )
        return upload

    def get(self, upload_id: str) -> Upload | None:
        with self._db.tx() as q:
            row = q.execute(
                "SELECT upload_id, bucket, key, secret_id, created FROM cos_uploads WHERE upload_id = ?", (upload_id,)
            ).fetchone()
        return None if row is None else Upload(str(row[0]), str(row[1]), str(row[2]), str(row[3]), float(row[4]))

    def directory(self, upload_id: str) -> Path:
        return self.parts_dir / uuid.UUID(hex=upload_id).hex

    def part_path(self, upload_id: str, number: int) -> Path:
        return self.directory(upload_id) / str(number)

    def add_part(self, upload_id: str, number: int, size: int, etag: str) -> Part:
        """Record a part whose file is already in place at :meth:`part_path` (a retry replaces it)."""
        with self._db.tx() as q:
            q.execute(
                "INSERT INTO cos_parts (upload_id, number, size, etag) VALUES (?,?,?,?)"
                " ON CONFLICT (upload_id, number) DO UPDATE SET size = excluded.size, etag = excluded.etag",
                (upload_id, number, size, etag),
            )
        return Part(number, size, etag)

    def parts(self, upload_id: str) -> dict[int, Part]:
        with self._db.tx() as q:
            rows = q.execute("SELECT number, size, etag FROM cos_parts WHERE upload_id = ?", (upload_id,)).fetchall()
        return {int(n): Part(int(n), int(s), str(e)) for n, s, e in rows}

    def drop(self, upload_id: str) -> None:
        """Forget the upload and delete its staged parts."""
        with self._db.tx() as q:
            q.execute("DELETE FROM cos_parts WHERE upload_id = ?", (upload_id,))
            q.execute("DELETE FROM cos_uploads WHERE upload_id = ?", (upload_id,))
        shutil.rmtree(self.directory(upload_id), ignore_errors=True)

    def started_before(self, before: float) -> list[str]:
        with self._db.tx() as q:
            rows = q.execute("SELECT upload_id FROM cos_uploads WHERE created < ?", (before,)).fetchall()
        return [str(r[0]) for r in rows]
