"""API keys (SecretId/SecretKey), managed by ``docrecon keys``; ``keys.sqlite3`` or PostgreSQL.

TC3 needs the SecretKey itself to recompute a signature, so it cannot be stored as a one-way
hash: it is encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with a sub-key of the server secret
(:mod:`docrecon.state.secret`). Session tokens of temporary keys are only compared, so only their
SHA-256 is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from docrecon.db import SqlStore
from docrecon.state.secret import derive

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    secret_id TEXT PRIMARY KEY, secret_enc BLOB NOT NULL, name TEXT NOT NULL DEFAULT '',
    token_sha256 TEXT, expires REAL, created REAL NOT NULL, revoked REAL,
    actions TEXT NOT NULL DEFAULT '', page_quota INTEGER
);
"""
_ALNUM = string.ascii_letters + string.digits


@dataclass(frozen=True, slots=True)
class ApiKey:
    secret_id: str
    secret_key: str
    name: str = ""
    #: sha256 of the session token; set for temporary keys
    token_sha256: str | None = None
    expires: float | None = None
    created: float = 0.0
    revoked: float | None = None
    #: allowed actions (empty: all)
    actions: tuple[str, ...] = ()
    #: pages this key may have parsed in total (None: unlimited)
    page_quota: int | None = None

    @property
    def temporary(self) -> bool:
        return self.token_sha256 is not None

    def token_ok(self, token: str | None) -> bool:
        if self.token_sha256 is None:
            return True
        digest = hashlib.sha256((token or "").encode()).hexdigest()
        return bool(token) and hmac.compare_digest(digest, self.token_sha256)

    def allows(self, action: str) -> bool:
        return not self.actions or action in self.actions


@dataclass(frozen=True, slots=True)
class CreatedKey:
    key: ApiKey
    #: the session token of a temporary key (shown once, stored only hashed)
    token: str | None


class KeyStore(SqlStore):
    def __init__(self, target: str | Path, server_secret: bytes) -> None:
        super().__init__(target, _SCHEMA)
        self._fernet = Fernet(base64.urlsafe_b64encode(derive(server_secret, "api-key-encryption")))

    def create(
        self,
        name: str = "",
        ttl: float | None = None,
        actions: tuple[str, ...] = (),
        page_quota: int | None = None,
    ) -> CreatedKey:
        """A new key; ``ttl`` makes it temporary (expiring, with an ``X-TC-Token``)."""
        secret_id = "AKID" + "".join(secrets.choice(_ALNUM) for _ in range(32))
        secret_key = "".join(secrets.choice(_ALNUM) for _ in range(32))
        token = secrets.token_urlsafe(48) if ttl is not None else None
        now = time.time()
        key = ApiKey(
            secret_id,
            secret_key,
            name,
            hashlib.sha256(token.encode()).hexdigest() if token else None,
            now + ttl if ttl is not None else None,
            now,
            None,
            actions,
            page_quota,
        )
        with self._db.tx() as q:
            q.execute(
                "INSERT INTO api_keys (secret_id, secret_enc, name, token_sha256, expires, created, actions,"
                " page_quota) VALUES (?,?,?,?,?,?,?,?)",
                (
                    secret_id,
                    self._fernet.encrypt(secret_key.encode()),
                    name,
                    key.token_sha256,
                    key.expires,
                    now,
                    ",".join(actions),
                    page_quota,
                ),
            )
        return CreatedKey(key, token)

    def _row_to_key(self, row: tuple[object, ...]) -> ApiKey:
        secret_id, enc, name, token_sha, expires, created, revoked, actions, quota = row
        try:
            secret = self._fernet.decrypt(enc).decode()  # type: ignore[arg-type]
        except InvalidToken:
            secret = ""  # encrypted with another server secret: unusable, but still listable
        acts = tuple(a for a in str(actions).split(",") if a)
        return ApiKey(
            str(secret_id),
            secret,
            str(name),
            token_sha if isinstance(token_sha, str) else None,
            expires if isinstance(expires, float) else None,
            float(created),  # type: ignore[arg-type]
            revoked if isinstance(revoked, float) else None,
            acts,
            quota if isinstance(quota, int) else None,
        )

    _COLUMNS = "secret_id, secret_enc, name, token_sha256, expires, created, revoked, actions, page_quota"

    def get(self, secret_id: str) -> ApiKey | None:
        with self._db.tx() as q:
            row = q.execute(f"SELECT {self._COLUMNS} FROM api_keys WHERE secret_id = ?", (secret_id,)).fetchone()
        return None if row is None else self._row_to_key(row)

    def active(self, secret_id: str, now: float | None = None) -> ApiKey | None:
        """The key if it exists, is not revoked and has not expired."""
        key = self.get(secret_id)
        t = now if now is not None else time.time()
        if key is None or key.revoked is not None or not key.secret_key:
            return None
        if key.expires is not None and key.expires < t:
            return None
        return key

    def list(self) -> list[ApiKey]:
        with self._db.tx() as q:
            rows = q.execute(f"SELECT {self._COLUMNS} FROM api_keys ORDER BY created").fetchall()
        return [self._row_to_key(r) for r in rows]

    def revoke(self, secret_id: str) -> bool:
        with self._db.tx() as q:
            cur = q.execute(
                "UPDATE api_keys SET revoked = ? WHERE secret_id = ? AND revoked IS NULL",
                (time.time(), secret_id),
            )
        return cur.rowcount > 0
