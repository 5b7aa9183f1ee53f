"""LKE applications: a ``BotBizId`` (the app id) and its ``bot_app_key``, managed by ``docrecon apps``.

The ``bot_app_key`` is a bearer secret (docParse and chat send it in the body), so only its
SHA-256 is stored; it is shown once when the app is created. Apps live in
``<data_dir>/lke.sqlite3`` (or PostgreSQL) beside the session documents (:mod:`docrecon.state.sessions`).
"""

from __future__ import annotations

import hashlib
import secrets
import string
import time
from dataclasses import dataclass
from pathlib import Path

from docrecon.db import SqlStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS apps (
    app_id TEXT PRIMARY KEY, key_sha256 TEXT NOT NULL UNIQUE, name TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL, revoked REAL
);
"""
_ALNUM = string.ascii_letters + string.digits


def _digest(bot_app_key: str) -> str:
    return hashlib.sha256(bot_app_key.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class App:
    #: the ``BotBizId``: a decimal string, as LKE's ids are
    app_id: str
    name: str
    created: float
    revoked: float | None = None

    @property
    def active(self) -> bool:
        return self.revoked is None


@dataclass(frozen=True, slots=True)
class CreatedApp:
    app: App
    #: shown once; only its hash is kept
    bot_app_key: str


class AppStore(SqlStore):
    def __init__(self, target: str | Path) -> None:
        super().__init__(target, _SCHEMA)

    def create(self, name: str = "") -> CreatedApp:
        app_id = str(secrets.randbelow(9 * 10**18) + 10**18)
        key = "".join(secrets.choice(_ALNUM) for _ in range(40))
        app = App(app_id, name, time.time())
        with self._db.tx() as q:
            q.execute(
                "INSERT INTO apps (app_id, key_sha256, name, created) VALUES (?,?,?,?)",
                (app_id, _digest(key), name, app.created),
            )
        return CreatedApp(app, key)

    @staticmethod
    def _row(row: tuple[object, ...]) -> App:
        app_id, name, created, revoked = row
        return App(str(app_id), str(name), float(created), revoked if isinstance(revoked, float) else None)  # type: ignore[arg-type]

    def get(self, app_id: str) -> App | None:
        with self._db.tx() as q:
            row = q.execute("SELECT app_id, name, created, revoked FROM apps WHERE app_id = ?", (app_id,)).fetchone()
        return None if row is None else self._row(row)

    def by_key(self, bot_app_key: str) -> App | None:
        """The active app owning ``bot_app_key`` (None: unknown or revoked)."""
        if not bot_app_key:
            return None
        with self._db.tx() as q:
            row = q.execute(
                "SELECT app_id, name, created, revoked FROM apps WHERE key_sha256 = ?", (_digest(bot_app_key),)
            ).fetchone()
        app = None if row is None else self._row(row)
        return app if app is not None and app.active else None

    def list(self) -> list[App]:
        with self._db.tx() as q:
            rows = q.execute("SELECT app_id, name, created, revoked FROM apps ORDER BY created").fetchall()
        return [self._row(r) for r in rows]

    def revoke(self, app_id: str) -> bool:
        with self._db.tx() as q:
            cur = q.execute("UPDATE apps SET revoked = ? WHERE app_id = ? AND revoked IS NULL", (time.time(), app_id))
        return cur.rowcount > 0
