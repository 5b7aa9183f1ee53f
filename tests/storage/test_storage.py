from __future__ import annotations

import io
from pathlib import Path

import pytest

from docrecon.config import StorageSettings
from docrecon.errors import NotFound, StorageError
from docrecon.storage import LocalStorage, MemoryStorage, Storage, make_storage, read_all


@pytest.fixture(params=["local", "memory", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "s3":  # the moto server of conftest.py, a fresh bucket
        return make_storage(request.getfixturevalue("s3_settings"), str(tmp_path))
    return LocalStorage(tmp_path) if request.param == "local" else MemoryStorage()


def test_round_trip(storage: Storage) -> None:
    assert storage.put("inputs/a", b"hello") == 5
    assert storage.put("results/b_parse.zip", io.BytesIO(b"x" * 3_000_000)) == 3_000_000
    assert read_all(storage, "inputs/a") == b"hello"
    assert storage.size("results/b_parse.zip") == 3_000_000
    storage.put("inputs/a", b"replaced")
    assert read_all(storage, "inputs/a") == b"replaced"
    storage.delete("inputs/a")
    storage.delete("inputs/a")
    assert storage.size("inputs/a") is None
    with pytest.raises(NotFound):
        storage.open("inputs/a")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../b", "", "a//b", "a/.hidden"])
def test_unsafe_keys(storage: Storage, key: str) -> None:
    with pytest.raises(StorageError):
        storage.put(key, b"x")


def test_local_writes_are_atomic(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path)
    store.put("inputs/a", b"data")
    assert sorted(p.name for p in (tmp_path / "inputs").iterdir()) == ["a"]


def test_make_storage(tmp_path: Path) -> None:
    assert isinstance(make_storage(StorageSettings(), str(tmp_path)), LocalStorage)
    assert isinstance(make_storage(StorageSettings(kind="memory"), str(tmp_path)), MemoryStorage)
    assert isinstance(make_storage(StorageSettings(), str(tmp_path)), Storage)
