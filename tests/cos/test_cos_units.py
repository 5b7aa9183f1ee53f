"""Pieces of the COS endpoint without a server: request routing, byte ranges, the sweeper."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from docrecon.config import Settings
from docrecon.cos import CosError, CosService
from docrecon.cos.multipart import multipart_etag
from docrecon.cos.routes import _byte_range, is_cos
from docrecon.storage import MemoryStorage


def _scope(method: str, path: str, host: str = "127.0.0.1:8080", query: bytes = b"") -> dict[str, object]:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": [(b"host", host.encode())],
    }


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (_scope("PUT", "/corp/0/1/doc/a.pdf"), True),
        (_scope("GET", "/healthz", host="b-1250000000.cos.ap-guangzhou.myqcloud.com"), True),
        (_scope("GET", "/x", host="b-1250000000.cos.ap-guangzhou.myqcloud.com:9000"), True),
        (_scope("GET", "/", query=b"uploads&prefix=corp/0"), True),
        (_scope("POST", "/", query=b"uploads"), True),
        (_scope("POST", "/"), False),  # the cloud API front door
        (_scope("GET", "/healthz"), False),
        (_scope("GET", "/results/x_parse.zip", query=b"uploads"), False),
        (_scope("GET", "/x", host="evil.cos.ap-guangzhou.myqcloud.com.example.org"), False),
        ({"type": "websocket", "path": "/corp/x", "headers": []}, False),
    ],
)
def test_is_cos(scope: dict[str, object], expected: bool) -> None:
    assert is_cos(scope) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("bytes=0-4", (0, 4)),
        ("bytes=10-", (10, 14)),
        ("bytes=-3", (12, 14)),
        ("bytes=5-1000", (5, 14)),
        ("bytes=-100", (0, 14)),
        ("bytes=0-1,4-5", None),  # several ranges: the whole object
        ("items=0-1", None),
    ],
)
def test_byte_range(value: str | None, expected: tuple[int, int] | None) -> None:
    assert _byte_range(value, 15) == expected


@pytest.mark.parametrize("value", ["bytes=15-", "bytes=20-30", "bytes=5-2", "bytes=-0"])
def test_unsatisfiable_range(value: str) -> None:
    with pytest.raises(CosError) as err:
        _byte_range(value, 15)
    assert err.value.cos_code == "InvalidRange" and err.value.http_status == 416


def test_multipart_etag() -> None:
    a, b = hashlib.md5(b"a").digest(), hashlib.md5(b"b").digest()
    assert multipart_etag([f'"{a.hex()}"', f'"{b.hex()}"']) == f'"{hashlib.md5(a + b).hexdigest()}-2"'


def test_sweep_drops_abandoned_uploads(tmp_path: Path) -> None:
    cos = CosService(Settings(data_dir=tmp_path), MemoryStorage(), b"k" * 32)
    try:
        old = cos.uploads.create("b", "corp/x", "AKIDx", now=time.time() - 2 * 86400)
        fresh = cos.uploads.create("b", "corp/y", "AKIDy")
        cos.uploads.part_path(old.upload_id, 1).write_bytes(b"part")
        cos.uploads.add_part(old.upload_id, 1, 4, '"x"')
        stale = cos.staging_path()
        stale.write_bytes(b"half a body")
        os.utime(stale, (time.time() - 2 * 86400,) * 2)
        assert cos.sweep() == 1
        assert cos.uploads.get(old.upload_id) is None and cos.uploads.parts(old.upload_id) == {}
        assert not cos.uploads.directory(old.upload_id).exists() and not stale.exists()
        assert cos.uploads.get(fresh.upload_id) is not None
    finally:
        cos.close()
