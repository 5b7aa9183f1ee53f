"""Temporary COS credentials (spec §3.2): each may write exactly one object key.

Kept in ``<data_dir>/cos.sqlite3`` (or PostgreSQL). The secret key must be recovered to check
signatures, so it is encrypted with a sub-key of the server secret (Fernet, as
:mod:`docrecon.state.keys` does);
the session token is only compared, so only its SHA-256 is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from docrecon.db import SqlStore
from docrecon.state.cos_objects import valid_key
from docrecon.state.secret import derive

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cos_credentials (
    secret_id TEXT PRIMARY KEY, secret_enc BLOB NOT NULL, token_sha256 TEXT NOT NULL,
    app_id TEXT NOT NULL, bucket TEXT NOT NULL, upload_path TEXT NOT NULL,
    start INTEGER NOT NULL, expires INTEGER NOT NULL, created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS cos_credentials_path ON cos_credentials (bucket, upload_path);
"""
_ALNUM = string.ascii_letters + string.digits
_COLUMNS = "secret_id, secret_enc, token_sha256, app_id, bucket, upload_path, start, expires"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TempCredential:
    secret_id: str
    secret_key: str
    #: the session token; "" when loaded back (only its hash is stored)
    token: str
    app_id: str
    bucket: str
    #: the one object key this credential may write, with a leading "/"
    upload_path: str
    start: int
    expires: int
    token_sha256: str = field(default="", repr=False)

    @property
    def key(self) -> str:
        """The object key (``upload_path`` without its leading ``/``)."""
        return self.upload_path[1:]

    def live(self, now: float | None = None) -> bool:
        return (now if now is not None else time.time()) <= self.expires


class CredentialStore(SqlStore):
    def __init__(self, target: str | Path, server_secret: bytes) -> None:
        super().__init__(target, _SCHEMA)
        self._fernet = Fernet(base64.urlsafe_b64encode(derive(server_secret, "cos-credentials")))

    def issue(
        self, *, app_id: str, bucket: str, upload_path: str, ttl: int, now: float | None = None
    ) -> TempCredential:
        """New credentials allowed to write ``upload_path`` (leading ``/``) for ``ttl`` seconds."""
        if not upload_path.startswith("/") or upload_path.startswith("//"):
            raise ValueError(f"upload path must start with one '/': {upload_path!r}")
        if not valid_key(bucket, upload_path[1:]):
            raise ValueError(f"upload path cannot be stored: {upload_path!r}")
        t = time.time() if now is None else now
        token = secrets.token_urlsafe(48)
        cred = TempCredential(
            secret_id="AKID" + "".join(secrets.choice(_ALNUM) for _ in range(32)),
            secret_key="".join(secrets.choice(_ALNUM) for _ in range(32)),
            token=token,
            app_id=app_id,
            bucket=bucket,
            upload_path=upload_path,
            start=int(t),
            expires=int(t + ttl),
            token_sha256=_sha256(token),
        )
        with self._db.tx() as q:
            q.execute(
                f"INSERT INTO cos_credentials ({_COLUMNS}, created) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    cred.secret_id,
                    self._fernet.encrypt(cred.secret_key.encode()),
                    cred.token_sha256,
                    app_id,
                    bucket,
                    upload_path,
                    cred.start,
                    cred.expires,
                    t,
                ),
            )
        return cred

    def _row(self, row: tuple[Any, ...] | None) -> TempCredential | None:
        if row is None:
            return None
        secret_id, enc, token_sha, app_id, bucket, path, start, expires = row
        try:
            secret = self._fernet.decrypt(enc).decode()
        except InvalidToken:
            return None  # encrypted with another server secret: unusable
        return TempCredential(
            str(secret_id),
            secret,
            "",
            str(app_id),
            str(bucket),
            str(path),
            int(start),
            int(expires),
            str(token_sha),
        )

    def get(self, secret_id: str) -> TempCredential | None:
        """The credential (expired ones too; see :meth:`TempCredential.live`)."""
        with self._db.tx() as q:
            row = q.execute(f"SELECT {_COLUMNS} FROM cos_credentials WHERE secret_id = ?", (secret_id,)).fetchone()
        return self._row(row)

    def token_ok(self, cred: TempCredential, token: str | None) -> bool:
        expected = cred.token_sha256 or (_sha256(cred.token) if cred.token else "")
        return bool(token) and bool(expected) and hmac.compare_digest(_sha256(token or ""), expected)

    def for_object(self, bucket: str, upload_path: str) -> TempCredential | None:
        """The latest credential issued for that object (expired ones too)."""
        with self._db.tx() as q:
            row = q.execute(
                f"SELECT {_COLUMNS} FROM cos_credentials WHERE bucket = ? AND upload_path = ?"
                " ORDER BY created DESC LIMIT 1",
                (bucket, upload_path),
            ).fetchone()
        return self._row(row)

    def purge(self, before: float) -> int:
        """Forget credentials that expired before ``before``; returns how many."""
        with self._db.tx() as q:
            return q.execute("DELETE FROM cos_credentials WHERE expires < ?", (before,)).rowcount
