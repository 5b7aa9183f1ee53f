"""Charts as a title, a kind ("Bar chart") and a data table from the cached values: the one
place for every format. DrawingML chart parts (PPTX graphic frames, DOCX ``w:drawing`` ->
``c:chart r:id``) are read through python-pptx's chart objects (:func:`drawingml_chart`,
:func:`chart_part`); XLSX charts through openpyxl's (:func:`chart_emitter`). Both end in
:func:`emit_chart`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docrecon.model import BBox, BlockType
from docrecon.readers.office_build import PageBuilder, table_from_rows
from docrecon.readers.office_numfmt import general


@dataclass(frozen=True)
class ChartData:
    title: str
    kind: str
    rows: list[list[str]]


def emit_chart(page: PageBuilder, chart: ChartData, box: BBox | None = None) -> None:
    """The chart's title (a paragraph), its kind (a caption) and its data table."""
    where: dict[str, Any] = {"bbox": box} if box is not None else {}
    if chart.title:
        page.add(BlockType.PARAGRAPH, chart.title, **where)
    page.add(BlockType.CAPTION, chart.kind, **where)
    if chart.rows:
        block = page.add_table(table_from_rows(chart.rows))
        if box is not None:
            block.bbox = box


def chart_kind(name: str) -> str:
    """'Bar chart', 'Line chart'... from a chart type name (python-pptx enum or openpyxl class)."""
    low = name.lower()
    for key, label in (("bar", "Bar"), ("column", "Bar"), ("line", "Line"), ("pie", "Pie"),
                       ("doughnut", "Pie"), ("scatter", "Scatter"), ("xy", "Scatter"), ("area", "Area"),
                       ("bubble", "Bubble"), ("radar", "Radar"), ("stock", "Stock"), ("surface", "Surface")):
        if key in low:
            return f"{label} chart"
    return "Other chart"


def chart_part(blob: bytes) -> Any:
    """A python-pptx chart over the XML of a DrawingML chart part (``c:chartSpace``) that is not
    in a presentation (a DOCX chart part); the embedded workbook is not needed."""
    from pptx.chart.chart import Chart
    from pptx.oxml import parse_xml

    return Chart(parse_xml(blob), None)  # type: ignore[no-untyped-call]


def drawingml_chart(chart: Any) -> ChartData:
    """Title, kind and data rows of a python-pptx chart."""
    title = ""
    if chart.has_title and chart.chart_title.has_text_frame:
        title = " ".join(chart.chart_title.text_frame.text.split())
    kinds = chart._chartSpace.xpath(".//*[local-name()='plotArea']/*[contains(local-name(), 'Chart')]")
    return ChartData(title, chart_kind(kinds[0].tag if kinds else ""), drawingml_rows(chart))


def drawingml_rows(chart: Any) -> list[list[str]]:
    """Header row (blank + series names), then one row per category."""
    try:
        plot = chart.plots[0]
        categories = [str(c) for c in plot.categories]
        series = [s for p in chart.plots for s in p.series]
        columns = [[general(v) if isinstance(v, int | float) else "" for v in s.values] for s in series]
        names = [s.name or "" for s in series]
    except (IndexError, KeyError, AttributeError, ValueError, TypeError):
        return []
    n = max([len(categories)] + [len(c) for c in columns])
    if not n or not series:
        return []
    categories = categories + [""] * (n - len(categories)) if categories else [str(i + 1) for i in range(n)]
    body = [[categories[i]] + [c[i] if i < len(c) else "" for c in columns] for i in range(n)]
    return [[""] + names] + body


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
        emit_chart(page, ChartData(title, chart_kind(type(chart).__name__), chart_rows(chart)))

    return emit


def placed_charts(sheet: Any) -> list[tuple[int, Callable[[PageBuilder], None]]]:
    return [(anchor_row(chart), chart_emitter(chart)) for chart in getattr(sheet, "_charts", [])]
