"""A real S3-compatible server on loopback: ``DOCRECON_TEST_S3_ENDPOINT`` (started by ``.ci/run``),
else a ``moto_server`` subprocess started here for the session. Each test gets its own bucket."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from netutil import free_port

from docrecon.config import StorageSettings

# boto3 and httpx honour proxy variables; these tests talk to loopback only
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_var, None)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    given = os.environ.get("DOCRECON_TEST_S3_ENDPOINT")
    if given:
        yield given.rstrip("/")
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    moto = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/moto-api/", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start on {url}") from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def s3_settings(s3_endpoint: str) -> StorageSettings:
    """Settings for a fresh bucket (created on first use) on the test server."""
    return StorageSettings(
        kind="s3",
        s3_endpoint_url=s3_endpoint,
        s3_bucket=f"docrecon-{uuid.uuid4().hex[:12]}",
        s3_prefix="svc",
        s3_access_key_id="testing",
        s3_secret_access_key="testing",
        create_bucket=True,
    )
