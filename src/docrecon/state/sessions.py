"""Documents of chat sessions: every docParse ``doc_id`` belongs to one (app, ``session_id``).

A row is written when docParse accepts an object (state ``parsing``), finished with ``ready`` or
``failed``. Chat looks documents up only through :meth:`SessionDocs.for_session`, so a ``doc_id``
from another session or app is never visible. Sessions expire after ``qa.session_ttl`` seconds
without use, together with their documents (the sweeper deletes the stored JSON and index rows).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docrecon.db import SqlStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS session_docs (
    doc_id TEXT PRIMARY KEY, app_id TEXT NOT NULL, session_id TEXT NOT NULL, task_id TEXT NOT NULL,
    name TEXT NOT NULL, file_type TEXT NOT NULL, size INTEGER NOT NULL, document_key TEXT NOT NULL,
    state TEXT NOT NULL, error TEXT NOT NULL DEFAULT '', created REAL NOT NULL, used REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS session_docs_session ON session_docs (app_id, session_id);
CREATE INDEX IF NOT EXISTS session_docs_used ON session_docs (used);
"""
_COLUMNS = "doc_id, app_id, session_id, task_id, name, file_type, size, document_key, state, error, created, used"


@dataclass(frozen=True, slots=True)
class SessionDoc:
    doc_id: str
    app_id: str
    session_id: str
    task_id: str
    name: str
    file_type: str
    size: int
    #: storage key of the serialized Document (``documents/<doc_id>.json``)
    document_key: str
    #: ``parsing``, ``ready`` or ``failed``
    state: str
    error: str = ""
    created: float = 0.0
    used: float = 0.0


def new_doc_id() -> str:
    """A decimal 64-bit id, like LKE's (19 digits)."""
    return str(secrets.randbelow(8 * 10**18) + 10**18)


class SessionDocs(SqlStore):
    def __init__(self, target: str | Path) -> None:
        super().__init__(target, _SCHEMA)

    def add(self, app_id: str, session_id: str, task_id: str, name: str, file_type: str, size: int) -> SessionDoc:
        now = time.time()
        doc_id = new_doc_id()
        doc = SessionDoc(
            doc_id,
            app_id,
            session_id,
            task_id,
            name,
            file_type,
            size,
            f"documents/{doc_id}.json",
            "parsing",
            "",
            now,
            now,
        )
        with self._db.tx() as q:
            q.execute(
                f"INSERT INTO session_docs ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.doc_id,
                    app_id,
                    session_id,
                    task_id,
                    name,
                    file_type,
                    size,
                    doc.document_key,
                    doc.state,
                    "",
                    now,
                    now,
                ),
            )
        return doc

    def finish(self, doc_id: str, state: str, error: str = "") -> None:
        with self._db.tx() as q:
            q.execute("UPDATE session_docs SET state = ?, error = ? WHERE doc_id = ?", (state, error, doc_id))

    @staticmethod
    def _row(row: Sequence[object]) -> SessionDoc:
        d_id, app, sess, task, name, ftype, size, key, state, error, created, used = row
        return SessionDoc(
            str(d_id),
            str(app),
            str(sess),
            str(task),
            str(name),
            str(ftype),
            int(size),  # type: ignore[call-overload]
            str(key),
            str(state),
            str(error),
            float(created),  # type: ignore[arg-type]
            float(used),  # type: ignore[arg-type]
        )

    def get(self, doc_id: str) -> SessionDoc | None:
        with self._db.tx() as q:
            row = q.execute(f"SELECT {_COLUMNS} FROM session_docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else self._row(row)

    def for_session(self, app_id: str, session_id: str) -> list[SessionDoc]:
        with self._db.tx() as q:
            rows = q.execute(
                f"SELECT {_COLUMNS} FROM session_docs WHERE app_id = ? AND session_id = ? ORDER BY created",
                (app_id, session_id),
            ).fetchall()
        return [self._row(r) for r in rows]

    def parsing(self) -> list[SessionDoc]:
        """Documents still ``parsing`` (at start: their stream may have died with the server)."""
        with self._db.tx() as q:
            rows = q.execute(f"SELECT {_COLUMNS} FROM session_docs WHERE state = 'parsing'").fetchall()
        return [self._row(r) for r in rows]

    def touch(self, app_id: str, session_id: str, now: float | None = None) -> None:
        """The session was used: its documents' idle clock restarts."""
        with self._db.tx() as q:
            q.execute(
                "UPDATE session_docs SET used = ? WHERE app_id = ? AND session_id = ?",
                (now if now is not None else time.time(), app_id, session_id),
            )

    def expired(self, used_before: float) -> list[SessionDoc]:
        """Documents of sessions idle since ``used_before`` (a session expires as a whole)."""
        with self._db.tx() as q:
            rows = q.execute(
                f"SELECT {_COLUMNS} FROM session_docs WHERE (app_id, session_id) IN ("
                " SELECT app_id, session_id FROM session_docs GROUP BY app_id, session_id HAVING MAX(used) < ?)",
                (used_before,),
            ).fetchall()
        return [self._row(r) for r in rows]

    def delete(self, doc_id: str) -> None:
        with self._db.tx() as q:
            q.execute("DELETE FROM session_docs WHERE doc_id = ?", (doc_id,))
