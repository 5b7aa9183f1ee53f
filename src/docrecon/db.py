"""The one way docrecon opens its SQLite files (tasks, keys, apps, sessions, COS metadata)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class SqliteStore:
    """A SQLite file shared by the server's threads: WAL journal, ``schema`` created on open,
    one lock around every use of ``_db`` (subclasses write ``with self._lock, self._db:``)."""

    def __init__(self, db_path: str | Path, schema: str) -> None:
        path = Path(db_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(schema)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()
