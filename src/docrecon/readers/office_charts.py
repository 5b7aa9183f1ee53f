"""Charts in spreadsheets (openpyxl chart objects): title plus a data table from the cached values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docrecon.model import BlockType
from docrecon.readers.office_build import PageBuilder, table_from_rows
from docrecon.readers.office_numfmt import general
from docrecon.readers.office_pptx_shapes import chart_kind


def _pts(source: Any) -> list[str]:
    """Cached points of a chart data source (numRef / strRef / literal), in index order."""
    if source is None:
        return []
    kinds = (("numRef", "numCache"), ("strRef", "strCache"), ("numLit", None), ("strLit", None))
    for attr, cache_attr in kinds:
        ref = getattr(source, attr, None)
        if ref is None:
            continue
        cache = getattr(ref, cache_attr) if cache_attr else ref
        if cache is None:
            continue
        values: dict[int, str] = {}
        for pt in cache.pt or []:
            values[int(pt.idx)] = _fmt(pt.v)
        count = int(cache.ptCount or (max(values) + 1 if values else 0))
        return [values.get(i, "") for i in range(count)]
    return []


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    try:
        return general(float(value))
    except (TypeError, ValueError):
        return str(value)


def rich_text(obj: Any) -> str:
    """Text of an openpyxl chart Title / Text with rich paragraphs."""
    tx = getattr(obj, "tx", None)
    rich = getattr(tx, "rich", None)
    if rich is None:
        ref = getattr(tx, "strRef", None)
        return " ".join(_pts(tx)) if ref is not None else ""
    lines = []
    for p in rich.p or []:
        lines.append("".join(r.t or "" for r in (p.r or [])))
    return " ".join(line for line in lines if line).strip()


def chart_rows(chart: Any) -> list[list[str]]:
    series = list(getattr(chart, "series", []) or [])
    if not series:
        return []
    names = [(" ".join(_pts(s.tx)) if s.tx is not None and s.tx.strRef is not None else (s.tx.v or ""))
             if s.tx is not None else f"Series {i + 1}" for i, s in enumerate(series)]
    columns = [_pts(s.val) or _pts(getattr(s, "yVal", None)) for s in series]
    cats = _pts(series[0].cat) or _pts(getattr(series[0], "xVal", None))
    n = max([len(cats)] + [len(c) for c in columns])
    if not n:
        return []
    cats = cats + [""] * (n - len(cats)) if cats else [str(i + 1) for i in range(n)]
    rows = [[""] + names]
    for i in range(n):
        rows.append([cats[i]] + [c[i] if i < len(c) else "" for c in columns])
    return rows


def anchor_row(obj: Any) -> int:
    """The top row (0-based) an openpyxl drawing is anchored at; 0 when unknown."""
    start = getattr(getattr(obj, "anchor", None), "_from", None)
    return int(getattr(start, "row", 0) or 0)


def chart_emitter(chart: Any) -> Callable[[PageBuilder], None]:
    def emit(page: PageBuilder) -> None:
        title = rich_text(chart.title) if chart.title is not None else ""
        if title:
            page.add(BlockType.PARAGRAPH, title)
        page.add(BlockType.CAPTION, chart_kind(type(chart).__name__))
        rows = chart_rows(chart)
        if rows:
            page.add_table(table_from_rows(rows))

    return emit


def placed_charts(sheet: Any) -> list[tuple[int, Callable[[PageBuilder], None]]]:
    return [(anchor_row(chart), chart_emitter(chart)) for chart in getattr(sheet, "_charts", [])]
