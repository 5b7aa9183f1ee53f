"""Choosing the backend: ``DOCRECON_DATABASE_URL`` or SQLite files; what db.py translates."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
import pydantic
import pytest

from docrecon.config import Settings
from docrecon.db import Database, SqliteDatabase, is_url, open_database, pg_schema
from docrecon.state import database


def test_default_is_one_sqlite_file_per_store_family(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert database(settings, "tasks") == tmp_path / "tasks.sqlite3"
    assert database(settings, "cos") == tmp_path / "cos.sqlite3"


def test_database_url_puts_every_store_in_postgres(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCRECON_DATABASE_URL", "postgresql://app@db:5432/docrecon")
    settings = Settings(data_dir=tmp_path)
    assert database(settings, "tasks") == database(settings, "keys") == "postgresql://app@db:5432/docrecon"
    assert is_url(database(settings, "lke")) and not is_url(tmp_path / "x.sqlite3")


def test_other_database_urls_are_refused() -> None:
    with pytest.raises(pydantic.ValidationError):
        Settings(database_url="mysql://app@db/docrecon")


def test_pg_schema_types() -> None:
    sql = "CREATE TABLE t (a TEXT, b INTEGER NOT NULL, c REAL, d BLOB, e_integer_col TEXT);"
    assert (
        pg_schema(sql) == "CREATE TABLE t (a TEXT, b BIGINT NOT NULL, c DOUBLE PRECISION, d BYTEA, e_integer_col TEXT);"
    )


def test_sqlite_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = open_database(tmp_path / "x.sqlite3", "CREATE TABLE IF NOT EXISTS t (v INTEGER);")
    assert isinstance(db, SqliteDatabase)
    with pytest.raises(ZeroDivisionError), db.tx() as q:
        q.execute("INSERT INTO t VALUES (?)", (1,))
        raise ZeroDivisionError
    with db.tx() as q:
        assert q.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)
    db.close()


def test_sqlite_read_then_write_is_atomic_across_connections(tmp_path: Path) -> None:
    """Two connections to one file (two processes: an API and a worker) each read the next number
    and insert it; with deferred transactions both would read the same value."""
    schema = "CREATE TABLE IF NOT EXISTS t (v INTEGER PRIMARY KEY);"
    dbs = [open_database(tmp_path / "x.sqlite3", schema) for _ in range(2)]

    def bump(db: Database) -> None:
        for _ in range(200):
            with db.tx() as q:
                (n,) = q.execute("SELECT COALESCE(MAX(v), -1) + 1 FROM t").fetchone()
                q.execute("INSERT INTO t VALUES (?)", (n,))

    threads = [threading.Thread(target=bump, args=(db,)) for db in dbs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with dbs[0].tx() as q:
        assert q.execute("SELECT COUNT(*), MAX(v) FROM t").fetchone() == (400, 399)
    for db in dbs:
        db.close()


def test_postgres_transaction_rolls_back_and_reconnects(pg_schema_url: str) -> None:
    db = open_database(pg_schema_url, "CREATE TABLE IF NOT EXISTS t (v INTEGER, s TEXT);")
    with pytest.raises(ZeroDivisionError), db.tx() as q:
        q.execute("INSERT INTO t VALUES (?, ?)", (1, "100%"))
        raise ZeroDivisionError
    with db.tx() as q:
        q.execute("INSERT INTO t VALUES (?, ?)", (2, "50% off?"))  # '%' and '?' in values pass through
        assert q.execute("SELECT v, s FROM t").fetchall() == [(2, "50% off?")]
        (pid,) = q.execute("SELECT pg_backend_pid()").fetchone()
    with psycopg.connect(pg_schema_url, autocommit=True) as admin:  # the server drops the connection
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(psycopg.OperationalError), db.tx() as q:
        q.execute("SELECT 1")  # the call that finds the connection dead fails ...
    with db.tx() as q:  # ... and the next one runs on a new connection
        assert q.execute("SELECT COUNT(*) FROM t WHERE s LIKE ?", ("%off%",)).fetchone() == (1,)
    db.close()
