from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from apiserver import Server, run_server
from s3server import s3_endpoint, s3_settings  # noqa: F401 - the real S3 server fixtures

# the SDK honours proxy variables; tests talk to loopback only
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_var, None)


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The shared server: default settings, process pool of 2 workers."""
    with run_server(Path(tmp_path_factory.mktemp("srv"))) as srv:
        yield srv
