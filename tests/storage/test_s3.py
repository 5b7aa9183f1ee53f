"""S3Storage against a real S3-compatible server on loopback (moto; see conftest.py)."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path

import httpx
import pytest
from api.apiserver import make_pdf, run_server
from pydantic import ValidationError

from docrecon.config import Settings, StorageSettings
from docrecon.errors import NotFound, StorageError
from docrecon.storage import LocalStorage, Presigning, make_storage, presign, read_all
from docrecon.storage.s3 import MiB, S3Storage


def _objects(store: S3Storage) -> list[str]:
    listed = store._client.list_objects_v2(Bucket=store.bucket)
    return sorted(o["Key"] for o in listed.get("Contents", []))


class Trickle:
    """A non-seekable source of ``n`` bytes that records how much each read asks for."""

    def __init__(self, n: int) -> None:
        self.left = n
        self.requests: list[int] = []
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        self.requests.append(size)
        take = self.left if size < 0 else min(size, self.left)
        self.left -= take
        data = bytes([len(self.requests) % 251]) * take
        self.digest.update(data)
        return data


def test_round_trip_under_prefix(s3_settings: StorageSettings, tmp_path: Path) -> None:
    store = make_storage(s3_settings, str(tmp_path))
    assert isinstance(store, S3Storage) and isinstance(store, Presigning)
    assert store.put("inputs/a", b"hello world") == 11
    assert _objects(store) == ["svc/inputs/a"]
    assert store.size("inputs/a") == 11
    with store.open("inputs/a") as fh:
        assert fh.read(5) == b"hello" and fh.read() == b" world" and fh.read() == b""
    assert read_all(store, "inputs/a") == b"hello world"
    store.delete("inputs/a")
    assert _objects(store) == [] and store.size("inputs/a") is None


def test_large_put_streams_in_parts(s3_settings: StorageSettings) -> None:
    store = S3Storage.from_settings(s3_settings, multipart_threshold=1 * MiB, multipart_chunksize=5 * MiB)
    source = Trickle(12 * MiB)
    assert store.put("results/big_parse.zip", source) == 12 * MiB  # type: ignore[arg-type]
    assert source.requests and all(0 <= n <= 5 * MiB for n in source.requests)  # never read(-1)
    head = store._client.head_object(Bucket=store.bucket, Key="svc/results/big_parse.zip")
    assert head["ETag"].endswith('-3"')  # three parts
    digest = hashlib.sha256()
    with store.open("results/big_parse.zip") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    assert digest.hexdigest() == source.digest.hexdigest()


def test_seekable_put_from_current_position(s3_settings: StorageSettings) -> None:
    """What the worker does: a SpooledTemporaryFile (rolled over to disk) as the source."""
    store = S3Storage.from_settings(s3_settings, multipart_threshold=1 * MiB, multipart_chunksize=5 * MiB)
    with tempfile.SpooledTemporaryFile(max_size=1 << 20) as buf:
        buf.write(b"skip" + b"z" * (6 * MiB))
        buf.seek(4)
        assert store.put("results/s_parse.zip", buf) == 6 * MiB  # type: ignore[arg-type]
    assert store.size("results/s_parse.zip") == 6 * MiB
    assert read_all(store, "results/s_parse.zip") == b"z" * (6 * MiB)


def test_missing_objects(s3_settings: StorageSettings) -> None:
    store = S3Storage.from_settings(s3_settings)
    with pytest.raises(NotFound, match="no object inputs/nothing"):
        store.open("inputs/nothing")
    assert store.size("inputs/nothing") is None
    store.delete("inputs/nothing")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../b", "", "a//b", "a/.hidden"])
def test_keys_are_checked(s3_settings: StorageSettings, key: str) -> None:
    store = S3Storage.from_settings(s3_settings)
    for call in (
        lambda: store.put(key, b"x"),
        lambda: store.open(key),
        lambda: store.size(key),
        lambda: store.delete(key),
        lambda: store.presigned_url(key, 60),
    ):
        with pytest.raises(StorageError, match="invalid storage key"):
            call()
    assert _objects(store) == []


def test_prefix_is_checked(s3_settings: StorageSettings) -> None:
    with pytest.raises(StorageError, match="invalid storage key"):
        S3Storage.from_settings(s3_settings.model_copy(update={"s3_prefix": "../up"}))
    store = S3Storage.from_settings(s3_settings.model_copy(update={"s3_prefix": "/a/b/"}))
    store.put("inputs/x", b"1")
    assert _objects(store) == ["a/b/inputs/x"]


def test_presigned_urls(s3_settings: StorageSettings, tmp_path: Path) -> None:
    store = S3Storage.from_settings(s3_settings)
    store.put("results/t_parse.zip", b"PK zip bytes")
    url = presign(store, "results/t_parse.zip", 60)
    assert url is not None and url.startswith(f"{s3_settings.s3_endpoint_url}/{store.bucket}/svc/results/")
    got = httpx.get(url)
    assert got.status_code == 200 and got.content == b"PK zip bytes"
    assert got.headers["content-disposition"] == 'attachment; filename="t_parse.zip"'
    assert "X-Amz-Expires=60" in url and "X-Amz-Signature=" in url  # (moto does not check signatures)
    put = store.presigned_url("inputs/up", 60, method="PUT")
    assert httpx.put(put, content=b"uploaded").status_code == 200
    assert read_all(store, "inputs/up") == b"uploaded"
    with pytest.raises(StorageError, match="cannot presign DELETE"):
        store.presigned_url("inputs/up", 60, method="DELETE")
    assert presign(LocalStorage(tmp_path), "results/t_parse.zip", 60) is None


def test_errors_are_storage_errors(s3_settings: StorageSettings) -> None:
    missing = S3Storage.from_settings(s3_settings.model_copy(update={"create_bucket": False}))
    with pytest.raises(StorageError, match=f"no bucket '{missing.bucket}' at http://127.0.0.1:"):
        missing.put("inputs/a", b"x")
    with pytest.raises(StorageError, match="no bucket") as raised:
        missing.open("inputs/a")
    assert not isinstance(raised.value, NotFound)
    unreachable = S3Storage.from_settings(
        s3_settings.model_copy(update={"s3_endpoint_url": "http://127.0.0.1:9", "create_bucket": False}),
        max_attempts=1,
    )
    with pytest.raises(StorageError, match=r"the S3 endpoint http://127.0.0.1:9 is unreachable"):
        unreachable.put("inputs/a", b"x")
    with pytest.raises(StorageError, match="unreachable"):
        unreachable.size("inputs/a")


def test_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="storage.s3_bucket .* is required"):
        StorageSettings(kind="s3")
    monkeypatch.setenv("DOCRECON_STORAGE__KIND", "s3")
    monkeypatch.setenv("DOCRECON_STORAGE__S3_BUCKET", "docs")
    monkeypatch.setenv("DOCRECON_STORAGE__S3_ENDPOINT_URL", "http://minio:9000")
    s = Settings().storage
    assert (s.kind, s.s3_bucket, s.s3_endpoint_url) == ("s3", "docs", "http://minio:9000")
    assert s.s3_addressing_style == "path"
    assert s.presign_results and not s.create_bucket and s.s3_region == "us-east-1"


def _events(text: str) -> list[dict[str, object]]:
    return [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]


def test_service_on_s3(s3_settings: StorageSettings, tmp_path: Path) -> None:
    """Process workers build their own S3Storage from the settings; the result link is presigned."""
    with run_server(tmp_path, storage=s3_settings.model_dump(), runner={"workers": 1}) as srv:
        headers = {"Authorization": f"Bearer {srv.secret_id}:{srv.secret_key}"}
        resp = httpx.post(
            srv.url + "/v1/parse",
            headers=headers,
            timeout=60,
            files={"file": ("memo.pdf", make_pdf(2), "application/pdf")},
        )
        last = _events(resp.text)[-1]
        assert last["ResponseType"] == "TASK_RSP", last
        task_id, url = str(last["TaskId"]), str(last["DocumentRecognizeResultUrl"])
        assert url.startswith(f"{s3_settings.s3_endpoint_url}/{s3_settings.s3_bucket}/svc/results/{task_id}_parse")
        assert "memo.md" in zipfile.ZipFile(io.BytesIO(httpx.get(url).content)).namelist()
        assert isinstance(srv.services.storage, S3Storage)
        assert _objects(srv.services.storage) == [f"svc/results/{task_id}_parse.zip"]  # the input was removed

        via_server = httpx.get(f"{srv.url}/v1/tasks/{task_id}/result", headers=headers)
        assert via_server.status_code == 200 and "memo.md" in zipfile.ZipFile(io.BytesIO(via_server.content)).namelist()

        srv.services.settings.storage.presign_results = False
        link = httpx.get(f"{srv.url}/v1/tasks/{task_id}", headers=headers).json()["result_url"]
        assert link.startswith(f"{srv.url}/results/{task_id}_parse.zip?expires=")
        signed = httpx.get(link)
        assert signed.status_code == 200 and signed.content == via_server.content
