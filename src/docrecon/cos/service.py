"""``CosService``: the embedded COS endpoint's state, built once by ``Services``.

Credentials, the object index and multipart uploads share ``<data_dir>/cos.sqlite3`` (or the
PostgreSQL database, :mod:`docrecon.state`); staged
bodies and parts live under ``<data_dir>/cos-parts/``; object bytes in the project's Storage.
Blocking methods (``store``, ``complete``, ``open``, ``sweep``) are run in a thread by the routes.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from docrecon.config import CosSettings, Settings
from docrecon.cos.errors import CosError
from docrecon.cos.multipart import MAX_PARTS, PartsReader, multipart_etag
from docrecon.cos.receive import Received
from docrecon.errors import NotFound
from docrecon.state import CredentialStore, ObjectIndex, ObjectMeta, Upload, UploadStore, database
from docrecon.state.cos_objects import storage_key
from docrecon.storage import Storage

log = logging.getLogger(__name__)


class CosService:
    def __init__(self, settings: Settings, storage: Storage, server_secret: bytes) -> None:
        self.settings: CosSettings = settings.cos
        self.storage = storage
        db_path = database(settings, "cos")
        self.parts_dir = settings.data_dir / "cos-parts"
        self.credentials = CredentialStore(db_path, server_secret)
        self.objects = ObjectIndex(db_path)
        self.uploads = UploadStore(db_path, self.parts_dir)
        self._tmp_dir = self.parts_dir / "tmp"
        self._tmp_dir.mkdir(parents=True, exist_ok=True)

    def close(self) -> None:
        self.credentials.close()
        self.objects.close()
        self.uploads.close()

    def head(self, bucket: str, key: str) -> ObjectMeta | None:
        return self.objects.get(bucket, key)

    def open(self, bucket: str, key: str) -> BinaryIO:
        """The object's bytes; NotFound if there is no such object."""
        meta = self.objects.get(bucket, key)
        if meta is None:
            raise NotFound(f"no object {bucket}/{key}")
        return self.storage.open(meta.storage_key)

    def staging_path(self) -> Path:
        """A fresh file name for a body being received."""
        return self._tmp_dir / uuid.uuid4().hex

    def store(self, bucket: str, key: str, body: Received) -> ObjectMeta:
        """Move a received body into the object store and index it; the staged file is removed.
        Until the storage write succeeds, a previous object under the key stays as it was."""
        try:
            with open(body.path, "rb") as fh:
                self.storage.put(storage_key(bucket, key), fh)
        finally:
            body.path.unlink(missing_ok=True)
        return self.objects.put(bucket, key, body.size, body.etag, body.crc64)

    def complete(self, upload: Upload, requested: Sequence[tuple[int, str]]) -> ObjectMeta:
        """Assemble the listed parts (ascending numbers, matching ETags) into the object."""
        if not requested:
            raise CosError("MalformedXML", "the request lists no parts")
        numbers = [n for n, _ in requested]
        if numbers != sorted(set(numbers)):
            raise CosError("InvalidPartOrder", "parts must be listed in ascending order, each once")
        staged = self.uploads.parts(upload.upload_id)
        for number, etag in requested:
            part = staged.get(number)
            if part is None or part.etag.strip('"') != etag.strip().strip('"').lower():
                raise CosError("InvalidPart", f"part {number} was not uploaded or its ETag does not match")
        total = sum(staged[n].size for n in numbers)
        if total > self.settings.max_object_bytes:
            raise CosError("EntityTooLarge", f"the object would be larger than {self.settings.max_object_bytes} bytes")
        reader = PartsReader([self.uploads.part_path(upload.upload_id, n) for n in numbers])
        with io.BufferedReader(reader, 1 << 20) as stream:
            self.storage.put(storage_key(upload.bucket, upload.key), stream)
        etag = multipart_etag([staged[n].etag for n in numbers])
        meta = self.objects.put(upload.bucket, upload.key, reader.size, etag, reader.crc)
        self.uploads.drop(upload.upload_id)
        return meta

    def check_part_number(self, number: int) -> None:
        if not 1 <= number <= MAX_PARTS:
            raise CosError("InvalidArgument", f"partNumber must be between 1 and {MAX_PARTS}")

    def sweep(self, now: float | None = None) -> int:
        """Drop multipart uploads older than ``multipart_ttl`` and stale staged bodies."""
        cutoff = (time.time() if now is None else now) - self.settings.multipart_ttl
        dropped = self.uploads.started_before(cutoff)
        for upload_id in dropped:
            self.uploads.drop(upload_id)
        for path in self._tmp_dir.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    if path.is_dir():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink()
        if dropped:
            log.info("dropped %d abandoned multipart uploads", len(dropped))
        return len(dropped)
