"""FTS5's own terms (qa/stems.py): what the SQLite index matches, read back for PostgreSQL."""

from __future__ import annotations

import sqlite3

from docrecon.qa.stems import TOKENIZER, fts5_terms, stems
from docrecon.qa.text import tokenize


def test_porter_stems_folded_diacritics_and_cjk_words() -> None:
    body = " ".join(tokenize("Approval of the approving managers; café naïve 营业收入 2024 running"))
    heading = " ".join(tokenize("Leave days"))
    (cols,) = fts5_terms([(body, heading)])
    assert cols[0] == [
        "approv",
        "of",
        "the",
        "approv",
        "manag",
        "cafe",
        "naiv",
        "营业",
        "收入",
        "2024",
        "run",
    ]
    assert cols[1] == ["leav", "dai"]
    assert fts5_terms([("", ""), ("a", "")]) == [[[], []], [["a"], []]]
    assert fts5_terms([]) == []


def test_stems_are_what_fts5_matches() -> None:
    words = ["approve", "approval", "approves", "running", "assays", "attorney", "ÉCOLE", "收入", "1868"]
    found = stems([w.lower() for w in words])
    assert all(len(s) == 1 for s in found)
    with sqlite3.connect(":memory:") as db:
        db.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '{TOKENIZER}')")
        for word, (stem,) in zip(words, found, strict=True):
            db.execute("INSERT INTO t (body) VALUES (?)", (stem,))
            hit = db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (f'"{word}"',)).fetchone()[0]
            db.execute("DELETE FROM t")
            assert hit == 1, (word, stem)  # the stem stored for a word is matched by that word
