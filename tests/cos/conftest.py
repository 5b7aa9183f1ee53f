"""A real docrecon server (uvicorn on loopback) and helpers for the COS endpoint tests."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))

from apiserver import Server, run_server  # noqa: E402
from qcloud_cos import CosConfig, CosS3Client  # noqa: E402

from docrecon.cos import TempCredential  # noqa: E402
from docrecon.cos.sign import authorization  # noqa: E402

# the SDK honours proxy variables; these tests talk to loopback only
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_var, None)

REGION = "ap-guangzhou"
KiB = 1024


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Default COS settings; tasks run inline (no worker pool is needed here)."""
    with run_server(Path(tmp_path_factory.mktemp("cos")), runner={"kind": "inline"}) as srv:
        yield srv


@pytest.fixture(scope="package")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Objects up to 64 KiB, parts up to 16 KiB."""
    cos = {"max_object_bytes": 64 * KiB, "max_part_bytes": 16 * KiB}
    with run_server(Path(tmp_path_factory.mktemp("cos-small")), runner={"kind": "inline"}, cos=cos) as srv:
        yield srv


_counter = iter(range(1_000_000))


def issue(server: Server, path: str | None = None, ttl: int = 600, **kw: Any) -> TempCredential:
    """A fresh credential for a fresh path (``/corp/0/<n>/doc/<n>-<ms>.pdf``) unless one is given."""
    cos = server.services.cos
    n = next(_counter)
    path = path or f"/corp/0/{1000 + n}/doc/Up{n}-{int(time.time() * 1000)}.pdf"
    return cos.credentials.issue(app_id="0", bucket=cos.settings.bucket, upload_path=path, ttl=ttl, **kw)


def port(server: Server) -> int:
    return int(server.host.rsplit(":", 1)[1])


def sdk(server: Server, cred: TempCredential, *, token: str | None = None, domain: bool = False) -> CosS3Client:
    """The official client in IP mode (Host = bucket domain) or Domain mode (Host = 127.0.0.1:port)."""
    where: dict[str, Any] = {"Domain": server.host} if domain else {"IP": "127.0.0.1", "Port": port(server)}
    config = CosConfig(
        Region=REGION,
        SecretId=cred.secret_id,
        SecretKey=cred.secret_key,
        Token=cred.token if token is None else token,
        Scheme="http",
        **where,
    )
    return CosS3Client(config, retry=0)


def bucket_host(server: Server) -> str:
    return f"{server.services.cos.settings.bucket}.cos.{REGION}.myqcloud.com"


def signed(
    server: Server,
    cred: TempCredential,
    method: str,
    path: str,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    secret_key: str | None = None,
) -> dict[str, str]:
    """Headers of a request signed by hand (host and token signed, as the SDK does)."""
    hdrs = {"host": bucket_host(server), "x-cos-security-token": cred.token, **(headers or {})}
    now = int(time.time())
    auth = authorization(
        method, path, params or {}, hdrs, cred.secret_id, secret_key or cred.secret_key, now - 60, now + 600
    )
    return {**hdrs, "Authorization": auth}
