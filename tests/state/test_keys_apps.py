"""Keys and apps behave the same on SQLite and PostgreSQL (the same tests on both)."""

from __future__ import annotations

import time
from pathlib import Path

from docrecon.state import AppStore, KeyStore

SECRET = b"s" * 32


def test_keys_round_trip_expiry_and_revoke(db_target: str | Path) -> None:
    keys = KeyStore(db_target, SECRET)
    try:
        made = keys.create("ci", actions=("ReconstructDocumentSSE",), page_quota=50)
        temp = keys.create("temp", ttl=60)
        got = keys.get(made.key.secret_id)
        assert got == made.key and got.allows("ReconstructDocumentSSE") and not got.allows("Other")
        assert made.token is None and temp.token and keys.get(temp.key.secret_id).token_ok(temp.token)  # type: ignore[union-attr]
        assert keys.active(temp.key.secret_id) is not None
        assert keys.active(temp.key.secret_id, now=time.time() + 120) is None
        assert [k.name for k in keys.list()] == ["ci", "temp"]
        assert keys.revoke(made.key.secret_id) and not keys.revoke(made.key.secret_id)
        assert keys.active(made.key.secret_id) is None and keys.get("AKIDnone") is None
    finally:
        keys.close()


def test_key_encrypted_with_another_secret_is_unusable(db_target: str | Path) -> None:
    first = KeyStore(db_target, SECRET)
    made = first.create("x")
    first.close()
    other = KeyStore(db_target, b"o" * 32)
    try:
        got = other.get(made.key.secret_id)
        assert got is not None and got.secret_key == "" and other.active(made.key.secret_id) is None
    finally:
        other.close()


def test_apps_by_key_and_revoke(db_target: str | Path) -> None:
    apps = AppStore(db_target)
    try:
        made = apps.create("bot")
        assert len(made.app.app_id) == 19 and apps.get(made.app.app_id) == made.app
        assert apps.by_key(made.bot_app_key) == made.app and apps.by_key("nope") is None and apps.by_key("") is None
        assert [a.name for a in apps.list()] == ["bot"]
        assert apps.revoke(made.app.app_id) and not apps.revoke(made.app.app_id)
        assert apps.by_key(made.bot_app_key) is None
        revoked = apps.get(made.app.app_id)
        assert revoked is not None and not revoked.active
    finally:
        apps.close()
