"""The terms SQLite FTS5 indexes, for the backends that are not FTS5.

The Q&A text is pre-tokenized (:func:`docrecon.qa.text.tokenize`); FTS5 then runs its
``porter unicode61`` tokenizer over it (Porter stems for English, diacritics folded, CJK words
whole). :func:`fts5_terms` runs that very tokenizer, in an in-memory FTS5 table read back through
``fts5vocab`` (``instance``: one row per token), so the PostgreSQL index stores exactly the terms
the SQLite index matches, with their counts per column: no second stemmer that could disagree.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence

#: the FTS5 tokenizer of the SQLite index (and of the terms the PostgreSQL index stores)
TOKENIZER = "porter unicode61"


def fts5_terms(rows: Sequence[Sequence[str]]) -> list[list[list[str]]]:
    """``out[r][c]``: the terms, in order, that FTS5 (:data:`TOKENIZER`) makes of column ``c`` of
    row ``r``; all rows have the same number of columns."""
    if not rows:
        return []
    n = len(rows[0])
    cols = [f"c{i}" for i in range(n)]
    out: list[list[list[str]]] = [[[] for _ in range(n)] for _ in rows]
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        db.execute(f"CREATE VIRTUAL TABLE t USING fts5({', '.join(cols)}, tokenize = '{TOKENIZER}')")
        db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        marks = ", ".join("?" * (n + 1))
        db.executemany(
            f"INSERT INTO t (rowid, {', '.join(cols)}) VALUES ({marks})", [(i + 1, *r) for i, r in enumerate(rows)]
        )
        for doc, col, term in db.execute('SELECT doc, col, term FROM v ORDER BY doc, col, "offset"'):
            out[int(doc) - 1][int(str(col)[1:])].append(str(term))
    return out


def stems(terms: Sequence[str]) -> list[list[str]]:
    """The FTS5 terms of each query term (nearly always one; none for a term FTS5 drops)."""
    return [r[0] for r in fts5_terms([(t,) for t in terms])]
