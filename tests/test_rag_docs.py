"""The runnable example of docs/rag.md runs on generated documents and prints provenance."""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path

import pytest
from corpus import make_corpus
from pdfgen import encrypted_pdf

DOC = Path(__file__).resolve().parent.parent / "docs" / "rag.md"


def _example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return next(b for b in blocks if "python rag_example.py" in b)


def test_the_docs_example_indexes_a_folder_and_retrieves_with_provenance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_corpus(tmp_path / "corpus")
    (root / "locked.pdf").write_bytes(encrypted_pdf())
    script = tmp_path / "rag_example.py"
    script.write_text(_example(), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", [str(script), str(root), "hotels euros per night"])
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert "skipped" in out and "locked.pdf" in out
    first = next(line for line in out.splitlines() if line.startswith("1. "))
    assert "policy.md page 1 bbox [" in first and "[Travel policy > Hotels]" in first
    assert "Hotels are capped at 150 euros per night" in out
