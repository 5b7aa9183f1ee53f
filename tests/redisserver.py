"""A real Redis server on loopback: ``DOCRECON_TEST_REDIS_URL`` (started by ``.ci/run``), else a
``redis-server`` (Debian package) started here for the session. Each test gets its own database
number, flushed first."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest
from netutil import free_port

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def redis_base_url() -> Iterator[str]:
    given = os.environ.get("DOCRECON_TEST_REDIS_URL")
    if given:
        yield given.rstrip("/")
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port, workdir = free_port(), tempfile.mkdtemp(prefix="docrecon-redis-")
    args = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", workdir]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    url = f"redis://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def redis_url(redis_base_url: str) -> str:
    """A URL of an empty Redis database of its own (numbers 1-15; 0 is left alone)."""
    import redis

    url = f"{redis_base_url}/{next(_numbers) % 15 + 1}"
    redis.Redis.from_url(url).flushdb()
    return url
