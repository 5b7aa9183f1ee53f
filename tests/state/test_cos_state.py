"""COS credentials, the object index and multipart uploads on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from docrecon.state import CredentialStore, ObjectIndex, UploadStore

PATH = "/corp/0/1234/doc/AbC-1700000000123.pdf"


def test_credentials(db_target: str | Path) -> None:
    store = CredentialStore(db_target, b"s" * 32)
    try:
        first = store.issue(app_id="7", bucket="b-1", upload_path=PATH, ttl=60, now=1000.0)
        second = store.issue(app_id="7", bucket="b-1", upload_path=PATH, ttl=60, now=2000.0)
        back = store.get(first.secret_id)
        assert back is not None and (back.secret_key, back.app_id, back.upload_path, back.token) == (
            first.secret_key,
            "7",
            PATH,
            "",
        )
        assert store.token_ok(back, first.token) and not store.token_ok(back, second.token)
        latest = store.for_object("b-1", PATH)
        assert latest is not None and latest.secret_id == second.secret_id
        assert store.purge(1061.0) == 1 and store.get(first.secret_id) is None
        with pytest.raises(ValueError):
            store.issue(app_id="0", bucket="b", upload_path="/corp/../x", ttl=60)
    finally:
        store.close()


def test_object_index_replaces_and_keeps_64_bit_crc(db_target: str | Path) -> None:
    index = ObjectIndex(db_target)
    try:
        crc = 2**64 - 5  # above SQLite's and PostgreSQL's signed 64-bit integers
        index.put("b", "corp/x.pdf", 10, '"e1"', 1, now=1.0)
        meta = index.put("b", "corp/x.pdf", 20, '"e2"', crc, now=2.0)
        assert index.get("b", "corp/x.pdf") == meta and (meta.size, meta.crc64) == (20, crc)
        assert meta.storage_key == "cos/b/corp/x.pdf"
        assert index.delete("b", "corp/x.pdf") and not index.delete("b", "corp/x.pdf")
        assert index.get("b", "corp/x.pdf") is None
    finally:
        index.close()


def test_uploads_and_parts(db_target: str | Path, tmp_path: Path) -> None:
    uploads = UploadStore(db_target, tmp_path / "parts")
    try:
        old = uploads.create("b", "corp/x", "AKIDx", now=100.0)
        new = uploads.create("b", "corp/y", "AKIDy", now=900.0)
        assert uploads.get(old.upload_id) == old and uploads.get("0" * 32) is None
        uploads.part_path(old.upload_id, 1).write_bytes(b"part")
        uploads.add_part(old.upload_id, 1, 3, '"a"')
        uploads.add_part(old.upload_id, 1, 4, '"b"')  # a retried part replaces the first
        uploads.add_part(old.upload_id, 2, 5, '"c"')
        assert {n: (p.size, p.etag) for n, p in uploads.parts(old.upload_id).items()} == {1: (4, '"b"'), 2: (5, '"c"')}
        assert uploads.started_before(500.0) == [old.upload_id]
        uploads.drop(old.upload_id)
        assert uploads.get(old.upload_id) is None and uploads.parts(old.upload_id) == {}
        assert not uploads.directory(old.upload_id).exists() and uploads.get(new.upload_id) == new
    finally:
        uploads.close()
