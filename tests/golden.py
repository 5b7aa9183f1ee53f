"""Golden-file comparison: ``assert_golden(doc, DATA / "pdf" / "two_column")`` compares the
document's Markdown and JSONL chunks with ``two_column.md`` / ``two_column.jsonl``.

Set ``DOCRECON_REGEN=1`` to rewrite the golden files instead (then review the diff).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from docrecon.model import Document
from docrecon.renderers import RenderOptions, chunk_records, render_document

DATA = Path(__file__).parent / "data"
REGEN = os.environ.get("DOCRECON_REGEN", "") not in ("", "0")


def _check(path: Path, actual: str) -> None:
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path} (run with DOCRECON_REGEN=1 to create it)"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs from the golden file"


def assert_golden(doc: Document, base: Path, opts: RenderOptions | None = None) -> None:
    _check(base.with_suffix(".md"), render_document(doc, opts))
    # chunk ids hash the source bytes, and generated Office files carry their creation time
    records = [{k: v for k, v in r.items() if k != "id"} for r in chunk_records(doc, opts)]
    lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    _check(base.with_suffix(".jsonl"), lines)
