"""A real PostgreSQL server on loopback: ``DOCRECON_TEST_DATABASE_URL`` (started by ``.ci/run``),
else a throw-away cluster (``initdb`` + ``pg_ctl`` of the Debian ``postgresql`` package, run as
``nobody`` when the tests run as root) started here for the session. Each test gets its own
schema, so tests never see each other's rows."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from netutil import free_port

from docrecon.db import scratch_schema


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _as_server_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as ``nobody`` then."""
    return ["runuser", "-u", "nobody", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    given = os.environ.get("DOCRECON_TEST_DATABASE_URL")
    if given:
        yield given
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql) and DOCRECON_TEST_DATABASE_URL is unset")
    root = Path(tempfile.mkdtemp(prefix="docrecon-pg-"))
    os.chmod(root, 0o777)
    data, port = root / "data", free_port()
    subprocess.run(
        _as_server_user([initdb, "-D", str(data), "-U", "docrecon", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
    subprocess.run(
        _as_server_user([pg_ctl, "-D", str(data), "-l", str(root / "log"), "-o", opts, "-w", "start"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgresql://docrecon@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), stdout=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_schema_url(pg_url: str) -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema (dropped afterwards)."""
    with scratch_schema(pg_url, "t_") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a store under test lives: a SQLite file, then a PostgreSQL schema (same tests)."""
    if request.param == "sqlite":
        return tmp_path / "state.sqlite3"
    url: str = request.getfixturevalue("pg_schema_url")
    return url
