"""The one way docrecon opens a database: :class:`SqlStore`, over SQLite (default) or PostgreSQL.

Stores (:mod:`docrecon.state`) are written once in the SQL both engines share: ``?`` placeholders,
``INSERT ... ON CONFLICT ... DO UPDATE``, SQLite column types. What differs is here:

* **SQLite** — a file per store family (``tasks.sqlite3`` ...): WAL journal, one connection shared
  by the server's threads under a lock; every transaction is ``BEGIN IMMEDIATE``, so connections
  of other processes (a worker, the test's own store) are ordered by the file's write lock.
* **PostgreSQL** — a ``postgresql://`` URL (psycopg 3): one connection per store under a lock,
  autocommit outside :meth:`Database.tx` blocks; placeholders become ``%s``, ``BLOB`` ``BYTEA``,
  ``REAL`` ``DOUBLE PRECISION``, ``INTEGER`` ``BIGINT``; :attr:`Tx.for_update` locks the rows a
  read-then-write touches (several processes write the same tables); a broken connection is
  opened again on the next use. The schema is created under an advisory lock, so processes
  starting together do not race on ``CREATE TABLE IF NOT EXISTS``.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

Dialect = Literal["sqlite", "postgresql"]
_PG_TYPES = {"BLOB": "BYTEA", "REAL": "DOUBLE PRECISION", "INTEGER": "BIGINT"}
_PG_TYPE_RE = re.compile(r"\b(" + "|".join(_PG_TYPES) + r")\b")
#: pg_advisory_xact_lock key held while a schema is created ("docrecon" in ASCII)
_SCHEMA_LOCK = 0x646F637265636F6E


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Tx(Protocol):
    """A transaction: statements run on one connection, committed together."""

    #: `` FOR UPDATE`` on PostgreSQL (lock the rows read before writing them), "" on SQLite
    for_update: str

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor: ...


def is_url(target: str | Path) -> bool:
    """True for a PostgreSQL URL, False for a SQLite file path."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


class Database:
    """One connection to a SQLite file or a PostgreSQL database, shared by threads."""

    dialect: Dialect

    def tx(self) -> contextlib.AbstractContextManager[Tx]:
        """Lock the connection and run a transaction (committed on exit, rolled back on error)."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _SqliteTx:
    for_update = ""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor:
        return self._conn.execute(sql, tuple(params))


class SqliteDatabase(Database):
    dialect: Dialect = "sqlite"

    def __init__(self, path: Path, schema: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit mode: :meth:`tx` opens each transaction itself, with BEGIN IMMEDIATE
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # WAL with NORMAL sync survives a process crash (kill -9); only a power cut can drop the
        # last commits
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(schema)
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def tx(self) -> Iterator[Tx]:
        # BEGIN IMMEDIATE takes the file's write lock before the first read, so a read-then-write
        # (the next event number) is atomic across connections and processes, as FOR UPDATE is on
        # PostgreSQL; Python's default deferred BEGIN would let two writers read the same value.
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()


@functools.lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


def pg_schema(schema: str) -> str:
    """A schema written with SQLite column types, in PostgreSQL's."""
    return _PG_TYPE_RE.sub(lambda m: _PG_TYPES[m.group(1)], schema)


@contextlib.contextmanager
def scratch_schema(url: str, prefix: str) -> Iterator[str]:
    """``url`` with its connections in a new, empty schema named ``prefix`` plus a random part,
    dropped afterwards (tests and benchmarks on a shared PostgreSQL)."""
    import uuid
    from urllib.parse import quote

    import psycopg

    schema = f"{prefix}{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


class _PgTx:
    for_update = " FOR UPDATE"

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor:
        cur: Cursor = self._conn.execute(_pg_sql(sql), tuple(params))
        return cur


class PostgresDatabase(Database):
    dialect: Dialect = "postgresql"

    def __init__(self, url: str, schema: str) -> None:
        import psycopg  # the "postgres" extra

        self._psycopg = psycopg
        self._url = url
        self._lock = threading.Lock()
        self._conn = self._connect()
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            self._conn.execute(pg_schema(schema))

    def _connect(self) -> Any:
        return self._psycopg.connect(self._url, autocommit=True, connect_timeout=10)

    @contextlib.contextmanager
    def tx(self) -> Iterator[Tx]:
        with self._lock:
            if self._conn.broken or self._conn.closed:
                self._conn = self._connect()
            with self._conn.transaction():
                yield _PgTx(self._conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def open_database(target: str | Path, schema: str) -> Database:
    """The database at ``target`` (a ``postgresql://`` URL or a SQLite file), ``schema`` created."""
    if is_url(target):
        return PostgresDatabase(str(target), schema)
    return SqliteDatabase(Path(target), schema)


class SqlStore:
    """Base of every store: ``self._db`` opened by :func:`open_database`; methods run their
    statements in ``with self._db.tx() as q:``."""

    def __init__(self, target: str | Path, schema: str) -> None:
        self._db = open_database(target, schema)

    @property
    def dialect(self) -> Dialect:
        return self._db.dialect

    def close(self) -> None:
        self._db.close()
