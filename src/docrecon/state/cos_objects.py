"""The object index: (bucket, key) -> size, ETag, CRC-64 and where the bytes are stored.

Rows live in ``<data_dir>/cos.sqlite3`` (or PostgreSQL); the bytes in the project's :class:`Storage` under
``cos/<bucket>/<key>``. The CRC is kept as a decimal string (it does not fit SQLite's signed
64-bit integers).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from docrecon.db import SqlStore
from docrecon.errors import StorageError
from docrecon.storage.base import check_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cos_objects (
    bucket TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
    crc64 TEXT NOT NULL, storage_key TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY (bucket, key)
);
"""
_COLUMNS = "bucket, key, size, etag, crc64, storage_key, created"


@dataclass(frozen=True, slots=True)
class ObjectMeta:
    bucket: str
    #: object key without a leading "/"
    key: str
    size: int
    #: with its double quotes: ``"<md5 hex>"`` or ``"<md5 of part md5s>-<parts>"``
    etag: str
    crc64: int
    storage_key: str
    created: float


def storage_key(bucket: str, key: str) -> str:
    """``cos/<bucket>/<key>``; StorageError if the key cannot be stored (``..``, odd characters)."""
    return check_key(f"cos/{bucket}/{key}")


def valid_key(bucket: str, key: str) -> bool:
    try:
        storage_key(bucket, key)
    except StorageError:
        return False
    return True


class ObjectIndex(SqlStore):
    def __init__(self, target: str | Path) -> None:
        super().__init__(target, _SCHEMA)

    def put(self, bucket: str, key: str, size: int, etag: str, crc64: int, now: float | None = None) -> ObjectMeta:
        """Record (or replace) the object whose bytes were just stored under :func:`storage_key`."""
        meta = ObjectMeta(bucket, key, size, etag, crc64, storage_key(bucket, key), time.time() if now is None else now)
        with self._db.tx() as q:
            q.execute(
                f"INSERT INTO cos_objects ({_COLUMNS}) VALUES (?,?,?,?,?,?,?) ON CONFLICT (bucket, key) DO UPDATE SET"
                " size = excluded.size, etag = excluded.etag, crc64 = excluded.crc64,"
                " storage_key = excluded.storage_key, created = excluded.created",
                (bucket, key, size, etag, str(crc64), meta.storage_key, meta.created),
            )
        return meta

    def get(self, bucket: str, key: str) -> ObjectMeta | None:
        with self._db.tx() as q:
            row = q.execute(
                f"SELECT {_COLUMNS} FROM cos_objects WHERE bucket = ? AND key = ?", (bucket, key)
            ).fetchone()
        if row is None:
            return None
        b, k, size, etag, crc, skey, created = row
        return ObjectMeta(str(b), str(k), int(size), str(etag), int(crc), str(skey), float(created))

    def delete(self, bucket: str, key: str) -> bool:
        with self._db.tx() as q:
            return q.execute("DELETE FROM cos_objects WHERE bucket = ? AND key = ?", (bucket, key)).rowcount > 0
