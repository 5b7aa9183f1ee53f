"""Temporary COS credentials in SQLite (spec §3.2): formats, encryption at rest, lookup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from docrecon.cos import CredentialStore

SECRET = b"s" * 32
PATH = "/corp/0/1234/doc/AbC-1700000000123.pdf"


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[CredentialStore]:
    s = CredentialStore(tmp_path / "cos.sqlite3", SECRET)
    yield s
    s.close()


def test_issue_formats(store: CredentialStore) -> None:
    cred = store.issue(app_id="1250000000", bucket="b-1", upload_path=PATH, ttl=1800, now=1700000000.5)
    assert re.fullmatch(r"AKID[A-Za-z0-9]{32}", cred.secret_id)
    assert re.fullmatch(r"[A-Za-z0-9]{32}", cred.secret_key)
    assert re.fullmatch(r"[A-Za-z0-9_-]{64}", cred.token)
    assert (cred.start, cred.expires) == (1700000000, 1700001800)
    assert cred.key == PATH[1:]


def test_get_round_trip_and_token(store: CredentialStore) -> None:
    cred = store.issue(app_id="7", bucket="b-1", upload_path=PATH, ttl=60)
    back = store.get(cred.secret_id)
    assert back is not None
    assert (back.secret_key, back.app_id, back.bucket, back.upload_path) == (cred.secret_key, "7", "b-1", PATH)
    assert back.token == ""
    assert store.token_ok(back, cred.token) and store.token_ok(cred, cred.token)
    assert not store.token_ok(back, cred.token + "x")
    assert not store.token_ok(back, None) and not store.token_ok(back, "")
    assert store.get("AKIDunknown") is None


def test_expiry(store: CredentialStore) -> None:
    cred = store.issue(app_id="0", bucket="b", upload_path=PATH, ttl=10, now=1000.0)
    assert cred.live(1010) and not cred.live(1011)


def test_secrets_are_not_stored_in_clear(store: CredentialStore, tmp_path: Path) -> None:
    cred = store.issue(app_id="0", bucket="b", upload_path=PATH, ttl=60)
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("cos.sqlite3"))
    assert cred.secret_key.encode() not in raw and cred.token.encode() not in raw
    assert cred.secret_id.encode() in raw
    other = CredentialStore(tmp_path / "cos.sqlite3", b"o" * 32)
    assert other.get(cred.secret_id) is None  # another server secret cannot decrypt it
    other.close()


def test_for_object_returns_the_latest(store: CredentialStore) -> None:
    first = store.issue(app_id="0", bucket="b", upload_path=PATH, ttl=60, now=1000.0)
    second = store.issue(app_id="0", bucket="b", upload_path=PATH, ttl=60, now=2000.0)
    found = store.for_object("b", PATH)
    assert found is not None and found.secret_id == second.secret_id != first.secret_id
    assert store.for_object("b", "/corp/other") is None
    assert store.for_object("other", PATH) is None


@pytest.mark.parametrize("path", ["corp/no-slash", "//corp/x", "/corp/../x", "/corp/a b.pdf", "/corp/x/"])
def test_paths_that_cannot_be_stored_are_refused(store: CredentialStore, path: str) -> None:
    with pytest.raises(ValueError):
        store.issue(app_id="0", bucket="b", upload_path=path, ttl=60)
